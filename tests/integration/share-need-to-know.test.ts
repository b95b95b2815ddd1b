import { describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { createDocument } from '../../lib/documents/service';
import { createShare, updateShare } from '../../lib/shares/service';
import { markCriminalIntel } from '../../lib/cfr/records';
import { isAppError } from '../../lib/errors';
import { createOrg, createStaff, fileFrom, tinyPdf } from '../helpers/factory';

const MARK = { submittingAgency: 'Borealis Police Intelligence Unit', sourceReliability: 'B', contentValidity: 2, criminalActivity: 'Suspected trafficking ring operating through the northern port (case 24-117).' };
const NTK = 'Joint investigation 24-117: detectives assigned to the case need the informant report to plan the operation.';
const NTK2 = 'Joint investigation 24-117, phase two: the surveillance team needs the report to brief the arrest squad.';

async function code(p: Promise<unknown>) {
  try { await p; return 'ok'; } catch (e) { if (isAppError(e)) return e.code; throw e; }
}

describe('editing the need-to-know statement of a criminal-intelligence share', () => {
  it('cannot be emptied (refused and audited as at creation); a new statement is saved and audited with the old and new text', async () => {
    const org = await createOrg();
    const { principal } = await createStaff(org.id, 'MEMBER');
    await prisma().partnerOrg.create({ data: { orgId: org.id, name: 'Borealis Police', domains: ['police.example'], lawEnforcement: true } });
    const doc = await createDocument(principal, fileFrom(tinyPdf('Informant report'), 'r.pdf', 'application/pdf'), { title: 'Informant report', tlp: 'AMBER' }, 1e7);
    await markCriminalIntel(principal, doc.id, MARK);
    const { share } = await createShare(principal, { documentIds: [doc.id], audience: 'VERIFIED_EMAIL', recipients: ['det@police.example'], needToKnow: NTK });

    for (const needToKnow of ['', null, '   ']) expect(await code(updateShare(principal, share.id, { needToKnow })), JSON.stringify(needToKnow)).toBe('cji_not_permitted');
    expect((await prisma().share.findUniqueOrThrow({ where: { id: share.id } })).needToKnow).toBe(NTK);
    const denied = await prisma().auditEvent.findMany({ where: { orgId: org.id, type: 'share.update', outcome: 'denied' } });
    expect(denied).toHaveLength(3);
    expect(denied.every((e) => e.reason === 'cji_not_permitted' && e.shareId === share.id)).toBe(true);

    await updateShare(principal, share.id, { needToKnow: NTK2 });
    expect((await prisma().share.findUniqueOrThrow({ where: { id: share.id } })).needToKnow).toBe(NTK2);
    const changed = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: org.id, type: 'share.update', outcome: 'success' } });
    expect(changed.details).toMatchObject({ changed: ['needToKnow'], needToKnow: { from: NTK, to: NTK2 }, criminalIntelligence: [doc.id] });
  });
});
