import { describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { issueApiKey } from '../../lib/auth/api-keys';
import { createDocument } from '../../lib/documents/service';
import { handleGraphql } from '../../lib/graphql/yoga';
import { consoleSession } from '../helpers/console-session';
import { createOrg, createStaff, fileFrom, tinyPdf } from '../helpers/factory';

/* Approvals and TLP scope through GraphQL: the same lib functions and rules as the console. */
const URL_ = 'http://liaison.test/api/graphql';
interface GqlResult { status: number; body: { data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } }

async function gql(query: string, opts: { variables?: Record<string, unknown>; key?: string; cookie?: string }): Promise<GqlResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', 'x-liaison-client-ip': '198.51.100.21', 'user-agent': 'vitest-graphql-approvals' };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  if (opts.cookie) { headers.cookie = opts.cookie; headers.origin = 'http://liaison.test'; }
  const res = await handleGraphql(new Request(URL_, { method: 'POST', headers, body: JSON.stringify({ query, variables: opts.variables }) }));
  return { status: res.status, body: await res.json() };
}
const code = (r: GqlResult) => r.body.errors?.[0]?.extensions?.code;

const CREATE = 'mutation($input: CreateShareInput!) { createShare(input: $input) { share { id approvalState tlpScope { ceiling namedPartnerId namedOnly partnerIds } approval { id state reasons canApprove } } } }';
const APPROVE = 'mutation($id: ID!, $note: String) { approveGrant(id: $id, note: $note) { id state decidedBy note canApprove } }';
const REFUSE = 'mutation($id: ID!, $reason: String!) { refuseGrant(id: $id, reason: $reason) { id state note } }';
const LIST = 'query($state: ApprovalState) { approvals(state: $state) { id kind grantId subject reach reasons state requestedBy canApprove } }';

describe('GraphQL: approvals and TLP scope', () => {
  it('a RED share is created pending; its creator cannot approve it, another admin can, once', async () => {
    const org = await createOrg();
    await prisma().organization.update({ where: { id: org.id }, data: { tlpCeiling: 'RED' } });
    const a = await createStaff(org.id, 'ADMIN');
    const b = await createStaff(org.id, 'ADMIN');
    const auditor = await createStaff(org.id, 'AUDITOR');
    const partner = await prisma().partnerOrg.create({ data: { orgId: org.id, name: 'Counsel', domains: ['counsel.example'], tlpCeiling: 'RED' } });
    const doc = await createDocument(a.principal, fileFrom(tinyPdf('red'), 'r.pdf', 'application/pdf'), { title: 'Red brief', tlp: 'RED' }, 1e7);
    const cookieA = (await consoleSession(a.user)).cookie;
    const cookieB = (await consoleSession(b.user)).cookie;

    // An open link to RED material is refused with the policy's reason.
    const link = await gql(CREATE, { cookie: cookieA, variables: { input: { documentIds: [doc.id] } } });
    expect(code(link)).toBe('forbidden');

    const created = await gql(CREATE, { cookie: cookieA, variables: { input: { documentIds: [doc.id], audience: 'VERIFIED_EMAIL', recipients: ['ann@counsel.example'] } } });
    expect(created.body.errors).toBeUndefined();
    const share = created.body.data.createShare.share;
    expect(share).toMatchObject({ approvalState: 'PENDING', tlpScope: { ceiling: 'RED', namedPartnerId: partner.id, namedOnly: true, partnerIds: [partner.id] }, approval: { state: 'PENDING', reasons: ['tlp_red'], canApprove: false } });
    const requestId = share.approval.id;

    const listed = await gql(LIST, { cookie: cookieB, variables: { state: 'PENDING' } });
    expect(listed.body.data.approvals).toEqual([expect.objectContaining({ id: requestId, kind: 'share', grantId: share.id, subject: 'Red brief', reach: ['ann@counsel.example'], canApprove: true, requestedBy: a.user.email })]);
    // Auditors read, but cannot decide; API keys (not a person) cannot decide either.
    const auditorCookie = (await consoleSession(auditor.user)).cookie;
    expect((await gql(LIST, { cookie: auditorCookie, variables: {} })).body.data.approvals).toHaveLength(1);
    expect(code(await gql(APPROVE, { cookie: auditorCookie, variables: { id: requestId } }))).toBe('forbidden');
    const key = (await issueApiKey({ orgId: org.id, name: 'admin key', scopes: ['admin', 'shares:read'], actor: null })).key;
    expect(code(await gql(APPROVE, { key, variables: { id: requestId } }))).toBe('forbidden');

    expect(code(await gql(APPROVE, { cookie: cookieA, variables: { id: requestId } }))).toBe('forbidden');
    expect(code(await gql(REFUSE, { cookie: cookieB, variables: { id: requestId, reason: '' } }))).toBe('validation_failed');
    const ok = await gql(APPROVE, { cookie: cookieB, variables: { id: requestId, note: 'Recipient checked' } });
    expect(ok.body.data.approveGrant).toEqual({ id: requestId, state: 'APPROVED', decidedBy: b.user.email, note: 'Recipient checked', canApprove: false });
    expect(code(await gql(APPROVE, { cookie: cookieB, variables: { id: requestId } }))).toBe('conflict');
    expect(code(await gql(REFUSE, { cookie: cookieB, variables: { id: requestId, reason: 'late' } }))).toBe('conflict');
    expect((await prisma().share.findUniqueOrThrow({ where: { id: share.id } })).approvalState).toBe('APPROVED');
  });
});
