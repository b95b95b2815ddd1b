import { describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { createDocument, listDocuments } from '../../lib/documents/service';
import { markCriminalIntel } from '../../lib/cfr/records';
import { createOrg, createStaff, fileFrom, tinyPdf } from '../helpers/factory';

const MARK = { submittingAgency: 'Borealis Police Intelligence Unit', sourceReliability: 'B', contentValidity: 2, criminalActivity: 'Suspected trafficking ring operating through the northern port (case 24-117).' };
const DAY = 86_400_000;

describe('documents list: criminal intelligence', () => {
  it('marks each criminal-intelligence document with its review state (current, due soon, overdue); others carry none', async () => {
    const org = await createOrg();
    const { principal } = await createStaff(org.id, 'ADMIN');
    const doc = (title: string) => createDocument(principal, fileFrom(tinyPdf(title), `${title}.pdf`, 'application/pdf'), { title, tlp: 'AMBER' }, 1e7);
    const plain = await doc('Plain memo');
    const current = await doc('Fresh report');
    const soon = await doc('Ageing report');
    const overdue = await doc('Old report');
    for (const d of [current, soon, overdue]) await markCriminalIntel(principal, d.id, MARK);
    await prisma().criminalIntelRecord.update({ where: { documentId: soon.id }, data: { reviewDueAt: new Date(Date.now() + 30 * DAY) } });
    await prisma().criminalIntelRecord.update({ where: { documentId: overdue.id }, data: { reviewDueAt: new Date(Date.now() - DAY) } });

    const { items } = await listDocuments(principal, { take: 25 });
    const byId = new Map(items.map((d) => [d.id, d.criminalIntel?.reviewState ?? null]));
    expect(Object.fromEntries(([['Plain memo', plain], ['Fresh report', current], ['Ageing report', soon], ['Old report', overdue]] as const).map(([t, d]) => [t, byId.get(d.id)]))).toEqual({
      'Plain memo': null, 'Fresh report': 'current', 'Ageing report': 'due_soon', 'Old report': 'overdue',
    });
  });
});
