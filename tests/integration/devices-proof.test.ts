import crypto from 'node:crypto';
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { accessTokenHash, deviceForProof, DPOP_IAT_WINDOW_SECONDS, verifyDeviceProof } from '../../lib/devices/dpop';
import { createMemoryJtiStore } from '../../lib/devices/jti-store';
import { jwkThumbprint, parsePublicJwk } from '../../lib/devices/keys';
import { registerDevice } from '../../lib/devices/registry';
import { checkDeviceRequest } from '../../lib/devices/check';
import { createOrg } from '../helpers/factory';
import { nodeDevice, signProof, unsignedProof } from '../helpers/dpop';

const URL_ = 'https://portal.example.test/api/portal/v1/documents';
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.c2lnbmF0dXJl';
type Device = Awaited<ReturnType<typeof nodeDevice>>;

describe('device keys', () => {
  it('accepts a public P-256 JWK, keeps only kty/crv/x/y, and computes the RFC 7638 thumbprint', async () => {
    const d = await nodeDevice();
    const r = parsePublicJwk({ ...d.jwk, kid: 'x', use: 'sig', key_ops: ['verify'] });
    expect(r).toEqual({ ok: true, jwk: { kty: 'EC', crv: 'P-256', x: d.jwk.x, y: d.jwk.y } });
    // RFC 7638 §3.1 example (an RSA key) checks the library; for EC, the thumbprint ignores extra members.
    expect(await jwkThumbprint(r.ok ? r.jwk : (null as never))).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses private keys, other curves, short coordinates and points off the curve', async () => {
    const d = await nodeDevice();
    expect(parsePublicJwk(d.privateJwk)).toEqual({ ok: false, reason: 'private_key' });
    expect(parsePublicJwk({ ...d.jwk, crv: 'P-384' })).toEqual({ ok: false, reason: 'invalid_key' });
    expect(parsePublicJwk({ ...d.jwk, kty: 'RSA' })).toEqual({ ok: false, reason: 'invalid_key' });
    expect(parsePublicJwk({ ...d.jwk, x: d.jwk.x.slice(1) })).toEqual({ ok: false, reason: 'invalid_key' });
    expect(parsePublicJwk({ ...d.jwk, y: d.jwk.x })).toEqual({ ok: false, reason: 'invalid_key' });
    expect(parsePublicJwk('nope')).toEqual({ ok: false, reason: 'invalid_key' });
    expect(parsePublicJwk(null)).toEqual({ ok: false, reason: 'invalid_key' });
  });
});

describe('verifyDeviceProof', () => {
  let d: Device;
  const store = createMemoryJtiStore();
  const verify = (proof: string | null, o: { method?: string; url?: string; accessToken?: string | null; now?: Date } = {}) =>
    verifyDeviceProof({ proof, method: o.method ?? 'GET', url: o.url ?? URL_, accessToken: o.accessToken, now: o.now, store });

  beforeAll(async () => { d = await nodeDevice(); });

  it('accepts a good proof and names the key by its thumbprint', async () => {
    const proof = await signProof(d.privateKey, d.jwk, { ath: accessTokenHash(TOKEN) });
    const r = await verify(proof, { accessToken: TOKEN });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.thumbprint).toBe(await jwkThumbprint(d.jwk));
      expect(r.jwk).toEqual({ kty: 'EC', crv: 'P-256', x: d.jwk.x, y: d.jwk.y });
    }
  });

  it('ignores query and fragment, default ports and host case when comparing the URL', async () => {
    const proof = await signProof(d.privateKey, d.jwk, { htu: 'https://PORTAL.example.test:443/api/portal/v1/documents#x' });
    expect((await verify(proof, { url: `${URL_}?page=2` })).ok).toBe(true);
  });

  it('refuses a replayed proof', async () => {
    const proof = await signProof(d.privateKey, d.jwk);
    expect((await verify(proof)).ok).toBe(true);
    expect(await verify(proof)).toEqual({ ok: false, reason: 'replayed' });
  });

  it('refuses a proof made for another URL, another port, another scheme or another method', async () => {
    expect(await verify(await signProof(d.privateKey, d.jwk, { htu: 'https://portal.example.test/api/portal/v1/documents/x/content' }))).toEqual({ ok: false, reason: 'wrong_url' });
    expect(await verify(await signProof(d.privateKey, d.jwk, { htu: 'https://portal.example.test:8443/api/portal/v1/documents' }))).toEqual({ ok: false, reason: 'wrong_url' });
    expect(await verify(await signProof(d.privateKey, d.jwk, { htu: 'http://portal.example.test/api/portal/v1/documents' }))).toEqual({ ok: false, reason: 'wrong_url' });
    expect(await verify(await signProof(d.privateKey, d.jwk, { htu: 'https://evil.example.test/api/portal/v1/documents' }))).toEqual({ ok: false, reason: 'wrong_url' });
    expect(await verify(await signProof(d.privateKey, d.jwk, { htu: 'not a url' }))).toEqual({ ok: false, reason: 'wrong_url' });
    expect(await verify(await signProof(d.privateKey, d.jwk, { htm: 'GET' }), { method: 'POST' })).toEqual({ ok: false, reason: 'wrong_method' });
  });

  it('refuses a proof too old or from too far in the future, and accepts one inside the window', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await verify(await signProof(d.privateKey, d.jwk, { iat: now - DPOP_IAT_WINDOW_SECONDS - 5 }))).toEqual({ ok: false, reason: 'too_old' });
    expect(await verify(await signProof(d.privateKey, d.jwk, { iat: now + DPOP_IAT_WINDOW_SECONDS + 5 }))).toEqual({ ok: false, reason: 'future_iat' });
    expect((await verify(await signProof(d.privateKey, d.jwk, { iat: now - DPOP_IAT_WINDOW_SECONDS + 5 }))).ok).toBe(true);
    // The same proof, verified later than the window allows (a captured proof kept for later).
    const later = await signProof(d.privateKey, d.jwk, { iat: now });
    expect(await verify(later, { now: new Date((now + DPOP_IAT_WINDOW_SECONDS + 1) * 1000) })).toEqual({ ok: false, reason: 'too_old' });
  });

  it('refuses a missing or wrong access token hash when the request carries a token', async () => {
    expect(await verify(await signProof(d.privateKey, d.jwk), { accessToken: TOKEN })).toEqual({ ok: false, reason: 'wrong_ath' });
    expect(await verify(await signProof(d.privateKey, d.jwk, { ath: accessTokenHash('another token') }), { accessToken: TOKEN })).toEqual({ ok: false, reason: 'wrong_ath' });
  });

  it('refuses alg none, HS256, a wrong typ, a private key in the header and a signature by another key', async () => {
    const claims = { jti: crypto.randomBytes(16).toString('base64url'), htm: 'GET', htu: URL_, iat: Math.floor(Date.now() / 1000) };
    expect(await verify(unsignedProof(d.jwk, claims))).toEqual({ ok: false, reason: 'wrong_alg' });
    const hs = await new SignJWT(claims).setProtectedHeader({ typ: 'dpop+jwt', alg: 'HS256', jwk: d.jwk }).sign(crypto.randomBytes(32));
    expect(await verify(hs)).toEqual({ ok: false, reason: 'wrong_alg' });
    expect(await verify(await signProof(d.privateKey, d.jwk, { typ: 'JWT' }))).toEqual({ ok: false, reason: 'wrong_typ' });
    expect(await verify(await signProof(d.privateKey, d.jwk, { headerJwk: d.privateJwk }))).toEqual({ ok: false, reason: 'private_key' });
    expect(await verify(await signProof(d.privateKey, d.jwk, { headerJwk: { kty: 'oct', k: 'AAAA' } }))).toEqual({ ok: false, reason: 'private_key' });
    expect(await verify(await signProof(d.privateKey, d.jwk, { headerJwk: { ...d.jwk, crv: 'P-384' } }))).toEqual({ ok: false, reason: 'invalid_key' });
    expect(await verify(await signProof(d.privateKey, d.jwk, { headerJwk: 'not an object' }))).toEqual({ ok: false, reason: 'invalid_key' });
    const other = await nodeDevice();
    // Signed with one key, presenting another: the signature does not verify with the presented key.
    expect(await verify(await signProof(other.privateKey, d.jwk))).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses missing and malformed proofs and bad claims', async () => {
    expect(await verify(null)).toEqual({ ok: false, reason: 'missing' });
    expect(await verify('')).toEqual({ ok: false, reason: 'missing' });
    for (const junk of ['abc', 'a.b', 'a.b.c.d', '!!.??.##', 'x'.repeat(5000), `${Buffer.from('{').toString('base64url')}.e30.`]) {
      expect(await verify(junk)).toEqual({ ok: false, reason: 'malformed' });
    }
    expect(await verify(await signProof(d.privateKey, d.jwk, { jti: 'short' }))).toEqual({ ok: false, reason: 'malformed' });
    expect(await verify(await signProof(d.privateKey, d.jwk, { claims: { iat: 'yesterday' } }))).toEqual({ ok: false, reason: 'malformed' });
    expect(await verify(await signProof(d.privateKey, d.jwk, { claims: { htm: undefined } }))).toEqual({ ok: false, reason: 'malformed' });
  });

  it('records the jti only for proofs that verify: a refused proof does not burn its jti', async () => {
    const jti = crypto.randomBytes(16).toString('base64url');
    const before = store.size();
    expect(await verify(await signProof(d.privateKey, d.jwk, { jti, htm: 'DELETE' }))).toEqual({ ok: false, reason: 'wrong_method' });
    expect(await verify(await signProof((await nodeDevice()).privateKey, d.jwk, { jti }))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(store.size()).toBe(before);
    expect((await verify(await signProof(d.privateKey, d.jwk, { jti }))).ok).toBe(true);
    expect(store.size()).toBe(before + 1);
  });

  it('lets exactly one of many parallel requests with the same proof through', async () => {
    const proof = await signProof(d.privateKey, d.jwk);
    const results = await Promise.all(Array.from({ length: 20 }, () => verify(proof)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === 'replayed')).toHaveLength(19);
  });
});

describe('deviceForProof and checkDeviceRequest', () => {
  it('a valid proof by a key never registered for the guest verifies, but names no device', async () => {
    const org = await createOrg();
    const guest = await prisma().guest.create({ data: { orgId: org.id, kind: 'EMAIL_VERIFIED', email: `g-${crypto.randomUUID()}@partner.example` } });
    const registered = await nodeDevice();
    const stranger = await nodeDevice();
    const store = createMemoryJtiStore();
    await registerDevice({ guestId: guest.id, orgId: org.id, jwk: registered.jwk, userAgent: 'vitest' });

    const r = await verifyDeviceProof({ proof: await signProof(stranger.privateKey, stranger.jwk), method: 'GET', url: URL_, store });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(await deviceForProof(guest.id, r.thumbprint)).toBeNull();
    const mine = await deviceForProof(guest.id, await jwkThumbprint(registered.jwk));
    expect(mine?.status).toBe('APPROVED');

    const check = (key: Device, boundThumbprint?: string) => signProof(key.privateKey, key.jwk, { ath: accessTokenHash(TOKEN) })
      .then((proof) => checkDeviceRequest({ proof, method: 'GET', url: URL_, accessToken: TOKEN, guestId: guest.id, boundThumbprint, store }));
    expect(await check(stranger)).toEqual({ ok: false, reason: 'unregistered' });
    const ok = await check(registered, await jwkThumbprint(registered.jwk));
    expect(ok.ok && ok.device.id).toBe(mine!.id);
    expect((await prisma().guestDevice.findUniqueOrThrow({ where: { id: mine!.id } })).lastUsedAt).not.toBeNull();
    // A token bound to one key (cnf.jkt), presented with a proof by another registered key.
    expect(await check(registered, await jwkThumbprint(stranger.jwk))).toEqual({ ok: false, reason: 'key_mismatch' });
    await registerDevice({ guestId: guest.id, orgId: org.id, jwk: stranger.jwk, userAgent: 'vitest' });
    expect(await check(stranger)).toEqual({ ok: false, reason: 'pending' });
  });
});
