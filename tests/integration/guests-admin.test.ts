import { beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { AppError } from '../../lib/errors';
import { createShare } from '../../lib/shares/service';
import type { CreateShareInput } from '../../lib/shares/input';
import { disableGuest, enableGuest, getGuest, listGuests, listGuestSessions, revokeGuestSession, revokeGuestSessions } from '../../lib/guest/admin';
import { apiKeyPrincipal, createStaff } from '../helpers/factory';
import { apiList, apiToken, sharedPdf } from '../helpers/guest';

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return e instanceof AppError ? e.code : String(e);
  }
};

/** A guest session opened through the real guest API; returns the token and the session's guest. */
async function openAnonymous(url: string) {
  const token = await apiToken(url);
  const sid = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sid as string;
  const s = await prisma().guestSession.findUniqueOrThrow({ where: { id: sid } });
  return { token, sessionId: s.id, guestId: s.guestId };
}

const events = (orgId: string, type: string) => prisma().auditEvent.findMany({ where: { orgId, type, outcome: 'success' }, orderBy: { seq: 'asc' } });

describe('guests in the console: who sees whom', () => {
  let ctx: Awaited<ReturnType<typeof sharedPdf>>;
  let admin: Awaited<ReturnType<typeof createStaff>>;
  let other: Awaited<ReturnType<typeof createStaff>>;
  let auditor: Awaited<ReturnType<typeof createStaff>>;
  let mine: Awaited<ReturnType<typeof openAnonymous>>;
  let theirs: Awaited<ReturnType<typeof openAnonymous>>;
  let verifiedId: string;

  beforeAll(async () => {
    ctx = await sharedPdf();
    admin = await createStaff(ctx.org.id, 'ADMIN');
    other = await createStaff(ctx.org.id, 'MEMBER');
    auditor = await createStaff(ctx.org.id, 'AUDITOR');
    const otherShare = await createShare(other.principal, { documentIds: [ctx.doc.id] } as CreateShareInput);
    mine = await openAnonymous(ctx.url);
    theirs = await openAnonymous(otherShare.url);
    // An email-verified guest with a partner organisation, as the code sign-in will create them.
    const partner = await prisma().partnerOrg.create({ data: { orgId: ctx.org.id, name: 'Northwind Forensics', domains: ['northwind.example'] } });
    const g = await prisma().guest.create({ data: { orgId: ctx.org.id, kind: 'EMAIL_VERIFIED', email: 'analyst@northwind.example', displayName: 'Ana Lyst', partnerOrgId: partner.id } });
    verifiedId = g.id;
    await prisma().guestSession.create({ data: { guestId: g.id, shareId: ctx.share.id, ip: '198.51.100.44', country: 'GB', device: 'desktop', userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36', authMethod: 'code', expiresAt: new Date(Date.now() + 3600_000) } });
  });

  it('admins and auditors list every guest of the organisation, newest first', async () => {
    for (const p of [admin.principal, auditor.principal]) {
      const page = await listGuests(p, {});
      expect(page.nodes.map((g) => g.id)).toEqual([verifiedId, theirs.guestId, mine.guestId]);
      expect(await page.totalCount()).toBe(3);
    }
  });

  it('a member lists only the guests of shares they created', async () => {
    const page = await listGuests(ctx.principal, {});
    expect(page.nodes.map((g) => g.id).sort()).toEqual([mine.guestId, verifiedId].sort());
    expect(await codeOf(getGuest(ctx.principal, theirs.guestId))).toBe('not_found');
    expect(await codeOf(getGuest(other.principal, mine.guestId))).toBe('not_found');
  });

  it('describes each guest: kind, partner, shares, last seen, state, live sessions', async () => {
    const g = await getGuest(admin.principal, verifiedId);
    expect(g).toMatchObject({ kind: 'EMAIL_VERIFIED', email: 'analyst@northwind.example', displayName: 'Ana Lyst', state: 'ACTIVE', liveSessionCount: 1, partnerOrg: { name: 'Northwind Forensics' } });
    expect(g.shares).toEqual([expect.objectContaining({ id: ctx.share.id, title: 'Briefing', documentCount: 1, state: 'ACTIVE' })]);
    expect(g.lastSeenAt).toBeInstanceOf(Date);
    const sessions = await listGuestSessions(admin.principal, verifiedId);
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ ip: '198.51.100.44', country: 'GB', device: 'desktop', authMethod: 'code', state: 'ACTIVE', shareTitle: 'Briefing', canRevoke: true });
    expect(sessions[0].browser.label).toBe('Chrome 131 on macOS 10.15.7');
  });

  it('searches by email, name, partner organisation and id; filters by kind and state', async () => {
    const ids = async (raw: Record<string, unknown>) => (await listGuests(admin.principal, raw)).nodes.map((g) => g.id);
    expect(await ids({ q: 'NORTHWIND' })).toEqual([verifiedId]);
    expect(await ids({ q: 'ana lyst' })).toEqual([verifiedId]);
    expect(await ids({ q: mine.guestId })).toEqual([mine.guestId]);
    expect(await ids({ kind: 'ANONYMOUS' })).toEqual([theirs.guestId, mine.guestId]);
    expect(await ids({ state: 'DISABLED' })).toEqual([]);
    expect(await ids({ shareId: ctx.share.id })).toEqual([verifiedId, mine.guestId]);
    const foreign = await sharedPdf();
    expect(await codeOf(listGuests(admin.principal, { shareId: foreign.share.id }))).toBe('not_found');
  });

  it('pages with a cursor of its own organisation only', async () => {
    const first = await listGuests(admin.principal, { first: 2 });
    expect(first.hasNextPage).toBe(true);
    const second = await listGuests(admin.principal, { first: 2, after: first.endCursor });
    expect(second.nodes.map((g) => g.id)).toEqual([mine.guestId]);
    expect(second.hasNextPage).toBe(false);
    const foreign = await sharedPdf();
    expect(await codeOf(listGuests(foreign.principal, { after: mine.guestId }))).toBe('validation_failed');
  });

  it('another organisation\'s guest is not_found, and the probe is in the caller\'s trail', async () => {
    const foreign = await sharedPdf();
    const fAdmin = await createStaff(foreign.org.id, 'ADMIN');
    expect(await codeOf(getGuest(fAdmin.principal, mine.guestId))).toBe('not_found');
    expect(await codeOf(revokeGuestSessions(fAdmin.principal, mine.guestId))).toBe('not_found');
    expect(await codeOf(revokeGuestSession(fAdmin.principal, mine.sessionId))).toBe('not_found');
    expect(await codeOf(disableGuest(fAdmin.principal, 'bad id\u0000'))).toBe('not_found');
    const denied = await prisma().auditEvent.findMany({ where: { orgId: foreign.org.id, outcome: 'denied' } });
    expect(denied.map((e) => e.type)).toEqual(expect.arrayContaining(['guest.read', 'guest.sessions.revoke', 'guest.session.revoke', 'guest.disable']));
    expect(await prisma().guestSession.count({ where: { id: mine.sessionId, revokedAt: { not: null } } })).toBe(0);
  });

  it('an API key needs admin (or audit:read) to see guests; auditors change nothing', async () => {
    expect(await codeOf(listGuests(apiKeyPrincipal(ctx.org.id, ['shares:read', 'shares:write']), {}))).toBe('insufficient_scope');
    expect((await listGuests(apiKeyPrincipal(ctx.org.id, ['admin', 'shares:write']), {})).nodes).toHaveLength(3);
    expect(await codeOf(revokeGuestSession(auditor.principal, mine.sessionId))).toBe('forbidden');
    expect(await codeOf(disableGuest(auditor.principal, mine.guestId))).toBe('forbidden');
  });
});

describe('guests in the console: ending sessions and disabling', () => {
  it('ending one session refuses its token at once; the owner may, a colleague may not', async () => {
    const ctx = await sharedPdf();
    const colleague = await createStaff(ctx.org.id, 'MEMBER');
    const a = await openAnonymous(ctx.url);
    expect((await apiList(a.token)).status).toBe(200);
    expect(await codeOf(revokeGuestSession(colleague.principal, a.sessionId))).toBe('not_found');
    const ended = await revokeGuestSession(ctx.principal, a.sessionId);
    expect(ended.state).toBe('REVOKED');
    expect(ended.revokedAt).toBeInstanceOf(Date);
    expect((await apiList(a.token)).status).toBe(401);
    const [e] = await events(ctx.org.id, 'guest.session.revoke');
    expect(e).toMatchObject({ shareId: ctx.share.id, actorId: ctx.principal.kind === 'staff' ? ctx.principal.userId : null });
    // Again: nothing changes and nothing more is recorded.
    await revokeGuestSession(ctx.principal, a.sessionId);
    expect(await events(ctx.org.id, 'guest.session.revoke')).toHaveLength(1);
  });

  it('an admin ends every session of a guest: the guest epoch moves on', async () => {
    const ctx = await sharedPdf();
    const admin = await createStaff(ctx.org.id, 'ADMIN');
    const a = await openAnonymous(ctx.url);
    const before = await prisma().guest.findUniqueOrThrow({ where: { id: a.guestId } });
    const r = await revokeGuestSessions(admin.principal, a.guestId);
    expect(r.revokedCount).toBe(1);
    expect(r.guest.liveSessionCount).toBe(0);
    expect((await prisma().guest.findUniqueOrThrow({ where: { id: a.guestId } })).revocationEpoch).toBe(before.revocationEpoch + 1);
    expect((await apiList(a.token)).status).toBe(401);
    expect(await events(ctx.org.id, 'guest.sessions.revoke')).toHaveLength(1);
  });

  it('a member ends only the sessions on their own shares', async () => {
    const ctx = await sharedPdf();
    const colleague = await createStaff(ctx.org.id, 'MEMBER');
    const theirShare = await createShare(colleague.principal, { documentIds: [ctx.doc.id] } as CreateShareInput);
    const g = await prisma().guest.create({ data: { orgId: ctx.org.id, kind: 'REGISTERED', email: 'counsel@firm.example' } });
    const at = (shareId: string) => prisma().guestSession.create({ data: { guestId: g.id, shareId, ip: '198.51.100.9', authMethod: 'password', expiresAt: new Date(Date.now() + 3600_000) } });
    const own = await at(ctx.share.id);
    const notOwn = await at(theirShare.share.id);
    const view = await getGuest(ctx.principal, g.id);
    expect(view).toMatchObject({ canRevokeSessions: true, canDisable: false });
    const r = await revokeGuestSessions(ctx.principal, g.id);
    expect(r.revokedCount).toBe(1);
    expect((await prisma().guestSession.findUniqueOrThrow({ where: { id: own.id } })).revokedAt).not.toBeNull();
    expect((await prisma().guestSession.findUniqueOrThrow({ where: { id: notOwn.id } })).revokedAt).toBeNull();
    expect(await codeOf(revokeGuestSession(ctx.principal, notOwn.id))).toBe('forbidden');
    // Disabling locks the guest out of the colleague's share too: not theirs to decide.
    expect(await codeOf(disableGuest(ctx.principal, g.id, 'left the firm'))).toBe('forbidden');
  });

  it('disabling a guest ends its sessions, keeps the reason, is audited per share, and can be undone', async () => {
    const ctx = await sharedPdf();
    // A webhook listening for guest.revoked (never delivered here: the queue does not run in this test).
    const hook = await prisma().webhook.create({ data: { orgId: ctx.org.id, url: 'http://127.0.0.1:9/hook', events: ['guest.revoked'], secretEnc: Buffer.alloc(32) } });
    const a = await openAnonymous(ctx.url);
    const g = await disableGuest(ctx.principal, a.guestId, '  Suspected\u0007 forwarding  ');
    expect(g).toMatchObject({ state: 'DISABLED', disabledReason: 'Suspected  forwarding', liveSessionCount: 0 });
    expect((await apiList(a.token)).status).toBe(401);
    const [e] = await events(ctx.org.id, 'guest.disable');
    expect(e).toMatchObject({ shareId: ctx.share.id, reason: 'Suspected  forwarding' });
    expect((await listGuests(ctx.principal, { state: 'DISABLED' })).nodes.map((x) => x.id)).toEqual([a.guestId]);
    const [delivery] = await prisma().webhookDelivery.findMany({ where: { webhookId: hook.id } });
    expect(delivery).toMatchObject({ eventType: 'guest.revoked', event: expect.objectContaining({ data: expect.objectContaining({ guest: { id: a.guestId, email: null }, reason: 'Suspected  forwarding' }) }) });
    // Twice changes nothing; the reason has a limit.
    await disableGuest(ctx.principal, a.guestId, 'again');
    expect(await events(ctx.org.id, 'guest.disable')).toHaveLength(1);
    expect(await codeOf(disableGuest(ctx.principal, a.guestId, 'x'.repeat(501)))).toBe('validation_failed');
    const back = await enableGuest(ctx.principal, a.guestId);
    expect(back.state).toBe('ACTIVE');
    expect(back.disabledReason).toBeNull();
    expect(await events(ctx.org.id, 'guest.enable')).toHaveLength(1);
    // The ended session stays ended.
    expect((await apiList(a.token)).status).toBe(401);
  });
});
