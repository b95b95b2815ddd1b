import { describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { createDocument } from '../../lib/documents/service';
import { decideApproval, listApprovals } from '../../lib/governance/approval';
import { handleGraphql } from '../../lib/graphql/yoga';
import { markCriminalIntel } from '../../lib/cfr/records';
import { grantPortalAccess, revokePortalAccess } from '../../lib/portals/grants';
import { getPortal, listPortals } from '../../lib/portals/admin';
import { addDocumentsToSection } from '../../lib/portals/sections';
import { isAppError } from '../../lib/errors';
import { consoleSession } from '../helpers/console-session';
import { createOrg, createStaff, fileFrom, tinyPdf } from '../helpers/factory';
import { portalFixture } from '../helpers/portal';

/*
 * Two-person approval, loose ends: a grant revoked while it waits closes its request (WITHDRAWN), and
 * criminal intelligence joins a portal section only when every live grant of the section was approved.
 */
const URL_ = 'http://liaison.test/api/graphql';
async function gql(query: string, cookie: string, variables: Record<string, unknown> = {}) {
  const res = await handleGraphql(new Request(URL_, {
    method: 'POST', body: JSON.stringify({ query, variables }),
    headers: { 'content-type': 'application/json', accept: 'application/json', cookie, origin: 'http://liaison.test', 'x-liaison-client-ip': '198.51.100.31', 'user-agent': 'vitest-approval-withdraw' },
  }));
  return (await res.json()) as { data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

async function refusal(p: Promise<unknown>) {
  try { await p; } catch (e) { if (isAppError(e)) return e; throw e; }
  throw new Error('expected a refusal');
}

const MARK = { submittingAgency: 'Borealis Police Intelligence Unit', sourceReliability: 'B', contentValidity: 2, criminalActivity: 'Suspected trafficking ring operating through the northern port (case 24-117).' };
const NTK = 'Joint investigation 24-117: detectives assigned to the case need the informant report to plan the operation.';

describe('revoking a grant that awaits approval', () => {
  it('a share: the request leaves the queue as WITHDRAWN (GraphQL and list), audited, and can no longer be approved', async () => {
    const org = await createOrg();
    await prisma().organization.update({ where: { id: org.id }, data: { tlpCeiling: 'RED' } });
    const a = await createStaff(org.id, 'ADMIN');
    const b = await createStaff(org.id, 'ADMIN');
    await prisma().partnerOrg.create({ data: { orgId: org.id, name: 'Counsel', domains: ['counsel.example'], tlpCeiling: 'RED' } });
    const doc = await createDocument(a.principal, fileFrom(tinyPdf('red'), 'r.pdf', 'application/pdf'), { title: 'Red brief', tlp: 'RED' }, 1e7);
    const cookieA = (await consoleSession(a.user)).cookie;
    const cookieB = (await consoleSession(b.user)).cookie;

    const created = await gql('mutation($input: CreateShareInput!) { createShare(input: $input) { share { id approvalState approval { id state } } } }', cookieA,
      { input: { documentIds: [doc.id], audience: 'VERIFIED_EMAIL', recipients: ['ann@counsel.example'] } });
    const share = created.data.createShare.share;
    expect(share).toMatchObject({ approvalState: 'PENDING', approval: { state: 'PENDING' } });

    const revoked = await gql('mutation($id: ID!) { revokeShare(id: $id, reason: "Sent to the wrong firm") { id status approvalState approval { id state decidedBy note } } }', cookieA, { id: share.id });
    expect(revoked.errors).toBeUndefined();
    expect(revoked.data.revokeShare).toMatchObject({
      status: 'REVOKED', approvalState: 'WITHDRAWN',
      approval: { id: share.approval.id, state: 'WITHDRAWN', decidedBy: a.user.email, note: 'Withdrawn: the grant was revoked (Sent to the wrong firm).' },
    });

    // The queue no longer holds it; the Withdrawn tab (and GraphQL's state filter) does.
    const LIST = 'query($state: ApprovalState) { approvals(state: $state) { id state canApprove } }';
    expect((await gql(LIST, cookieB, { state: 'PENDING' })).data.approvals).toEqual([]);
    expect((await gql(LIST, cookieB, { state: 'WITHDRAWN' })).data.approvals).toEqual([{ id: share.approval.id, state: 'WITHDRAWN', canApprove: false }]);
    expect((await listApprovals(b.principal, { state: 'WITHDRAWN' })).map((r) => r.id)).toEqual([share.approval.id]);

    // Approving it now is refused (409), audited as denied; the share stays revoked.
    const approve = await gql('mutation($id: ID!) { approveGrant(id: $id) { id state } }', cookieB, { id: share.approval.id });
    expect(approve.errors?.[0]?.extensions?.code).toBe('conflict');
    expect(approve.errors?.[0]?.message).toMatch(/revoked while it waited/);
    expect(await prisma().share.findUniqueOrThrow({ where: { id: share.id }, select: { state: true, approvalState: true } })).toEqual({ state: 'REVOKED', approvalState: 'WITHDRAWN' });

    const events = await prisma().auditEvent.findMany({ where: { orgId: org.id, type: { in: ['approval.withdraw', 'approval.approve'] } }, orderBy: { seq: 'asc' } });
    expect(events.map((e) => [e.type, e.outcome, e.reason])).toEqual([
      ['approval.withdraw', 'success', 'Sent to the wrong firm'],
      ['approval.approve', 'denied', 'withdrawn'],
    ]);
    expect(events[0]).toMatchObject({ shareId: share.id, details: expect.objectContaining({ requestId: share.approval.id, kind: 'share', grantId: share.id, reasons: ['tlp_red'] }) });
  });

  it('a portal grant: revokePortalAccess withdraws its request, and a refusal of it is refused too', async () => {
    const f = await portalFixture();
    const police = await prisma().partnerOrg.create({ data: { orgId: f.org.id, name: 'Borealis Police', domains: ['police.example'], lawEnforcement: true } });
    await markCriminalIntel(f.principal, f.docB.id, MARK);
    const g = await grantPortalAccess(f.principal, f.portal.id, { partnerOrgId: police.id, emails: ['det@police.example'], needToKnow: NTK, sectionIds: [f.sectionB.id] });
    expect(g.approvalState).toBe('PENDING');
    const req = await prisma().grantApprovalRequest.findFirstOrThrow({ where: { portalGrantId: g.id } });

    const after = await revokePortalAccess(f.principal, g.id, 'Case closed');
    expect(after.approvalState).toBe('WITHDRAWN');
    expect(await prisma().grantApprovalRequest.findUniqueOrThrow({ where: { id: req.id }, select: { state: true } })).toEqual({ state: 'WITHDRAWN' });
    // Revoking again changes nothing and writes no second withdrawal.
    await revokePortalAccess(f.principal, g.id, 'again');
    expect(await prisma().auditEvent.count({ where: { orgId: f.org.id, type: 'approval.withdraw' } })).toBe(1);

    const second = await createStaff(f.org.id, 'ADMIN');
    for (const decision of [{ decision: 'approve' }, { decision: 'refuse', note: 'too late' }]) {
      const e = await refusal(decideApproval(second.principal, req.id, decision));
      expect(e.code).toBe('conflict');
    }
    expect(await prisma().criminalIntelRelease.count({ where: { portalGrantId: g.id } })).toBe(0);
  });
});

describe('criminal intelligence added to a portal section', () => {
  it('is refused while a live grant of the section awaits approval, with a clear message; allowed once it is approved', async () => {
    const f = await portalFixture();
    const police = await prisma().partnerOrg.create({ data: { orgId: f.org.id, name: 'Borealis Police', domains: ['police.example'], lawEnforcement: true } });
    // A grant over both sections: section B holds criminal intelligence, so the grant waits for approval.
    await markCriminalIntel(f.principal, f.docB.id, MARK);
    const g = await grantPortalAccess(f.principal, f.portal.id, { partnerOrgId: police.id, emails: ['det@police.example'], needToKnow: NTK, sectionIds: [f.sectionA.id, f.sectionB.id] });
    expect(g.approvalState).toBe('PENDING');
    // A second criminal-intelligence document, for section A.
    const informant = await createDocument(f.principal, fileFrom(tinyPdf('Informant'), 'i.pdf', 'application/pdf'), { title: 'Informant report', tlp: 'AMBER' }, 1e7);
    await markCriminalIntel(f.principal, informant.id, MARK);

    const e = await refusal(addDocumentsToSection(f.principal, f.sectionA.id, [informant.id]));
    expect(e.code).toBe('forbidden');
    expect(e.message).toBe('Criminal intelligence may not be added here: 1 active grant of this section was not approved by a second administrator. Grant it through a new portal grant, which asks for approval.');
    expect(await prisma().portalSectionDocument.count({ where: { sectionId: f.sectionA.id, documentId: informant.id } })).toBe(0);
    const denied = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: f.org.id, type: 'portal.section.documents', outcome: 'denied' } });
    expect(denied).toMatchObject({ reason: 'approval_required', details: expect.objectContaining({ sectionId: f.sectionA.id, portalGrantIds: [g.id] }) });
    // Material that is not criminal intelligence is not held back by the pending grant.
    const plain = await createDocument(f.principal, fileFrom(tinyPdf('Plain'), 'p.pdf', 'application/pdf'), { title: 'Plain memo', tlp: 'GREEN' }, 1e7);
    await addDocumentsToSection(f.principal, f.sectionA.id, [plain.id]);

    const second = await createStaff(f.org.id, 'ADMIN');
    const req = await prisma().grantApprovalRequest.findFirstOrThrow({ where: { portalGrantId: g.id, state: 'PENDING' } });
    await decideApproval(second.principal, req.id, { decision: 'approve', note: 'Need to know confirmed.' });

    await addDocumentsToSection(f.principal, f.sectionA.id, [informant.id]);
    expect(await prisma().portalSectionDocument.count({ where: { sectionId: f.sectionA.id, documentId: informant.id } })).toBe(1);
    // The addition is a release to the approved grant's recipients, in the dissemination log.
    const releases = await prisma().criminalIntelRelease.findMany({ where: { documentId: informant.id }, select: { portalGrantId: true, kind: true } });
    expect(releases.length).toBeGreaterThan(0);
    expect(releases.every((r) => r.portalGrantId === g.id && r.kind === 'PORTAL_GRANT')).toBe(true);
  });
});

describe('a portal\'s grant counts', () => {
  it('count as active only grants that serve (no approval needed, or approved); pending ones apart; revoked ones in neither', async () => {
    const f = await portalFixture();
    const police = await prisma().partnerOrg.create({ data: { orgId: f.org.id, name: 'Borealis Police', domains: ['police.example'], lawEnforcement: true } });
    await grantPortalAccess(f.principal, f.portal.id, { emails: ['ann@counsel.example'], sectionIds: [f.sectionA.id] });
    await markCriminalIntel(f.principal, f.docB.id, MARK);
    const pending = await grantPortalAccess(f.principal, f.portal.id, { partnerOrgId: police.id, emails: ['det@police.example'], needToKnow: NTK, sectionIds: [f.sectionB.id] });
    const withdrawn = await grantPortalAccess(f.principal, f.portal.id, { partnerOrgId: police.id, emails: ['sgt@police.example'], needToKnow: NTK, sectionIds: [f.sectionB.id] });
    await revokePortalAccess(f.principal, withdrawn.id, 'not needed');
    expect(await getPortal(f.principal, f.portal.id)).toMatchObject({ activeGrantCount: 1, pendingGrantCount: 1 });

    const second = await createStaff(f.org.id, 'ADMIN');
    const req = await prisma().grantApprovalRequest.findFirstOrThrow({ where: { portalGrantId: pending.id, state: 'PENDING' } });
    await decideApproval(second.principal, req.id, { decision: 'approve', note: 'Confirmed.' });
    expect(await getPortal(f.principal, f.portal.id)).toMatchObject({ activeGrantCount: 2, pendingGrantCount: 0 });
    expect((await listPortals(f.principal, {})).nodes.find((p) => p.id === f.portal.id)).toMatchObject({ activeGrantCount: 2, pendingGrantCount: 0 });
  });
});
