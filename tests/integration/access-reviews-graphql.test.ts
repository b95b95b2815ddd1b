import { beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { issueApiKey } from '../../lib/auth/api-keys';
import { handleGraphql } from '../../lib/graphql/yoga';
import type { Scope } from '../../lib/auth/scopes';
import { createDocument } from '../../lib/documents/service';
import { createShare } from '../../lib/shares/service';
import type { CreateShareInput } from '../../lib/shares/input';
import { startCampaign } from '../../lib/reviews/campaigns';
import { createOrg, createStaff, fileFrom, tinyPdf } from '../helpers/factory';

interface GqlResult { status: number; body: { data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } }
async function gql(query: string, key: string, variables?: Record<string, unknown>): Promise<GqlResult> {
  const res = await handleGraphql(new Request('http://liaison.test/api/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${key}`, 'x-liaison-client-ip': '198.51.100.33', 'user-agent': 'vitest-graphql-reviews' },
    body: JSON.stringify({ query, variables }),
  }));
  return { status: res.status, body: await res.json() };
}
const code = (r: GqlResult) => r.body.errors?.[0]?.extensions?.code;
const keyFor = async (orgId: string, scopes?: Scope[]) => (await issueApiKey({ orgId, name: `test ${scopes?.join('+') ?? 'all'}`, scopes, actor: null })).key;

const GRANTS = `query($filter: AccessGrantFilter, $first: Int, $after: String) {
  accessReviewGrants(filter: $filter, first: $first, after: $after) {
    totalCount edges { cursor node { kind id label who ownerName classification createdAt expiresAt lastActivityAt accessCount } }
    pageInfo { hasNextPage endCursor }
  }
}`;

describe('graphql: access reviews', () => {
  let orgId: string;
  let adminKey: string;
  let shareIds: string[];
  let guestId: string;
  let docId: string;
  let owner: Awaited<ReturnType<typeof createStaff>>;

  beforeAll(async () => {
    const org = await createOrg();
    orgId = org.id;
    adminKey = await keyFor(orgId);
    owner = await createStaff(orgId, 'MEMBER');
    const doc = await createDocument(owner.principal, fileFrom(tinyPdf('x'), 'x.pdf', 'application/pdf'), { title: 'Term sheet', tlp: 'AMBER' }, 1e7);
    docId = doc.id;
    shareIds = [];
    for (let i = 0; i < 3; i++) shareIds.push((await createShare(owner.principal, { documentIds: [doc.id], audience: 'VERIFIED_EMAIL', recipients: [`p${i}@client.example`] } as CreateShareInput)).share.id);
    const g = await prisma().guest.create({ data: { orgId, kind: 'EMAIL_VERIFIED', email: 'p0@client.example' } });
    guestId = g.id;
    await prisma().guestSession.create({ data: { guestId: g.id, shareId: shareIds[0], ip: '198.51.100.9', authMethod: 'code', expiresAt: new Date(Date.now() + 3600_000) } });
  });

  it('lists grants with filters and pages with cursors', async () => {
    const r = await gql(GRANTS, adminKey, { filter: { kinds: ['share'], minTlp: 'AMBER' }, first: 2 });
    expect(r.body.errors).toBeUndefined();
    const c = r.body.data.accessReviewGrants;
    expect(c.totalCount).toBe(3);
    expect(c.edges).toHaveLength(2);
    expect(c.edges[0].node).toMatchObject({ kind: 'share', label: 'Term sheet', classification: 'AMBER', ownerName: owner.user.name, accessCount: 0 });
    const next = await gql(GRANTS, adminKey, { filter: { kinds: ['share'] }, first: 2, after: c.pageInfo.endCursor });
    expect(next.body.data.accessReviewGrants.edges.map((e: any) => e.node.id)).toEqual([shareIds[0]]);
    expect(code(await gql(GRANTS, await keyFor(orgId, ['shares:read'])))).toBe('insufficient_scope');
  });

  it('explains a guest\'s access with every check', async () => {
    const q = `query($g: ID!, $d: ID!) { explainGuestAccess(guestId: $g, documentId: $d) { allowed guestEmail documentTitle grants { kind id allowed reason checks { name passed reason decisive } } } }`;
    const r = await gql(q, adminKey, { g: guestId, d: docId });
    expect(r.body.errors).toBeUndefined();
    const e = r.body.data.explainGuestAccess;
    expect(e.guestEmail).toBe('p0@client.example');
    const share = e.grants.find((g: any) => g.id === shareIds[0]);
    expect(share.checks.length).toBeGreaterThan(10);
    expect(share.checks.filter((c: any) => c.decisive)).toHaveLength(share.allowed ? 0 : 1);
  });

  it('bulk action and campaign decisions through the API', async () => {
    const bulk = `mutation($items: [AccessGrantRef!]!) { accessReviewBulkAction(action: revoke, items: $items, reason: "pruned", notice: "") { done failed notApplicable noticesQueued results { kind id outcome error } } }`;
    const r = await gql(bulk, adminKey, { items: [{ kind: 'share', id: shareIds[2] }] });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.accessReviewBulkAction).toMatchObject({ done: 1, failed: 0, noticesQueued: 1 });
    expect((await prisma().share.findUniqueOrThrow({ where: { id: shareIds[2] } })).state).toBe('REVOKED');
    // A campaign is started by a person (an API key has nobody to decide what has no owner).
    const start = `mutation($d: DateTime!) { startAccessReviewCampaign(name: "API", deadline: $d) { id } }`;
    expect(code(await gql(start, adminKey, { d: new Date(Date.now() + 7 * 86_400_000).toISOString() }))).toBe('forbidden');
    const admin = await createStaff(orgId, 'ADMIN');
    const c = await startCampaign(admin.principal, { name: 'API review', scope: { kinds: ['share'] }, deadline: new Date(Date.now() + 7 * 86_400_000) });
    const items = await gql(`query($c: ID!) { accessReviewItems(campaignId: $c) { nodes { id grantId mayDecide decision } } }`, adminKey, { c: c.id });
    expect(items.body.data.accessReviewItems.nodes).toHaveLength(2);
    const decide = `mutation($id: ID!) { decideAccessReviewItem(id: $id, decision: KEEP, reason: "needed") { decision } }`;
    // An API key is nobody's owner or sponsor.
    expect(code(await gql(decide, adminKey, { id: items.body.data.accessReviewItems.nodes[0].id }))).toBe('forbidden');
  });
});
