import { beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { issueApiKey } from '../../lib/auth/api-keys';
import { handleGraphql } from '../../lib/graphql/yoga';
import type { Scope } from '../../lib/auth/scopes';
import { createStaff } from '../helpers/factory';
import { apiList, apiToken, sharedPdf } from '../helpers/guest';

interface GqlResult { status: number; body: { data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } }

async function gql(query: string, key: string, variables?: Record<string, unknown>): Promise<GqlResult> {
  const res = await handleGraphql(new Request('http://liaison.test/api/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json', accept: 'application/graphql-response+json, application/json',
      authorization: `Bearer ${key}`, 'x-liaison-client-ip': '198.51.100.31', 'user-agent': 'vitest-graphql-guests',
    },
    body: JSON.stringify({ query, variables }),
  }));
  return { status: res.status, body: await res.json() };
}

const code = (r: GqlResult) => r.body.errors?.[0]?.extensions?.code;
const keyFor = async (orgId: string, scopes?: Scope[]) => (await issueApiKey({ orgId, name: `test ${scopes?.join('+') ?? 'all'}`, scopes, actor: null })).key;

async function openAnonymous(url: string) {
  const token = await apiToken(url);
  const sid = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sid as string;
  const s = await prisma().guestSession.findUniqueOrThrow({ where: { id: sid } });
  return { token, sessionId: s.id, guestId: s.guestId };
}

const GUESTS = `query($q: String, $kind: GuestKind, $state: GuestState, $first: Int, $after: String) {
  guests(q: $q, kind: $kind, state: $state, first: $first, after: $after) {
    nodes { id email kind state displayName partnerOrg { name } lastSeenAt liveSessionCount shares { id title } }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}`;
const GUEST = `query($id: ID!) { guest(id: $id) { id email kind state disabledReason sessions { id ip country device browser authMethod state createdAt lastSeenAt shareId revokedAt } } }`;

describe('graphql: guests', () => {
  let ctx: Awaited<ReturnType<typeof sharedPdf>>;
  let adminKey: string;
  let a: Awaited<ReturnType<typeof openAnonymous>>;
  let b: Awaited<ReturnType<typeof openAnonymous>>;
  let verified: string;

  beforeAll(async () => {
    ctx = await sharedPdf();
    adminKey = await keyFor(ctx.org.id);
    a = await openAnonymous(ctx.url);
    b = await openAnonymous(ctx.url);
    verified = (await prisma().guest.create({ data: { orgId: ctx.org.id, kind: 'EMAIL_VERIFIED', email: 'reviewer@partner.example' } })).id;
  });

  it('lists guests with kind, state, shares and a total, and pages', async () => {
    const r = await gql(GUESTS, adminKey, { first: 2 });
    expect(r.body.errors).toBeUndefined();
    const page = r.body.data.guests;
    expect(page.totalCount).toBe(3);
    expect(page.nodes.map((n: { id: string }) => n.id)).toEqual([verified, b.guestId]);
    expect(page.nodes[1]).toMatchObject({ email: null, kind: 'ANONYMOUS', state: 'ACTIVE', liveSessionCount: 1, shares: [{ id: ctx.share.id, title: 'Briefing' }] });
    const next = await gql(GUESTS, adminKey, { first: 2, after: page.pageInfo.endCursor });
    expect(next.body.data.guests.nodes.map((n: { id: string }) => n.id)).toEqual([a.guestId]);
    expect(next.body.data.guests.pageInfo.hasNextPage).toBe(false);
    const found = await gql(GUESTS, adminKey, { q: 'partner.example', kind: 'EMAIL_VERIFIED' });
    expect(found.body.data.guests.nodes).toEqual([expect.objectContaining({ id: verified, email: 'reviewer@partner.example', kind: 'EMAIL_VERIFIED' })]);
  });

  it('shows a guest with its sessions', async () => {
    const r = await gql(GUEST, adminKey, { id: a.guestId });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.guest.sessions).toEqual([expect.objectContaining({ id: a.sessionId, ip: '198.51.100.10', device: 'desktop', authMethod: 'link', state: 'ACTIVE', shareId: ctx.share.id, revokedAt: null })]);
    expect(r.body.data.guest.sessions[0].browser).toMatch(/^Chrome 130/);
  });

  it('revokeGuestSession ends one session: its token is refused at once', async () => {
    expect((await apiList(a.token)).status).toBe(200);
    const r = await gql('mutation($id: ID!) { revokeGuestSession(id: $id) { id state revokedAt } }', adminKey, { id: a.sessionId });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.revokeGuestSession).toMatchObject({ id: a.sessionId, state: 'REVOKED' });
    expect((await apiList(a.token)).status).toBe(401);
    expect((await apiList(b.token)).status).toBe(200);
  });

  it('revokeGuestSessions and disableGuest end everything of a guest', async () => {
    const c = await openAnonymous(ctx.url);
    const r = await gql('mutation($id: ID!) { revokeGuestSessions(guestId: $id) { revokedCount guest { id liveSessionCount } } }', adminKey, { id: c.guestId });
    expect(r.body.data.revokeGuestSessions).toEqual({ revokedCount: 1, guest: { id: c.guestId, liveSessionCount: 0 } });
    expect((await apiList(c.token)).status).toBe(401);

    const d = await gql('mutation($id: ID!, $reason: String) { disableGuest(id: $id, reason: $reason) { id state disabledReason } }', adminKey, { id: b.guestId, reason: 'Engagement ended' });
    expect(d.body.data.disableGuest).toEqual({ id: b.guestId, state: 'DISABLED', disabledReason: 'Engagement ended' });
    expect((await apiList(b.token)).status).toBe(401);
    const disabled = await gql(GUESTS, adminKey, { state: 'DISABLED' });
    expect(disabled.body.data.guests.nodes.map((n: { id: string }) => n.id)).toEqual([b.guestId]);
    const back = await gql('mutation($id: ID!) { enableGuest(id: $id) { state } }', adminKey, { id: b.guestId });
    expect(back.body.data.enableGuest.state).toBe('ACTIVE');
  });

  it('scopes: reading needs shares:read, audit:read or admin; changing needs shares:write; keys without admin see no guests', async () => {
    const readOnly = await keyFor(ctx.org.id, ['documents:read']);
    expect(code(await gql(GUESTS, readOnly))).toBe('insufficient_scope');
    const sharesKey = await keyFor(ctx.org.id, ['shares:read', 'shares:write']);
    expect(code(await gql(GUESTS, sharesKey))).toBe('insufficient_scope');
    const auditKey = await keyFor(ctx.org.id, ['audit:read']);
    expect((await gql(GUESTS, auditKey)).body.data.guests.totalCount).toBe(4);
    expect(code(await gql('mutation($id: ID!) { disableGuest(id: $id) { id } }', auditKey, { id: a.guestId }))).toBe('insufficient_scope');
  });

  it('another organisation\'s guest or session is not_found; a malformed id is 404', async () => {
    const other = await sharedPdf();
    const otherKey = await keyFor(other.org.id);
    expect(code(await gql(GUEST, otherKey, { id: a.guestId }))).toBe('not_found');
    expect(code(await gql('mutation($id: ID!) { revokeGuestSession(id: $id) { id } }', otherKey, { id: a.sessionId }))).toBe('not_found');
    expect(code(await gql('mutation($id: ID!) { revokeGuestSessions(guestId: $id) { revokedCount } }', otherKey, { id: a.guestId }))).toBe('not_found');
    expect(code(await gql('mutation($id: ID!) { disableGuest(id: $id) { id } }', otherKey, { id: a.guestId }))).toBe('not_found');
    const bad = await gql(GUEST, otherKey, { id: '../x' });
    expect(bad.status).toBe(404);
    expect(code(bad)).toBe('not_found');
    expect((await prisma().guest.findUniqueOrThrow({ where: { id: a.guestId } })).disabledAt).toBeNull();
  });

  it('a member who created none of the shares sees none of their guests', async () => {
    const colleague = await createStaff(ctx.org.id, 'MEMBER');
    const { listGuests } = await import('../../lib/guest/admin');
    expect((await listGuests(colleague.principal, {})).nodes).toEqual([]);
  });
});

describe('graphql: share audience', () => {
  it('creates and updates a share with an audience and allowed domains', async () => {
    const ctx = await sharedPdf();
    const key = await keyFor(ctx.org.id);
    const created = await gql(`mutation($input: CreateShareInput!) { createShare(input: $input) { share { id audience allowedDomains } } }`, key, {
      input: { documentIds: [ctx.doc.id], audience: 'VERIFIED_EMAIL', allowedDomains: ['Partner.Example'], recipients: ['a@b.example'] },
    });
    expect(created.body.errors).toBeUndefined();
    const s = created.body.data.createShare.share;
    expect(s).toMatchObject({ audience: 'VERIFIED_EMAIL', allowedDomains: ['partner.example'] });
    const updated = await gql(`mutation($id: ID!, $input: UpdateShareInput!) { updateShare(id: $id, input: $input) { audience allowedDomains } }`, key, {
      id: s.id, input: { audience: 'ANYONE_WITH_LINK', allowedDomains: [] },
    });
    expect(updated.body.errors).toBeUndefined();
    expect(updated.body.data.updateShare).toEqual({ audience: 'ANYONE_WITH_LINK', allowedDomains: [] });
    const plain = await gql(`mutation($input: CreateShareInput!) { createShare(input: $input) { share { audience allowedDomains invitations { id } } } }`, key, { input: { documentIds: [ctx.doc.id] } });
    expect(plain.body.data.createShare.share).toEqual({ audience: 'ANYONE_WITH_LINK', allowedDomains: [], invitations: [] });
    expect(code(await gql(`mutation($id: ID!) { updateShare(id: $id, input: { audience: null }) { id } }`, key, { id: s.id }))).toBe('validation_failed');
  });
});

describe('graphql: invitations', () => {
  const INV = 'id shareId email state sentCount lastSentAt expiresAt acceptedAt revokedAt createdAt';
  it('invites, lists on the share, resends and revokes', async () => {
    const ctx = await sharedPdf({ audience: 'INVITED', recipients: ['counsel@firm.example'] });
    const key = await keyFor(ctx.org.id);
    const listed = await gql(`query($id: ID!) { share(id: $id) { audience invitations { ${INV} } } }`, key, { id: ctx.share.id });
    expect(listed.body.errors).toBeUndefined();
    expect(listed.body.data.share.invitations).toEqual([expect.objectContaining({ email: 'counsel@firm.example', state: 'PENDING', sentCount: 1 })]);

    const invited = await gql(`mutation($id: ID!, $emails: [String!]!, $message: String) { inviteGuests(shareId: $id, emails: $emails, message: $message) { ${INV} } }`, key,
      { id: ctx.share.id, emails: ['Board@Member.example'], message: 'For Thursday.' });
    expect(invited.body.errors).toBeUndefined();
    const [board] = invited.body.data.inviteGuests;
    expect(board).toMatchObject({ email: 'board@member.example', state: 'PENDING', sentCount: 1, shareId: ctx.share.id });

    const resent = await gql(`mutation($id: ID!) { resendInvitation(id: $id) { sentCount state } }`, key, { id: board.id });
    expect(resent.body.data.resendInvitation).toEqual({ sentCount: 2, state: 'PENDING' });
    const revoked = await gql(`mutation($id: ID!) { revokeInvitation(id: $id) { state revokedAt } }`, key, { id: board.id });
    expect(revoked.body.data.revokeInvitation.state).toBe('REVOKED');
    expect(code(await gql(`mutation($id: ID!) { resendInvitation(id: $id) { id } }`, key, { id: board.id }))).toBe('conflict');

    const other = await sharedPdf();
    const otherKey = await keyFor(other.org.id);
    expect(code(await gql(`mutation($id: ID!) { revokeInvitation(id: $id) { id } }`, otherKey, { id: board.id }))).toBe('not_found');
    expect(code(await gql(`mutation($id: ID!, $emails: [String!]!) { inviteGuests(shareId: $id, emails: $emails) { id } }`, otherKey, { id: ctx.share.id, emails: ['x@y.example'] }))).toBe('not_found');
    const readOnly = await keyFor(ctx.org.id, ['shares:read']);
    expect(code(await gql(`mutation($id: ID!) { revokeInvitation(id: $id) { id } }`, readOnly, { id: board.id }))).toBe('insufficient_scope');
  });
});
