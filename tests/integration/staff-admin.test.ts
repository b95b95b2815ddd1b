import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { config } from '../../lib/config';
import { AppError } from '../../lib/errors';
import { staffFromCookie } from '../../lib/auth/resolve';
import { signInStaff } from '../../lib/auth/staff-auth';
import { changeOwnPassword } from '../../lib/auth/change-password';
import { verifySecret } from '../../lib/crypto/password';
import { handleGraphql } from '../../lib/graphql/yoga';
import { CLIENT_IP_HEADER } from '../../lib/http/client-ip';
import { createStaffUser, getStaffUser, listStaffUsers, resetStaffPassword, updateStaffUser } from '../../lib/staff/users';
import { endStaffSession, endStaffSessions, listOwnSessions, listStaffSessions } from '../../lib/staff/sessions';
import { apiKeyPrincipal, createOrg, createStaff } from '../helpers/factory';
import { consoleSession, cookieFor } from '../helpers/console-session';
import type { Principal } from '../../lib/auth/principal';

const facts = { ip: '203.0.113.21', userAgent: 'vitest' };
const uid = () => crypto.randomBytes(4).toString('hex');

async function errorOf(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

async function signedIn(user: { id: string; orgId: string }) {
  const s = await consoleSession(user, { ip: '198.51.100.77', userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' });
  const p = await staffFromCookie(s.cookie, facts);
  if (!p) throw new Error('no live session');
  return { ...s, p };
}

async function gql(query: string, cookie: string, variables?: Record<string, unknown>) {
  const res = await handleGraphql(new Request('http://liaison.test/api/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', cookie, origin: config().publicUrl, [CLIENT_IP_HEADER]: '198.51.100.40', 'user-agent': 'vitest' },
    body: JSON.stringify({ query, variables }),
  }));
  const body = await res.json() as { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  return { status: res.status, body, code: body.errors?.[0]?.extensions?.code };
}

describe('staff administration', () => {
  it('creates an account with a one-time password that must be replaced before anything else works', async () => {
    const org = await createOrg();
    const { p } = await signedIn((await createStaff(org.id, 'ADMIN')).user);
    const email = `New.Person-${uid()}@Example.test`;
    const created = await createStaffUser(p, { email, name: '  Nadia Okafor ', role: 'MEMBER' });
    expect(created.oneTimePassword).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
    expect(created.user).toMatchObject({ email: email.toLowerCase(), name: 'Nadia Okafor', role: 'MEMBER', mustChangePassword: true, disabledAt: null, activeSessions: 0, lastSignInAt: null });
    const row = await prisma().staffUser.findUniqueOrThrow({ where: { id: created.user.id } });
    expect(row.orgId).toBe(org.id);
    expect(await verifySecret(created.oneTimePassword, row.passwordHash)).toBe(true);
    const ev = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: org.id, type: 'staff.create' } });
    expect(ev).toMatchObject({ actorId: p.kind === 'staff' ? p.userId : null, details: { userId: row.id, email: row.email, role: 'MEMBER', oneTimePassword: true } });
    expect(JSON.stringify(ev)).not.toContain(created.oneTimePassword);

    // Signing in with it works, but the session grants no scope until the password is changed.
    const id = await signInStaff({ email, password: created.oneTimePassword }, { ip: '198.18.77.1', userAgent: 'vitest' });
    const cookie = await cookieFor(id.id, id.sessionId);
    const first = await staffFromCookie(cookie, facts);
    expect(first).toMatchObject({ mustChangePassword: true });
    expect([...first!.scopes]).toEqual([]);
    const docs = await gql('{ documents { nodes { id } } }', cookie);
    expect(docs.code).toBe('forbidden');
    const me = await gql('{ me { scopes } }', cookie);
    expect(me.body.data.me.scopes).toEqual([]);

    await changeOwnPassword(first!, { current: created.oneTimePassword, next: 'my own long passphrase' });
    const after = await staffFromCookie(cookie, facts);
    expect(after).toMatchObject({ mustChangePassword: false });
    expect([...after!.scopes]).toEqual(['documents:read', 'documents:write', 'shares:read', 'shares:write', 'portals:read', 'portals:write']);
    expect((await gql('{ documents { nodes { id } } }', cookie)).status).toBe(200);
  });

  it('refuses a taken email address (any organisation) and malformed input, writing nothing', async () => {
    const org = await createOrg();
    const other = await createOrg();
    const { p } = await signedIn((await createStaff(org.id, 'ADMIN')).user);
    const taken = (await createStaff(other.id, 'MEMBER')).user.email;
    expect((await errorOf(createStaffUser(p, { email: taken.toUpperCase(), name: 'Dup', role: 'MEMBER' }))).code).toBe('conflict');
    await expect(createStaffUser(p, { email: 'not an email', name: 'x' })).rejects.toMatchObject({ name: 'ZodError' });
    await expect(createStaffUser(p, { email: `a-${uid()}@example.test`, name: '   ' })).rejects.toMatchObject({ name: 'ZodError' });
    await expect(createStaffUser(p, { email: `a-${uid()}@example.test`, name: 'x', role: 'ROOT' })).rejects.toMatchObject({ name: 'ZodError' });
    expect(await prisma().staffUser.count({ where: { orgId: org.id } })).toBe(1);
    expect(await prisma().auditEvent.count({ where: { orgId: org.id, type: 'staff.create' } })).toBe(0);
  });

  it('lists staff with their live sessions, searches and filters, and pages', async () => {
    const org = await createOrg();
    const admin = await createStaff(org.id, 'ADMIN');
    const { p } = await signedIn(admin.user);
    const members = await Promise.all([1, 2, 3].map(() => createStaff(org.id, 'MEMBER')));
    await consoleSession(members[0].user);
    await consoleSession(members[0].user);
    const ended = await consoleSession(members[1].user);
    await endStaffSession(p, ended.sid);
    await updateStaffUser(p, members[2].user.id, { disabled: true });

    const all = await listStaffUsers(p);
    expect(all.nodes.map((u) => u.id).sort()).toEqual([admin.user.id, ...members.map((m) => m.user.id)].sort());
    const byId = Object.fromEntries(all.nodes.map((u) => [u.id, u]));
    expect(byId[members[0].user.id].activeSessions).toBe(2);
    expect(byId[members[1].user.id].activeSessions).toBe(0);
    expect(byId[admin.user.id].activeSessions).toBe(1);
    expect((await listStaffUsers(p, { state: 'disabled' })).nodes.map((u) => u.id)).toEqual([members[2].user.id]);
    expect((await listStaffUsers(p, { q: members[1].user.email.slice(0, 12).toUpperCase() })).nodes.map((u) => u.id)).toEqual([members[1].user.id]);

    const page1 = await listStaffUsers(p, { first: 3 });
    expect(page1.hasNextPage).toBe(true);
    const page2 = await listStaffUsers(p, { first: 3, after: page1.endCursor });
    expect(page2.hasNextPage).toBe(false);
    expect([...page1.nodes, ...page2.nodes].map((u) => u.id)).toEqual(all.nodes.map((u) => u.id));
  });

  it('lists live sessions with the browser, and marks the caller\'s own', async () => {
    const org = await createOrg();
    const admin = await signedIn((await createStaff(org.id, 'ADMIN')).user);
    const member = (await createStaff(org.id, 'MEMBER')).user;
    const phone = await consoleSession(member, { ip: '2001:db8::7', userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1' });
    const gone = await consoleSession(member);
    await endStaffSession(admin.p, gone.sid);

    const list = await listStaffSessions(admin.p);
    expect(list.nodes.map((s) => s.id).sort()).toEqual([admin.sid, phone.sid].sort());
    const mine = list.nodes.find((s) => s.id === admin.sid)!;
    expect(mine).toMatchObject({ current: true, active: true, ip: '198.51.100.77', device: { browser: 'Chrome 131', os: 'macOS 10.15.7', device: 'desktop' } });
    const theirs = list.nodes.find((s) => s.id === phone.sid)!;
    expect(theirs).toMatchObject({ current: false, ip: '2001:db8::7', user: { id: member.id, email: member.email }, device: { browser: 'Mobile Safari 18', os: 'iOS 18.1', device: 'mobile' } });
    expect((await listStaffSessions(admin.p, { userId: member.id })).nodes.map((s) => s.id)).toEqual([phone.sid]);
  });
});

describe('last active administrator', () => {
  it('cannot demote or disable themselves, and nobody can do it for them', async () => {
    const org = await createOrg();
    const admin = await createStaff(org.id, 'ADMIN');
    const { p } = await signedIn(admin.user);
    for (const change of [{ role: 'MEMBER' }, { role: 'AUDITOR' }, { disabled: true }, { role: 'MEMBER', disabled: true }]) {
      const e = await errorOf(updateStaffUser(p, admin.user.id, change));
      expect(e.code, JSON.stringify(change)).toBe('conflict');
      expect(e.status).toBe(409);
      expect(e.message).toContain('last active administrator');
    }
    // An admin API key cannot either.
    expect((await errorOf(updateStaffUser(apiKeyPrincipal(org.id, ['admin']), admin.user.id, { disabled: true }))).code).toBe('conflict');
    // A disabled admin does not count as another active one.
    const dormant = await createStaff(org.id, 'ADMIN');
    await prisma().staffUser.update({ where: { id: dormant.user.id }, data: { disabledAt: new Date() } });
    expect((await errorOf(updateStaffUser(p, admin.user.id, { role: 'MEMBER' }))).code).toBe('conflict');
    const row = await prisma().staffUser.findUniqueOrThrow({ where: { id: admin.user.id } });
    expect(row).toMatchObject({ role: 'ADMIN', disabledAt: null });
    expect(await prisma().auditEvent.count({ where: { orgId: org.id, type: { in: ['staff.role_change', 'staff.disable'] } } })).toBe(0);

    // With another active admin, stepping down works, and keeps the session that did it.
    await updateStaffUser(p, dormant.user.id, { disabled: false });
    const me = await updateStaffUser(p, admin.user.id, { role: 'MEMBER' });
    expect(me.role).toBe('MEMBER');
    expect(p.kind === 'staff' && (await prisma().staffSession.findUniqueOrThrow({ where: { id: p.sessionId! } })).endedAt).toBeNull();
  });

  it('two admins demoting each other at the same moment leave one admin', async () => {
    const org = await createOrg();
    const a = await signedIn((await createStaff(org.id, 'ADMIN')).user);
    const b = await signedIn((await createStaff(org.id, 'ADMIN')).user);
    const bId = b.p.kind === 'staff' ? b.p.userId : '';
    const aId = a.p.kind === 'staff' ? a.p.userId : '';
    const results = await Promise.allSettled([
      updateStaffUser(a.p, bId, { role: 'MEMBER' }),
      updateStaffUser(b.p, aId, { disabled: true }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((refused.reason as AppError).code).toBe('conflict');
    expect(await prisma().staffUser.count({ where: { orgId: org.id, role: 'ADMIN', disabledAt: null } })).toBe(1);
  });
});

describe('organisations are sealed from each other', () => {
  it('an admin of A can neither see nor touch B\'s staff or sessions (not_found), and the attempts are audited in A', async () => {
    const orgA = await createOrg('A');
    const orgB = await createOrg('B');
    const adminA = await signedIn((await createStaff(orgA.id, 'ADMIN')).user);
    const userB = (await createStaff(orgB.id, 'MEMBER')).user;
    const adminB = (await createStaff(orgB.id, 'ADMIN')).user;
    const sessionB = await consoleSession(userB);
    const beforeB = await prisma().auditEvent.count({ where: { orgId: orgB.id } });

    expect((await listStaffUsers(adminA.p)).nodes.map((u) => u.id)).not.toContain(userB.id);
    expect((await listStaffSessions(adminA.p)).nodes.map((s) => s.id)).not.toContain(sessionB.sid);
    expect((await errorOf(listStaffSessions(adminA.p, { userId: userB.id }))).code).toBe('not_found');
    expect((await errorOf(listStaffUsers(adminA.p, { after: userB.id }))).code).toBe('validation_failed');
    expect((await errorOf(listStaffSessions(adminA.p, { after: sessionB.sid }))).code).toBe('validation_failed');
    expect((await errorOf(getStaffUser(adminA.p, userB.id))).code).toBe('not_found');
    for (const change of [{ role: 'ADMIN' }, { disabled: true }]) {
      expect((await errorOf(updateStaffUser(adminA.p, userB.id, change))).code).toBe('not_found');
    }
    expect((await errorOf(resetStaffPassword(adminA.p, userB.id))).code).toBe('not_found');
    expect((await errorOf(endStaffSession(adminA.p, sessionB.sid))).code).toBe('not_found');
    expect((await errorOf(endStaffSessions(adminA.p, userB.id))).code).toBe('not_found');
    expect((await errorOf(endStaffSessions(adminA.p, adminB.id))).code).toBe('not_found');

    // The same through GraphQL.
    const g1 = await gql('mutation($id: ID!) { endStaffSession(id: $id) { id } }', adminA.cookie, { id: sessionB.sid });
    expect(g1.code).toBe('not_found');
    const g2 = await gql('mutation($id: ID!) { updateStaffUser(id: $id, input: { disabled: true }) { id } }', adminA.cookie, { id: userB.id });
    expect(g2.code).toBe('not_found');
    const g3 = await gql('mutation($id: ID!) { endStaffSessions(userId: $id) { endedCount } }', adminA.cookie, { id: userB.id });
    expect(g3.code).toBe('not_found');
    const g4 = await gql('{ staffUsers(first: 200) { nodes { id } } staffSessions(first: 200) { nodes { id } } }', adminA.cookie);
    expect(JSON.stringify(g4.body.data)).not.toContain(userB.id);
    expect(JSON.stringify(g4.body.data)).not.toContain(sessionB.sid);

    // B is untouched: the user enabled and a member, the session live, nothing written to B's trail.
    expect(await prisma().staffUser.findUniqueOrThrow({ where: { id: userB.id } })).toMatchObject({ role: 'MEMBER', disabledAt: null, mustChangePassword: false });
    expect(await staffFromCookie(sessionB.cookie, facts)).not.toBeNull();
    expect(await prisma().auditEvent.count({ where: { orgId: orgB.id } })).toBe(beforeB);
    const denied = await prisma().auditEvent.findMany({ where: { orgId: orgA.id, outcome: 'denied' } });
    expect(denied.length).toBeGreaterThanOrEqual(8);
    expect(denied.every((e) => e.reason === 'not_found')).toBe(true);
  });

  it('a malformed id is a 404 too, audited with a safe rendering of what was sent', async () => {
    const org = await createOrg();
    const admin = await signedIn((await createStaff(org.id, 'ADMIN')).user);
    const bad = `../x\u202e${'y'.repeat(200)}`;
    expect((await errorOf(endStaffSession(admin.p, bad))).code).toBe('not_found');
    expect((await errorOf(updateStaffUser(admin.p, bad, { role: 'MEMBER' }))).code).toBe('not_found');
    const ev = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: org.id, type: 'staff.session.end', outcome: 'denied' } });
    expect(ev.reason).toBe('invalid_id');
    const shown = (ev.details as { sessionId: string }).sessionId;
    expect(shown).toContain('\\u202e');
    expect(shown.length).toBeLessThan(120);
  });
});

describe('members and auditors', () => {
  it('cannot reach staff administration (forbidden), in the domain and through GraphQL', async () => {
    const org = await createOrg();
    const admin = (await createStaff(org.id, 'ADMIN')).user;
    const adminSession = await consoleSession(admin);
    for (const role of ['MEMBER', 'AUDITOR'] as const) {
      const { p, cookie } = await signedIn((await createStaff(org.id, role)).user);
      const calls: Array<[string, () => Promise<unknown>]> = [
        ['listStaffUsers', () => listStaffUsers(p)],
        ['getStaffUser', () => getStaffUser(p, admin.id)],
        ['createStaffUser', () => createStaffUser(p, { email: `x-${uid()}@example.test`, name: 'x' })],
        ['updateStaffUser', () => updateStaffUser(p, admin.id, { disabled: true })],
        ['resetStaffPassword', () => resetStaffPassword(p, admin.id)],
        ['listStaffSessions', () => listStaffSessions(p)],
        ['endStaffSession', () => endStaffSession(p, adminSession.sid)],
        ['endStaffSessions', () => endStaffSessions(p, admin.id)],
      ];
      for (const [name, call] of calls) expect((await errorOf(call())).code, `${role} ${name}`).toBe('forbidden');
      for (const q of [
        '{ staffUsers { nodes { id } } }',
        '{ staffSessions { nodes { id } } }',
        `mutation { createStaffUser(input: { email: "y-${uid()}@example.test", name: "y" }) { oneTimePassword } }`,
        `mutation { updateStaffUser(id: "${admin.id}", input: { role: MEMBER }) { id } }`,
        `mutation { endStaffSession(id: "${adminSession.sid}") { id } }`,
        `mutation { endStaffSessions(userId: "${admin.id}") { endedCount } }`,
      ]) {
        const r = await gql(q, cookie);
        expect(r.status, `${role} ${q}`).toBe(403);
        expect(r.code).toBe('forbidden');
      }
    }
    expect(await staffFromCookie(adminSession.cookie, facts)).not.toBeNull();
    expect(await prisma().staffUser.findUniqueOrThrow({ where: { id: admin.id } })).toMatchObject({ disabledAt: null, role: 'ADMIN' });
  });

  it('an API key without the admin scope gets insufficient_scope; with it, it may administer', async () => {
    const org = await createOrg();
    expect((await errorOf(listStaffUsers(apiKeyPrincipal(org.id, ['documents:read'])))).code).toBe('insufficient_scope');
    expect((await errorOf(endStaffSessions(apiKeyPrincipal(org.id, ['documents:read']), 'abc'))).code).toBe('insufficient_scope');
    const member = (await createStaff(org.id, 'MEMBER')).user;
    const s = await consoleSession(member);
    expect(await endStaffSessions(apiKeyPrincipal(org.id, ['admin']), member.id)).toEqual({ endedCount: 1 });
    expect(await staffFromCookie(s.cookie, facts)).toBeNull();
  });

  it('see and end their own sessions, never the one they are using through "end all"', async () => {
    const org = await createOrg();
    const member = (await createStaff(org.id, 'MEMBER')).user;
    const here = await signedIn(member);
    const there = await consoleSession(member);
    const elsewhere = await consoleSession(member);
    const own = await listOwnSessions(here.p);
    expect(own.map((s) => [s.id, s.current]).sort()).toEqual([[here.sid, true], [there.sid, false], [elsewhere.sid, false]].sort());
    expect(await endStaffSession(here.p, there.sid)).toMatchObject({ active: false, endedReason: 'ended_by_user' });
    expect((await gql('mutation($u: ID!) { endStaffSessions(userId: $u) { endedCount } }', here.cookie, { u: member.id })).body.data.endStaffSessions).toEqual({ endedCount: 1 });
    expect(await staffFromCookie(elsewhere.cookie, facts)).toBeNull();
    const mine = await gql('{ mySessions { id current browser os } }', here.cookie);
    expect(mine.body.data.mySessions).toEqual([{ id: here.sid, current: true, browser: 'Chrome 131', os: 'macOS 10.15.7' }]);
  });

  it('an admin cannot reset their own password without the current one', async () => {
    const org = await createOrg();
    const { p } = await signedIn((await createStaff(org.id, 'ADMIN')).user);
    expect((await errorOf(resetStaffPassword(p, (p as Extract<Principal, { kind: 'staff' }>).userId))).code).toBe('conflict');
  });
});
