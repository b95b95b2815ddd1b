import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { prisma } from '../../lib/db/client';
import { revokeShare, updateShare } from '../../lib/shares/service';
import { revokeGuestSession } from '../../lib/guest/admin';
import { revokeDevice } from '../../lib/devices/registry';
import { issueApiKey } from '../../lib/auth/api-keys';
import { apiOpen, apiToken, BASE, browserOpen, DESKTOP_UA, sharedPdf } from '../helpers/guest';
import { CLIENT_IP_HEADER } from '../../lib/http/client-ip';
import { HOST_HEADER } from '../../lib/http/request-host';
import { POST as shareSocketTokenRoute } from '../../app/s/[token]/realtime-token/route';
import { consoleSession } from '../helpers/console-session';
import { ack, connect, connectOutcome, next, realtimeServer, revokedAndClosed } from '../helpers/realtime';

let srv: Awaited<ReturnType<typeof realtimeServer>>;
beforeAll(async () => { srv = await realtimeServer(); });
afterAll(async () => { await srv.close(); });

const guest = (token: string, extra: Record<string, unknown> = {}) => connect(srv.url, { auth: { token, ...extra } });
const sessionIdOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sid as string;

describe('socket handshake', () => {
  it('refuses a forged token, a token in the URL query, and a staff cookie that is not live', async () => {
    const s = await sharedPdf();
    const token = await apiToken(s.url);
    const [h, p, sig] = token.split('.');
    const forgedSig = `${h}.${p}.${sig.slice(0, -4)}${sig.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    expect(await connectOutcome(srv.url, { auth: { token: forgedSig } })).toBe('invalid_token');
    // A payload naming another session of the same share, signed by nobody.
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const other = Buffer.from(JSON.stringify({ ...claims, sid: 'x'.repeat(25) })).toString('base64url');
    expect(await connectOutcome(srv.url, { auth: { token: `${h}.${other}.${sig}` } })).toBe('invalid_token');
    // The real token, but in the query string: refused before anything else.
    expect(await connectOutcome(srv.url, { query: { token } })).toBe('invalid_token');
    expect(await connectOutcome(srv.url, { query: { access_token: token }, auth: { token } })).toBe('invalid_token');
    // Nothing at all, or a dead cookie: not a staff member.
    expect(await connectOutcome(srv.url)).toBe('unauthenticated');
    expect(await connectOutcome(srv.url, { extraHeaders: { cookie: 'next-auth.session-token=garbage' } })).toBe('unauthenticated');
    // The same token in the handshake auth connects.
    expect(await connectOutcome(srv.url, { auth: { token } })).toBe('connected');
  });

  it('a token for share A cannot join a document of share B (not_found, socket stays); a revoked share cannot connect', async () => {
    const a = await sharedPdf();
    const b = await sharedPdf();
    const sock = await guest(await apiToken(a.url));
    expect(await ack(sock, 'join', { documentId: b.doc.id })).toEqual({ error: 'not_found' });
    expect(sock.connected).toBe(true);
    expect(await ack(sock, 'join', { documentId: a.doc.id })).toMatchObject({ ok: true, documentId: a.doc.id });
    sock.close();
    const token = await apiToken(b.url);
    await revokeShare(b.principal, b.share.id);
    expect(await connectOutcome(srv.url, { auth: { token } })).toBe('invalid_token');
  });
});

describe('browser socket tokens (POST /s/<link>/realtime-token)', () => {
  const tokenRequest = (link: string, cookie: string | null, origin: string | null) => shareSocketTokenRoute(new Request(`${BASE}/s/${link}/realtime-token`, {
    method: 'POST',
    headers: { [CLIENT_IP_HEADER]: '198.51.100.10', [HOST_HEADER]: 'localhost', 'user-agent': DESKTOP_UA, ...(origin ? { origin } : {}), ...(cookie ? { cookie: `liaison_guest=${cookie}` } : {}) },
  }), { params: Promise.resolve({ token: link }) });

  it('the link\'s session cookie buys a short handshake token for the same session; cross-site or cookieless requests get nothing', async () => {
    const s = await sharedPdf();
    const opened = await browserOpen(s.token, {});
    expect(opened.cookie).toBeTruthy();
    expect((await tokenRequest(s.token, opened.cookie, 'https://evil.example')).status).toBe(403);
    expect((await tokenRequest(s.token, opened.cookie, null)).status).toBe(403);
    expect((await tokenRequest(s.token, null, BASE)).status).toBe(401);
    const other = await sharedPdf();
    // The cookie of one link is nothing on another link.
    expect((await tokenRequest(other.token, opened.cookie, BASE)).status).toBe(401);
    const res = await tokenRequest(s.token, opened.cookie, BASE);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.json() as { token: string; expiresIn: number };
    expect(body.expiresIn).toBe(60);
    const claims = JSON.parse(Buffer.from(body.token.split('.')[1], 'base64url').toString());
    const cookieClaims = JSON.parse(Buffer.from(opened.cookie!.split('.')[1], 'base64url').toString());
    expect({ sid: claims.sid, aud: claims.aud }).toEqual({ sid: cookieClaims.sid, aud: `share:${s.share.id}` });
    expect(claims.exp - claims.iat).toBe(60);
    const sock = await guest(body.token);
    expect(await ack(sock, 'join', { documentId: s.doc.id })).toMatchObject({ ok: true });
    sock.close();
  });
});

describe('per-event policy', () => {
  it('a VIEW guest may join but not write: typing (decided as comment) is forbidden and the socket stays', async () => {
    const s = await sharedPdf({ permission: 'VIEW' });
    const sock = await guest(await apiToken(s.url));
    await ack(sock, 'join', { documentId: s.doc.id });
    expect(await ack(sock, 'typing', { documentId: s.doc.id })).toEqual({ error: 'forbidden' });
    expect(sock.connected).toBe(true);
    const denied = await prisma().auditEvent.findFirst({ where: { shareId: s.share.id, type: 'guest.comment', outcome: 'denied', reason: 'forbidden' } });
    expect(denied).not.toBeNull();
    // Narrowed from COMMENT to VIEW mid-session: the next write is refused.
    const c = await sharedPdf({ permission: 'COMMENT' });
    const cs = await guest(await apiToken(c.url));
    await ack(cs, 'join', { documentId: c.doc.id });
    expect(await ack(cs, 'typing', { documentId: c.doc.id })).toEqual({ ok: true, documentId: c.doc.id });
    await updateShare(c.principal, c.share.id, { permission: 'VIEW' });
    expect(await ack(cs, 'comment:create', { documentId: c.doc.id, body: 'still here?' })).toEqual({ error: 'forbidden' });
    sock.close(); cs.close();
  });

  it('typing is relayed at most once a second per thread (coalesced, not decided again)', async () => {
    const s = await sharedPdf({ permission: 'COMMENT' });
    const sock = await guest(await apiToken(s.url));
    await ack(sock, 'join', { documentId: s.doc.id });
    expect(await ack(sock, 'typing', { documentId: s.doc.id })).toEqual({ ok: true, documentId: s.doc.id });
    expect(await ack(sock, 'typing', { documentId: s.doc.id })).toEqual({ ok: true, documentId: s.doc.id, coalesced: true });
    sock.close();
  });

  it('malformed payloads are validation_failed, identity fields are not accepted', async () => {
    const s = await sharedPdf({ permission: 'COMMENT' });
    const sock = await guest(await apiToken(s.url));
    expect(await ack(sock, 'join', { documentId: '../etc' })).toEqual({ error: 'validation_failed' });
    expect(await ack(sock, 'join', { documentId: s.doc.id, participant: { id: 'staff:boss', name: 'The Partner', kind: 'staff' } })).toEqual({ error: 'validation_failed' });
    expect(await ack(sock, 'page', { documentId: s.doc.id, page: 1 })).toEqual({ error: 'conflict' });
    sock.close();
  });

  it('events after expiry, revocation of the session, or a new password are refused and the socket is closed with the reason', async () => {
    const s = await sharedPdf({ permission: 'COMMENT' });
    const sock = await guest(await apiToken(s.url));
    await ack(sock, 'join', { documentId: s.doc.id });
    await prisma().share.update({ where: { id: s.share.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const closed = revokedAndClosed(sock);
    expect(await ack(sock, 'typing', { documentId: s.doc.id })).toEqual({ error: 'expired' });
    expect(await closed).toEqual({ reason: 'expired', disconnect: 'io server disconnect' });

    const p = await sharedPdf({ permission: 'COMMENT' });
    const ps = await guest(await apiToken(p.url));
    const pClosed = revokedAndClosed(ps);
    await updateShare(p.principal, p.share.id, { password: 'a-new-password-1' });
    expect(await pClosed).toEqual({ reason: 'invalid_token', disconnect: 'io server disconnect' });

    const r = await sharedPdf();
    const token = await apiToken(r.url);
    const rs = await guest(token);
    const rClosed = revokedAndClosed(rs);
    const { principal } = r;
    await revokeGuestSession(principal, sessionIdOf(token));
    expect((await rClosed).reason).toBe('invalid_token');
  });

  it('revoking a share tells every socket "revoked" and closes it; narrowing conditions closes exactly the refused ones', async () => {
    const s = await sharedPdf();
    const a = await guest(await apiToken(s.url));
    const b = await guest(await apiToken(s.url));
    const closedA = revokedAndClosed(a);
    const closedB = revokedAndClosed(b);
    const t0 = Date.now();
    await revokeShare(s.principal, s.share.id);
    expect((await closedA).reason).toBe('revoked');
    expect((await closedB).reason).toBe('revoked');
    expect(Date.now() - t0).toBeLessThan(1000);

    const n = await sharedPdf();
    const ns = await guest(await apiToken(n.url));
    const nClosed = revokedAndClosed(ns);
    // The socket connects from 127.0.0.1: a range without it ends it, and says why.
    await updateShare(n.principal, n.share.id, { allowedIpRanges: ['10.0.0.0/8'] });
    expect((await nClosed).reason).toBe('ip_denied');
  });

  it('an idle socket is cut at its share\'s expiry, without any event', async () => {
    const s = await sharedPdf();
    const token = await apiToken(s.url);
    await prisma().share.update({ where: { id: s.share.id }, data: { expiresAt: new Date(Date.now() + 1500) } });
    const sock = await guest(token);
    expect((await revokedAndClosed(sock, 6000)).reason).toBe('expired');
  });

  it('staff: cookie or API key; a document of another organisation is not_found', async () => {
    const s = await sharedPdf();
    const other = await sharedPdf();
    const { cookie } = await consoleSession({ id: s.principal.kind === 'staff' ? s.principal.userId : '', orgId: s.org.id });
    const staff = await connect(srv.url, { extraHeaders: { cookie } });
    expect(await ack(staff, 'join', { documentId: s.doc.id })).toMatchObject({ ok: true });
    expect(await ack(staff, 'join', { documentId: other.doc.id })).toEqual({ error: 'not_found' });
    staff.close();
    // An API key in the handshake auth; a revoked key stops the next event.
    const key = await issueApiKey({ orgId: s.org.id, name: 'realtime test', scopes: ['documents:read'], actor: null });
    const bot = await connect(srv.url, { auth: { token: key.key } });
    expect(await ack(bot, 'join', { documentId: s.doc.id })).toMatchObject({ ok: true });
    // Reading is not writing: documents:read alone may not be seen typing.
    expect(await ack(bot, 'typing', { documentId: s.doc.id })).toEqual({ error: 'forbidden' });
    await prisma().apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
    const cut = revokedAndClosed(bot);
    expect(await ack(bot, 'join', { documentId: s.doc.id })).toEqual({ error: 'invalid_token' });
    expect((await cut).reason).toBe('invalid_token');
  });
});

/** A browser's device key, as components/device/device-key.ts makes one. */
async function deviceKey() {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const { kty, crv, x, y } = await exportJWK(publicKey);
  return {
    proof: (method: string, url: string, token?: string) => new SignJWT({ htm: method, htu: url, jti: crypto.randomUUID(), ...(token ? { ath: createHash('sha256').update(token).digest('base64url') } : {}) })
      .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty, crv, x, y } }).setIssuedAt().sign(privateKey as CryptoKey),
  };
}

describe('device-bound shares', () => {
  it('the handshake must prove the bound key for GET and the socket URL; removing the device stops the next event', async () => {
    const s = await sharedPdf({ requireDevice: true, permission: 'COMMENT' });
    const key = await deviceKey();
    const SESSIONS = `${BASE}/api/portal/v1/sessions`;
    const opened = await apiOpen({ link: s.url }, '198.51.100.10', { dpop: await key.proof('POST', SESSIONS), 'x-liaison-request-url': SESSIONS });
    expect(opened.res.status, JSON.stringify(opened.json)).toBe(201);
    const token = opened.json.access_token as string;
    const socketUrl = `${srv.url}/socket.io/`;
    expect(await connectOutcome(srv.url, { auth: { token } })).toBe('device_denied');
    expect(await connectOutcome(srv.url, { auth: { token, proof: await key.proof('GET', socketUrl) } })).toBe('device_denied'); // no ath
    const thief = await deviceKey();
    expect(await connectOutcome(srv.url, { auth: { token, proof: await thief.proof('GET', socketUrl, token) } })).toBe('device_denied');
    const sock = await guest(token, { proof: await key.proof('GET', socketUrl, token) });
    await ack(sock, 'join', { documentId: s.doc.id });
    expect(await ack(sock, 'typing', { documentId: s.doc.id })).toMatchObject({ ok: true });
    // Revoked behind the registry's back (no disconnect): the next event finds it.
    const device = await prisma().guestDevice.findFirstOrThrow({ where: { orgId: s.org.id } });
    await prisma().guestDevice.update({ where: { id: device.id }, data: { status: 'REVOKED' } });
    const closed = revokedAndClosed(sock);
    expect(await ack(sock, 'comment:create', { documentId: s.doc.id, body: 'from a removed device' })).toEqual({ error: 'device_denied' });
    expect((await closed).reason).toBe('device_denied');
    // Through the registry: the guest's sockets are cut at once.
    await prisma().guestDevice.update({ where: { id: device.id }, data: { status: 'APPROVED' } });
    const again = await guest(token, { proof: await key.proof('GET', socketUrl, token) });
    const cut = revokedAndClosed(again);
    await revokeDevice(s.principal, device.id);
    expect((await cut).reason).toBe('device_denied');
  });
});

describe('flood', () => {
  it('an event flood is rate_limited and its socket closed; another socket is not slowed', async () => {
    const s = await sharedPdf();
    const flooder = await guest(await apiToken(s.url));
    const calm = await guest(await apiToken(s.url));
    await ack(calm, 'join', { documentId: s.doc.id });
    const closed = next(flooder, 'disconnect', 5000);
    const answers = await Promise.all(Array.from({ length: 40 }, () => ack(flooder, 'leave', { documentId: s.doc.id }, 3000).catch(() => ({ error: 'no answer' }))));
    expect(answers.filter((a) => (a as { error?: string }).error === 'rate_limited').length).toBeGreaterThan(0);
    expect(answers.filter((a) => (a as { ok?: boolean }).ok).length).toBeLessThanOrEqual(20);
    await closed;
    const t0 = performance.now();
    expect(await ack(calm, 'page', { documentId: s.doc.id, page: 1 })).toMatchObject({ ok: true });
    expect(performance.now() - t0).toBeLessThan(500);
    calm.close();
  });
});
