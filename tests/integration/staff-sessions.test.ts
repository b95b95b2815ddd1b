import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { config } from '../../lib/config';
import { AppError } from '../../lib/errors';
import { authOptions } from '../../lib/auth/next-auth';
import { staffFromCookie } from '../../lib/auth/resolve';
import { signInStaff } from '../../lib/auth/staff-auth';
import { signOutSession } from '../../lib/auth/sessions';
import { changeOwnPassword } from '../../lib/auth/change-password';
import { createDocument } from '../../lib/documents/service';
import { handleGraphql } from '../../lib/graphql/yoga';
import { CLIENT_IP_HEADER, clientIp } from '../../lib/http/client-ip';
import { handleUpload } from '../../lib/http/upload-handler';
import { attachRealtime } from '../../lib/realtime/server';
import { endStaffSession, endStaffSessions } from '../../lib/staff/sessions';
import { updateStaffUser, resetStaffPassword } from '../../lib/staff/users';
import { GET as downloadRoute } from '../../app/api/v1/documents/[id]/content/route';
import { createOrg, createStaff, fileFrom, FIXTURE_PASSWORD } from '../helpers/factory';
import { consoleSession, cookieFor } from '../helpers/console-session';
import type { Principal } from '../../lib/auth/principal';

const freshIp = () => `198.19.${crypto.randomInt(256)}.${crypto.randomInt(1, 255)}`;
const facts = { ip: '203.0.113.9', userAgent: 'vitest' };

// The upload endpoint and socket.io on a real HTTP server, as server.ts wires them (without Next).
let server: http.Server;
let base: string;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.headers[CLIENT_IP_HEADER] = clientIp(req);
    if (handleUpload(req, res)) return;
    if (req.url?.startsWith('/socket.io')) return; // socket.io answers these itself
    res.writeHead(404).end();
  });
  attachRealtime(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

async function gql(query: string, cookie: string, variables?: Record<string, unknown>) {
  const res = await handleGraphql(new Request('http://liaison.test/api/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', cookie, origin: config().publicUrl, [CLIENT_IP_HEADER]: '198.51.100.30', 'user-agent': 'vitest' },
    body: JSON.stringify({ query, variables }),
  }));
  const body = await res.json() as { data?: any; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  return { status: res.status, body, code: body.errors?.[0]?.extensions?.code };
}

async function download(docId: string, cookie: string) {
  const res = await downloadRoute(new Request(`http://liaison.test/api/v1/documents/${docId}/content`, { headers: { cookie, [CLIENT_IP_HEADER]: '198.51.100.31' } }), { params: Promise.resolve({ id: docId }) });
  return { status: res.status, body: res.status === 200 ? await res.text() : await res.json() };
}

async function uploadStatus(cookie: string) {
  const boundary = `----b${crypto.randomBytes(6).toString('hex')}`;
  const body = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--${boundary}--\r\n`);
  const res = await fetch(`${base}/api/v1/documents`, { method: 'POST', headers: { cookie, origin: config().publicUrl, 'content-type': `multipart/form-data; boundary=${boundary}` }, body });
  await res.arrayBuffer();
  return res.status;
}

/**
 * Every door a console cookie opens: what console pages and server actions use (staffFromCookie,
 * through lib/http/next-session.ts), the download API route, GraphQL, and the upload handler.
 */
async function doors(cookie: string, docId: string) {
  const principal = await staffFromCookie(cookie, facts);
  const api = await download(docId, cookie);
  const graphql = await gql('{ me { id } }', cookie);
  const upload = await uploadStatus(cookie);
  return { page: principal ? 'signed in' : 'signed out', api: api.status, graphql: graphql.status, upload };
}
const OPEN = { page: 'signed in', api: 200, graphql: 200, upload: 201 };
const SHUT = { page: 'signed out', api: 401, graphql: 401, upload: 401 };

async function setup() {
  const org = await createOrg();
  const admin = await createStaff(org.id, 'ADMIN');
  const member = await createStaff(org.id, 'MEMBER');
  const bystander = await createStaff(org.id, 'MEMBER');
  const doc = await createDocument(admin.principal, fileFrom('secret minutes', 'minutes.txt', 'text/plain'), { title: 'Minutes', tlp: 'AMBER' }, 1_000_000);
  return { org, admin, member, bystander, docId: doc.id };
}

/** A principal as the console builds it from a cookie (with its session id). */
async function principalOf(cookie: string): Promise<Principal> {
  const p = await staffFromCookie(cookie, facts);
  if (!p) throw new Error('expected a live session');
  return p;
}

const errorOf = async (p: Promise<unknown>) => {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
};

describe('console sessions live on the server', () => {
  it('the cookie names only the user and the session; a sign-in opens a row that every request checks', async () => {
    const { org, member } = await setup();
    const identity = await signInStaff({ email: member.user.email, password: FIXTURE_PASSWORD }, { ip: freshIp(), userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36' });
    // What next-auth writes into the cookie is what the jwt callback returns.
    const jwt = await authOptions().callbacks!.jwt!({ token: { sub: member.user.id, name: member.user.name, email: member.user.email }, user: { id: identity.id, email: identity.email, name: identity.name, sid: identity.sessionId }, account: null } as never);
    expect(jwt).toEqual({ sub: member.user.id, sid: identity.sessionId });
    const cookie = await cookieFor(member.user.id, identity.sessionId);
    const p = await principalOf(cookie);
    expect(p).toMatchObject({ kind: 'staff', userId: member.user.id, orgId: org.id, role: 'MEMBER', sessionId: identity.sessionId });

    // A cookie without a sid (as issued before server-side sessions), or naming someone else's session, is no session.
    expect(await staffFromCookie(await cookieFor(member.user.id, ''), facts)).toBeNull();
    const { cookie: otherCookie, sid: otherSid } = await consoleSession((await createStaff(org.id)).user);
    expect(await staffFromCookie(await cookieFor(member.user.id, otherSid), facts)).toBeNull();
    expect(await staffFromCookie(otherCookie, facts)).not.toBeNull();
    expect(await staffFromCookie('next-auth.session-token=forged', facts)).toBeNull();
  });

  it('updates lastSeenAt at most once a minute', async () => {
    const { member } = await setup();
    const { cookie, sid } = await consoleSession(member.user);
    const old = new Date(Date.now() - 5 * 60_000);
    await prisma().staffSession.update({ where: { id: sid }, data: { lastSeenAt: old } });
    await principalOf(cookie);
    const first = (await prisma().staffSession.findUniqueOrThrow({ where: { id: sid } })).lastSeenAt;
    expect(first.getTime()).toBeGreaterThan(Date.now() - 10_000);
    await principalOf(cookie);
    await principalOf(cookie);
    expect((await prisma().staffSession.findUniqueOrThrow({ where: { id: sid } })).lastSeenAt).toEqual(first);
  });

  it('an expired session is signed out', async () => {
    const { member, docId } = await setup();
    const { cookie, sid } = await consoleSession(member.user);
    await prisma().staffSession.update({ where: { id: sid }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await doors(cookie, docId)).toEqual(SHUT);
  });
});

describe('a stale cookie is refused everywhere at once', () => {
  it('after sign-out, while other people\'s sessions carry on; signing out twice records it once', async () => {
    const { org, member, bystander, docId } = await setup();
    const mine = await consoleSession(member.user);
    const theirs = await consoleSession(bystander.user);
    expect(await doors(mine.cookie, docId)).toEqual(OPEN);

    // What next-auth's signOut event calls, with the token it decoded from the cookie.
    expect(await signOutSession(mine.sid, member.user.id, facts)).toBe(true);
    expect(await doors(mine.cookie, docId)).toEqual(SHUT);
    expect(await doors(theirs.cookie, docId)).toEqual(OPEN);

    expect(await signOutSession(mine.sid, member.user.id, facts)).toBe(false);
    // A token naming someone else's session ends nothing.
    expect(await signOutSession(theirs.sid, member.user.id, facts)).toBe(false);
    expect(await doors(theirs.cookie, docId)).toEqual(OPEN);

    const row = await prisma().staffSession.findUniqueOrThrow({ where: { id: mine.sid } });
    expect(row.endedReason).toBe('signed_out');
    expect(row.endedAt).toBeInstanceOf(Date);
    const events = await prisma().auditEvent.findMany({ where: { orgId: org.id, type: 'staff.signout' } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorId: member.user.id, reason: 'signed_out', ip: facts.ip, details: { sessionId: mine.sid, userId: member.user.id } });
  });

  it('after a password change: every other session of that person ends, the one that changed it stays', async () => {
    const { org, member, bystander, docId } = await setup();
    const laptop = await consoleSession(member.user);
    const phone = await consoleSession(member.user);
    const stolen = await consoleSession(member.user);
    const theirs = await consoleSession(bystander.user);
    const r = await changeOwnPassword(await principalOf(laptop.cookie), { current: FIXTURE_PASSWORD, next: 'a brand new passphrase' });
    expect(r).toEqual({ endedSessions: 2 });
    expect(await doors(laptop.cookie, docId)).toEqual(OPEN);
    expect(await doors(phone.cookie, docId)).toEqual(SHUT);
    expect(await doors(stolen.cookie, docId)).toEqual(SHUT);
    expect(await doors(theirs.cookie, docId)).toEqual(OPEN);
    const ends = await prisma().auditEvent.findMany({ where: { orgId: org.id, type: 'staff.session.end' }, orderBy: { seq: 'asc' } });
    expect(ends.map((e) => [e.reason, (e.details as { sessionId: string }).sessionId]).sort()).toEqual([['password_changed', phone.sid], ['password_changed', stolen.sid]].sort());
  });

  it('after a role change, for the person changed only', async () => {
    const { admin, member, bystander, docId } = await setup();
    const adminSession = await consoleSession(admin.user);
    const m = await consoleSession(member.user);
    const theirs = await consoleSession(bystander.user);
    await updateStaffUser(await principalOf(adminSession.cookie), member.user.id, { role: 'AUDITOR' });
    expect(await doors(m.cookie, docId)).toEqual(SHUT);
    expect(await doors(theirs.cookie, docId)).toEqual(OPEN);
    expect(await doors(adminSession.cookie, docId)).toEqual(OPEN);
    expect((await prisma().staffSession.findUniqueOrThrow({ where: { id: m.sid } })).endedReason).toBe('role_changed');
    // Signing in again gives the new role.
    const again = await consoleSession(member.user);
    expect(await principalOf(again.cookie)).toMatchObject({ role: 'AUDITOR' });
  });

  it('after disabling; re-enabling does not bring old sessions back', async () => {
    const { org, admin, member, bystander, docId } = await setup();
    const adminSession = await consoleSession(admin.user);
    const a = await consoleSession(member.user);
    const b = await consoleSession(member.user);
    const theirs = await consoleSession(bystander.user);
    const p = await principalOf(adminSession.cookie);
    const disabled = await updateStaffUser(p, member.user.id, { disabled: true });
    expect(disabled).toMatchObject({ activeSessions: 0 });
    expect(disabled.disabledAt).toBeInstanceOf(Date);
    expect(await doors(a.cookie, docId)).toEqual(SHUT);
    expect(await doors(b.cookie, docId)).toEqual(SHUT);
    expect(await doors(theirs.cookie, docId)).toEqual(OPEN);
    await updateStaffUser(p, member.user.id, { disabled: false });
    expect(await doors(a.cookie, docId)).toEqual(SHUT);
    const types = (await prisma().auditEvent.findMany({ where: { orgId: org.id, type: { startsWith: 'staff.' } }, orderBy: { seq: 'asc' } })).map((e) => `${e.type}:${e.reason ?? ''}`);
    expect(types).toEqual(['staff.disable:', 'staff.session.end:disabled', 'staff.session.end:disabled', 'staff.enable:']);
  });

  it('when an admin ends one session or all of a person\'s sessions', async () => {
    const { admin, member, bystander, docId } = await setup();
    const adminSession = await consoleSession(admin.user);
    const p = await principalOf(adminSession.cookie);
    const one = await consoleSession(member.user);
    const two = await consoleSession(member.user);
    const theirs = await consoleSession(bystander.user);
    const ended = await endStaffSession(p, one.sid);
    expect(ended).toMatchObject({ id: one.sid, active: false, endedReason: 'ended_by_admin', current: false });
    expect(await doors(one.cookie, docId)).toEqual(SHUT);
    expect(await doors(two.cookie, docId)).toEqual(OPEN);
    expect(await endStaffSessions(p, member.user.id)).toEqual({ endedCount: 1 });
    expect(await doors(two.cookie, docId)).toEqual(SHUT);
    expect(await doors(theirs.cookie, docId)).toEqual(OPEN);
    // Ending again changes nothing and records nothing.
    expect(await endStaffSessions(p, member.user.id)).toEqual({ endedCount: 0 });
  });

  it('after an admin resets someone\'s password', async () => {
    const { admin, member, docId } = await setup();
    const p = await principalOf((await consoleSession(admin.user)).cookie);
    const m = await consoleSession(member.user);
    await resetStaffPassword(p, member.user.id);
    expect(await doors(m.cookie, docId)).toEqual(SHUT);
  });

  it('disconnects the console\'s live sockets of an ended session', async () => {
    const { member } = await setup();
    const s = await consoleSession(member.user);
    const socket = await openSocket(s.cookie);
    expect(await socket.poll()).toMatch(/^40/); // connected to the default namespace
    const next = socket.poll();
    await signOutSession(s.sid, member.user.id, facts);
    expect(await next).toMatch(/^41/); // socket.io DISCONNECT packet, sent by the server
  });
});

/** A socket.io client over engine.io long-polling, enough to see the server connect and disconnect us. */
async function openSocket(cookie: string) {
  const open = await fetch(`${base}/socket.io/?EIO=4&transport=polling`, { headers: { cookie } });
  const text = await open.text();
  const sid = (JSON.parse(text.slice(1)) as { sid: string }).sid;
  const url = `${base}/socket.io/?EIO=4&transport=polling&sid=${sid}`;
  await (await fetch(url, { method: 'POST', body: '40', headers: { cookie, 'content-type': 'text/plain;charset=UTF-8' } })).text();
  return {
    async poll(): Promise<string> {
      for (;;) {
        const body = await (await fetch(url, { headers: { cookie } })).text();
        const packets = body.split('\x1e').filter((x) => x !== '2' && x !== '6'); // skip engine.io pings and noops
        if (packets.length) return packets.join('\x1e');
        await fetch(url, { method: 'POST', body: '3' }); // pong
      }
    },
  };
}

describe('sign-in throttling takes the attempt before hashing', () => {
  it('40 parallel wrong passwords for one account verify at most 5; the rest are rate_limited, never a 5xx', async () => {
    const org = await createOrg();
    const { user } = await createStaff(org.id, 'MEMBER', { realHash: true });
    const started = Date.now();
    const results = await Promise.allSettled(Array.from({ length: 40 }, (_, i) => signInStaff({ email: user.email, password: `guess-${i}` }, { ip: freshIp(), userAgent: 'burst' })));
    const codes = results.map((r) => (r.status === 'rejected' && r.reason instanceof AppError ? r.reason.code : `unexpected: ${String((r as PromiseRejectedResult).reason ?? 'success')}`));
    expect(new Set(codes)).toEqual(new Set(['invalid_credentials', 'rate_limited']));
    expect(codes.filter((c) => c === 'invalid_credentials').length).toBeLessThanOrEqual(5);
    expect(results.every((r) => r.status === 'rejected' && (r.reason as AppError).status < 500)).toBe(true);
    // For a known, enabled account, invalid_credentials is only ever answered after a PBKDF2 verification,
    // and each verification also writes a failure event; a refused attempt writes "denied" (best effort:
    // when the trail is too busy the refusal stands and the event is logged as lost).
    const verified = codes.filter((c) => c === 'invalid_credentials').length;
    const events = await prisma().auditEvent.groupBy({ by: ['outcome'], where: { orgId: org.id, type: 'staff.signin' }, _count: true });
    const count = { failure: 0, denied: 0, ...Object.fromEntries(events.map((e) => [e.outcome, e._count])) };
    expect(count.failure).toBeLessThanOrEqual(5);
    expect(count.failure + count.denied).toBeLessThanOrEqual(40);
    const elapsed = Date.now() - started;

    // The right password is refused too while the account is blocked (15 minutes), and costs no hashing.
    const t = Date.now();
    const e = await errorOf(signInStaff({ email: user.email, password: FIXTURE_PASSWORD }, { ip: freshIp(), userAgent: 'owner' }));
    expect(e.code).toBe('rate_limited');
    expect(e.retryAfterSeconds).toBeGreaterThan(14 * 60);
    expect(Date.now() - t).toBeLessThan(1000);
    expect(await prisma().staffSession.count({ where: { userId: user.id } })).toBe(0);
    console.info(`40 parallel wrong sign-ins: ${verified} verified, ${40 - verified} refused before hashing, ${elapsed} ms; audited ${count.failure} failures and ${count.denied} denials`);
  });

  it('a successful sign-in forgets the account\'s failures, not the address\'s: one valid account cannot launder a spray', async () => {
    const org = await createOrg();
    const ip = freshIp();
    const own = (await createStaff(org.id, 'MEMBER')).user;
    const victims = await Promise.all(Array.from({ length: 8 }, () => createStaff(org.id, 'MEMBER')));
    let failures = 0;
    for (const { user } of victims) {
      for (let i = 0; i < 4 && failures < 29; i++, failures++) await errorOf(signInStaff({ email: user.email, password: 'spray' }, { ip, userAgent: 'spray' }));
    }
    await signInStaff({ email: own.email, password: FIXTURE_PASSWORD }, { ip, userAgent: 'spray' });
    await errorOf(signInStaff({ email: victims[7].user.email, password: 'spray' }, { ip, userAgent: 'spray' })); // the 30th failure
    expect((await errorOf(signInStaff({ email: victims[7].user.email, password: 'spray' }, { ip, userAgent: 'spray' }))).code).toBe('rate_limited');
  });
});
