import { describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { issueApiKey } from '../../lib/auth/api-keys';
import { handleGraphql } from '../../lib/graphql/yoga';
import type { Scope } from '../../lib/auth/scopes';
import { createDocument } from '../../lib/documents/service';
import { createOrg, createStaff, fileFrom, tinyPdf } from '../helpers/factory';
import { decideApproval } from '../../lib/governance/approval';

const BASE = 'http://liaison.test';
type Gql = { status: number; body: { data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } };
async function gql(key: string, query: string, variables: Record<string, unknown> = {}): Promise<Gql> {
  const res = await handleGraphql(new Request(`${BASE}/api/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${key}`, 'x-liaison-client-ip': '198.51.100.31', 'user-agent': 'vitest' },
    body: JSON.stringify({ query, variables }),
  }));
  return { status: res.status, body: await res.json() };
}
const code = (r: Gql) => r.body.errors?.[0]?.extensions?.code;
const keyFor = async (orgId: string, scopes?: Scope[]) => (await issueApiKey({ orgId, name: 'cfr tests', scopes, actor: null })).key;

const NTK = 'Task force 9: analysts assigned to the case.';
const RECORD = 'id documentId submittingAgency sourceReliability contentValidity criminalActivity submittedAt reviewDueAt reviewState purgedAt purgeReason releaseCount title';
const MARK = `mutation($d: ID!, $in: CriminalIntelMarkInput!) { markCriminalIntel(documentId: $d, input: $in) { ${RECORD} } }`;

describe('criminal intelligence over GraphQL', () => {
  it('marks, shares under the rule, lists the log, re-validates and purges, with the console\'s scopes', async () => {
    const org = await createOrg();
    const { principal } = await createStaff(org.id, 'MEMBER');
    await prisma().partnerOrg.create({ data: { orgId: org.id, name: 'Borealis Police', domains: ['police.example'], lawEnforcement: true } });
    const doc = await createDocument(principal, fileFrom(tinyPdf('Tip'), 'tip.pdf', 'application/pdf'), { title: 'Tip-off' }, 1e7);
    const admin = await keyFor(org.id);
    const writer = await keyFor(org.id, ['documents:read', 'documents:write', 'shares:write']);
    const reader = await keyFor(org.id, ['documents:read']);

    const bad = await gql(writer, MARK, { d: doc.id, in: { submittingAgency: 'Task force 9', sourceReliability: 'A', contentValidity: 'CONFIRMED', criminalActivity: ' ' } });
    expect(code(bad)).toBe('validation_failed');
    const marked = await gql(writer, MARK, { d: doc.id, in: { submittingAgency: 'Task force 9', sourceReliability: 'A', contentValidity: 'CONFIRMED', criminalActivity: 'Armed robbery series' } });
    expect(marked.body.errors).toBeUndefined();
    expect(marked.body.data.markCriminalIntel).toMatchObject({ documentId: doc.id, sourceReliability: 'A', contentValidity: 'CONFIRMED', reviewState: 'current' });
    expect(code(await gql(reader, MARK, { d: doc.id, in: { submittingAgency: 'x', sourceReliability: 'A', contentValidity: 'CONFIRMED', criminalActivity: 'y' } }))).toBe('insufficient_scope');

    const SHARE = 'mutation($in: CreateShareInput!) { createShare(input: $in) { share { id needToKnow approvalState } } }';
    const refused = await gql(writer, SHARE, { in: { documentIds: [doc.id], audience: 'VERIFIED_EMAIL', recipients: ['someone@elsewhere.example'], needToKnow: NTK } });
    expect(code(refused)).toBe('cji_not_permitted');
    const shared = await gql(writer, SHARE, { in: { documentIds: [doc.id], audience: 'VERIFIED_EMAIL', recipients: ['det@police.example'], needToKnow: NTK } });
    expect(shared.body.data.createShare.share.needToKnow).toBe(NTK);
    // Two-person rule: pending, and released (logged) only when a second administrator, a person, approves.
    expect(shared.body.data.createShare.share.approvalState).toBe('PENDING');
    expect((await gql(admin, 'query($d: ID!) { disseminationLog(documentId: $d) { kind } }', { d: doc.id })).body.data.disseminationLog).toEqual([]);
    const approver = await createStaff(org.id, 'ADMIN');
    const request = await prisma().grantApprovalRequest.findFirstOrThrow({ where: { shareId: shared.body.data.createShare.share.id, state: 'PENDING' } });
    await decideApproval(approver.principal, request.id, { decision: 'approve', note: 'Need to know confirmed.' });

    const LOG = 'query($d: ID!) { disseminationLog(documentId: $d) { kind recipient partnerOrgName needToKnow versionNumber releasedBy } }';
    expect(code(await gql(writer, LOG, { d: doc.id }))).toBe('insufficient_scope');
    const log = await gql(admin, LOG, { d: doc.id });
    expect(log.body.data.disseminationLog).toEqual([{ kind: 'SHARE_GRANT', recipient: 'det@police.example', partnerOrgName: 'Borealis Police', needToKnow: NTK, versionNumber: 1, releasedBy: approver.user.email }]);

    const list = await gql(admin, `{ criminalIntelligence { ${RECORD} } }`);
    expect(list.body.data.criminalIntelligence).toEqual([expect.objectContaining({ documentId: doc.id, title: 'Tip-off', releaseCount: 1 })]);

    const REVALIDATE = 'mutation($d: ID!) { revalidateCriminalIntel(documentId: $d, input: { note: "Reviewed; case open." }) { reviewState reviewDueAt } }';
    expect(code(await gql(writer, REVALIDATE, { d: doc.id }))).toBe('insufficient_scope');
    expect((await gql(admin, REVALIDATE, { d: doc.id })).body.data.revalidateCriminalIntel.reviewState).toBe('current');

    const PURGE = 'mutation($d: ID!) { purgeCriminalIntel(documentId: $d, reason: "No longer relevant") { versions revokedShares } }';
    expect(code(await gql(writer, PURGE, { d: doc.id }))).toBe('insufficient_scope');
    expect((await gql(admin, PURGE, { d: doc.id })).body.data.purgeCriminalIntel).toEqual({ versions: 1, revokedShares: 1 });
    expect(code(await gql(admin, PURGE, { d: doc.id }))).toBe('conflict');
    const after = await gql(reader, `query($d: ID!) { criminalIntelRecord(documentId: $d) { reviewState purgeReason } }`, { d: doc.id });
    expect(after.body.data.criminalIntelRecord).toEqual({ reviewState: 'purged', purgeReason: 'No longer relevant' });
  });
});
