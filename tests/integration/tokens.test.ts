import fs from 'node:fs';
import path from 'node:path';
import { calculateJwkThumbprint, decodeProtectedHeader, exportJWK, exportSPKI, generateKeyPair, importJWK, importPKCS8, SignJWT, type JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { AppError } from '../../lib/errors';
import { config } from '../../lib/config';
import {
  clearKeyCache, currentSigningKey, MAX_TOKEN_TTL_SECONDS, publicJwks, pruneRetiredSigningKeys, rotateSigningKey,
  signGuestToken, verifyGuestToken, type GuestAudience,
} from '../../lib/tokens';
import { generateSigningKey } from '../../lib/tokens/signing-keys';
import { ROTATED_KEY_GRACE_SECONDS } from '../../lib/tokens/constants';
import { openPrivateKey } from '../../lib/tokens/key-crypto';
import { GET as jwksRoute } from '../../app/.well-known/jwks.json/route';
import { createOrg } from '../helpers/factory';

const AUD: GuestAudience = 'share:share_a';
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const nowSec = () => Math.floor(Date.now() / 1000);

function payload(o: JWTPayload = {}): JWTPayload {
  const iat = nowSec();
  return { iss: config().publicUrl, aud: AUD, sub: 'guest_1', sid: 'session_1', jti: 'jti_1', iat, nbf: iat, exp: iat + 600, ...o };
}

async function refusal(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('invalid_token');
    expect((e as AppError).status).toBe(401);
    return e as AppError;
  }
  throw new Error('the token was accepted');
}

const guest = { sub: 'guest_1', sid: 'session_1' };

/** Why jose refused: its error code, and the claim for claim failures. */
const why = (e: AppError) => {
  const c = e.cause as { code?: string; claim?: string } | undefined;
  return [c?.code, c?.claim].filter(Boolean).join(' ');
};

// The organisation whose keys sign the tokens below; each test file works in organisations of its own.
let ORG: string;

describe('guest tokens', () => {
  let key: Awaited<ReturnType<typeof currentSigningKey>>;
  beforeAll(async () => {
    ORG = (await createOrg()).id;
    key = await currentSigningKey(ORG);
  });

  /** A token signed with our real private key, with whatever header and claims a test wants. */
  const signedByUs = (p: JWTPayload, header: Record<string, unknown> = {}) =>
    new SignJWT(p).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: key.kid, ...header }).sign(key.privateKey);

  describe('round trip', () => {
    it('signs and verifies, with the claims and header the contract asks for', async () => {
      const before = nowSec();
      const token = await signGuestToken(guest, { audience: AUD, orgId: ORG, ttlSeconds: 900 });
      const header = decodeProtectedHeader(token);
      expect(header).toEqual({ alg: 'RS256', typ: 'at+jwt', kid: key.kid });
      const v = await verifyGuestToken(token, { audience: AUD , orgId: ORG});
      expect(v).toMatchObject({ sub: 'guest_1', sid: 'session_1', aud: AUD, kid: key.kid });
      expect(v.jti).toMatch(/^[0-9a-f-]{36}$/);
      expect(v.expiresAt.getTime() - v.issuedAt.getTime()).toBe(900_000);
      expect(v.issuedAt.getTime() / 1000).toBeGreaterThanOrEqual(before);
      const body = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
      expect(body).toMatchObject({ iss: 'http://liaison.test', aud: AUD, sub: 'guest_1', sid: 'session_1' });
      expect(body.nbf).toBe(body.iat);
      expect(Object.keys(body).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'jti', 'nbf', 'sid', 'sub']);
    });

    it('gives every token its own jti', async () => {
      const [a, b] = await Promise.all([signGuestToken(guest, { audience: AUD, orgId: ORG, ttlSeconds: 60 }), signGuestToken(guest, { audience: AUD, orgId: ORG, ttlSeconds: 60 })]);
      expect((await verifyGuestToken(a, { audience: AUD , orgId: ORG})).jti).not.toBe((await verifyGuestToken(b, { audience: AUD , orgId: ORG})).jti);
    });

    it('works for portal audiences', async () => {
      const token = await signGuestToken(guest, { audience: 'portal:p1', orgId: ORG, ttlSeconds: 60 });
      expect((await verifyGuestToken(token, { audience: 'portal:p1' , orgId: ORG})).aud).toBe('portal:p1');
      await refusal(verifyGuestToken(token, { audience: 'share:p1' , orgId: ORG}));
    });

    it('refuses to sign odd tokens (programming errors)', async () => {
      await expect(signGuestToken(guest, { audience: AUD, orgId: ORG, ttlSeconds: MAX_TOKEN_TTL_SECONDS + 1 })).rejects.toThrow(/ttlSeconds/);
      await expect(signGuestToken(guest, { audience: AUD, orgId: ORG, ttlSeconds: 0 })).rejects.toThrow(/ttlSeconds/);
      await expect(signGuestToken(guest, { audience: AUD, orgId: ORG, ttlSeconds: 1.5 })).rejects.toThrow(/ttlSeconds/);
      await expect(signGuestToken(guest, { audience: 'console' as GuestAudience, orgId: ORG, ttlSeconds: 60 })).rejects.toThrow(/audience/);
      await expect(signGuestToken({ sub: '', sid: 's' }, { audience: AUD, orgId: ORG, ttlSeconds: 60 })).rejects.toThrow(/sub and sid/);
      await expect(signGuestToken(guest, { audience: AUD, orgId: '', ttlSeconds: 60 })).rejects.toThrow(/orgId/);
      await expect(signGuestToken(guest, { audience: AUD, ttlSeconds: 60 } as never)).rejects.toThrow(/orgId/);
    });
  });

  describe('refusals', () => {
    it('alg none, with and without a signature part', async () => {
      const h = b64({ alg: 'none', typ: 'at+jwt', kid: key.kid });
      await refusal(verifyGuestToken(`${h}.${b64(payload())}.`, { audience: AUD , orgId: ORG}));
      expect(why(await refusal(verifyGuestToken(`${h}.${b64(payload())}.AAAA`, { audience: AUD , orgId: ORG})))).toBe('ERR_JOSE_ALG_NOT_ALLOWED');
      const h2 = b64({ alg: 'None', typ: 'at+jwt', kid: key.kid });
      await refusal(verifyGuestToken(`${h2}.${b64(payload())}.AAAA`, { audience: AUD , orgId: ORG}));
    });

    it('HS256 signed with our public key as the secret (PEM, JWK JSON and modulus)', async () => {
      const pub = await importJWK(key.publicJwk, 'RS256');
      const secrets = [await exportSPKI(pub as CryptoKey), JSON.stringify(key.publicJwk), JSON.stringify((await publicJwks()).keys), key.publicJwk.n];
      for (const secret of secrets) {
        for (const alg of ['HS256', 'HS384', 'HS512']) {
          const forged = await new SignJWT(payload()).setProtectedHeader({ alg, typ: 'at+jwt', kid: key.kid }).sign(new TextEncoder().encode(secret));
          expect(why(await refusal(verifyGuestToken(forged, { audience: AUD , orgId: ORG})))).toBe('ERR_JOSE_ALG_NOT_ALLOWED');
        }
      }
    });

    it('other asymmetric algorithms, even with our kid', async () => {
      const { privateKey } = await generateKeyPair('PS256');
      await refusal(verifyGuestToken(await new SignJWT(payload()).setProtectedHeader({ alg: 'PS256', typ: 'at+jwt', kid: key.kid }).sign(privateKey), { audience: AUD , orgId: ORG}));
      const ec = await generateKeyPair('ES256');
      await refusal(verifyGuestToken(await new SignJWT(payload()).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: key.kid }).sign(ec.privateKey), { audience: AUD , orgId: ORG}));
    });

    it('a wrong issuer, or none', async () => {
      expect(why(await refusal(verifyGuestToken(await signedByUs(payload({ iss: 'https://evil.example' })), { audience: AUD , orgId: ORG})))).toBe('ERR_JWT_CLAIM_VALIDATION_FAILED iss');
      await refusal(verifyGuestToken(await signedByUs(payload({ iss: 'http://liaison.test/' })), { audience: AUD , orgId: ORG}));
      await refusal(verifyGuestToken(await signedByUs(payload({ iss: undefined })), { audience: AUD , orgId: ORG}));
    });

    it('a token for share A used on share B', async () => {
      const token = await signGuestToken(guest, { audience: 'share:share_a', orgId: ORG, ttlSeconds: 60 });
      expect(why(await refusal(verifyGuestToken(token, { audience: 'share:share_b' , orgId: ORG})))).toBe('ERR_JWT_CLAIM_VALIDATION_FAILED aud');
      await refusal(verifyGuestToken(token, { audience: 'portal:share_a' , orgId: ORG}));
      // An expected audience built from a hostile URL is a refusal, not a crash.
      await refusal(verifyGuestToken(token, { audience: 'share:../x' as GuestAudience , orgId: ORG}));
      await refusal(verifyGuestToken(token, { audience: '' as GuestAudience , orgId: ORG}));
    });

    it('an audience list, even one that includes the right share', async () => {
      await refusal(verifyGuestToken(await signedByUs(payload({ aud: [AUD, 'share:share_b'] })), { audience: AUD , orgId: ORG}));
    });

    it('an unknown kid: a stranger\'s key, a garbage kid, no kid', async () => {
      const stranger = await generateKeyPair('RS256');
      const jwk = await exportJWK(stranger.publicKey);
      const strangerKid = await calculateJwkThumbprint(jwk);
      const t1 = await new SignJWT(payload()).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: strangerKid }).sign(stranger.privateKey);
      expect((await refusal(verifyGuestToken(t1, { audience: AUD , orgId: ORG}))).message).toMatch(/unknown or retired key/);
      // The classic embedded-key attack: jose must not trust a jwk in the header.
      const t2 = await new SignJWT(payload()).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: strangerKid, jwk: { kty: 'RSA', n: jwk.n!, e: jwk.e! } }).sign(stranger.privateKey);
      await refusal(verifyGuestToken(t2, { audience: AUD , orgId: ORG}));
      await refusal(verifyGuestToken(await new SignJWT(payload()).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: "x' OR 1=1 --" }).sign(key.privateKey), { audience: AUD , orgId: ORG}));
      await refusal(verifyGuestToken(await new SignJWT(payload()).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt' }).sign(key.privateKey), { audience: AUD , orgId: ORG}));
    });

    it('our kid on a stranger\'s signature', async () => {
      const stranger = await generateKeyPair('RS256');
      expect(why(await refusal(verifyGuestToken(await new SignJWT(payload()).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: key.kid }).sign(stranger.privateKey), { audience: AUD , orgId: ORG})))).toBe('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
    });

    it('expired tokens, with a small clock tolerance', async () => {
      const issued = new Date(Date.now() - 2 * 3600_000);
      const token = await signGuestToken(guest, { audience: AUD, orgId: ORG, ttlSeconds: 60 });
      const old = await signGuestToken(guest, { audience: AUD, orgId: ORG, ttlSeconds: 60, now: issued });
      const e = await refusal(verifyGuestToken(old, { audience: AUD , orgId: ORG}));
      expect(e.message).toMatch(/expired/);
      expect(why(e)).toBe('ERR_JWT_EXPIRED exp');
      const exp = (await verifyGuestToken(token, { audience: AUD , orgId: ORG})).expiresAt.getTime();
      await expect(verifyGuestToken(token, { audience: AUD, orgId: ORG, now: new Date(exp + 10_000) })).resolves.toBeTruthy();
      await refusal(verifyGuestToken(token, { audience: AUD, orgId: ORG, now: new Date(exp + 31_000) }));
    });

    it('tokens not yet valid, or issued too long ago to be ours', async () => {
      await refusal(verifyGuestToken(await signedByUs(payload({ nbf: nowSec() + 600 })), { audience: AUD , orgId: ORG}));
      await refusal(verifyGuestToken(await signedByUs(payload({ iat: nowSec() - 2 * MAX_TOKEN_TTL_SECONDS, exp: nowSec() + 600 })), { audience: AUD , orgId: ORG}));
    });

    it('a tampered payload or header', async () => {
      const token = await signGuestToken(guest, { audience: AUD, orgId: ORG, ttlSeconds: 60 });
      const [h, p, s] = token.split('.');
      const body = JSON.parse(Buffer.from(p, 'base64url').toString());
      for (const change of [{ sub: 'guest_2' }, { sid: 'session_2' }, { aud: 'share:share_b' }, { exp: body.exp + 3600 }]) {
        expect(why(await refusal(verifyGuestToken(`${h}.${b64({ ...body, ...change })}.${s}`, { audience: AUD , orgId: ORG})))).toBe('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
      }
      await refusal(verifyGuestToken(`${b64({ ...decodeProtectedHeader(token), typ: 'JWT' })}.${p}.${s}`, { audience: AUD , orgId: ORG}));
      const flipped = s.slice(0, -2) + (s.at(-2) === 'A' ? 'B' : 'A') + s.at(-1);
      await refusal(verifyGuestToken(`${h}.${p}.${flipped}`, { audience: AUD , orgId: ORG}));
    });

    it('a wrong or missing typ', async () => {
      expect(why(await refusal(verifyGuestToken(await signedByUs(payload(), { typ: 'JWT' }), { audience: AUD , orgId: ORG})))).toBe('ERR_JWT_CLAIM_VALIDATION_FAILED typ');
      await refusal(verifyGuestToken(await signedByUs(payload(), { typ: undefined }), { audience: AUD , orgId: ORG}));
    });

    it('missing or odd claims', async () => {
      for (const drop of ['sub', 'sid', 'jti', 'exp', 'iat', 'nbf', 'aud']) {
        const p = payload();
        delete p[drop];
        await refusal(verifyGuestToken(await signedByUs(p), { audience: AUD , orgId: ORG}));
      }
      await refusal(verifyGuestToken(await signedByUs(payload({ sid: 42 as unknown as string })), { audience: AUD , orgId: ORG}));
      await refusal(verifyGuestToken(await signedByUs(payload({ sub: '../../etc' })), { audience: AUD , orgId: ORG}));
    });

    it('junk', async () => {
      for (const junk of ['', 'abc', 'a.b', 'a.b.c.d', 'Bearer x.y.z', '💥.💥.💥', 'x'.repeat(5000) + '.a.b', null as unknown as string]) {
        await refusal(verifyGuestToken(junk, { audience: AUD , orgId: ORG}));
      }
    });
  });

  describe('keys, rotation and the JWKS', () => {
    it('stores the private key encrypted and bound to its kid', async () => {
      const row = await prisma().signingKey.findUniqueOrThrow({ where: { kid: key.kid } });
      expect(Buffer.from(row.privateKeyEnc).toString('latin1')).not.toMatch(/PRIVATE KEY|MII/);
      expect(openPrivateKey(row.kid, row.privateKeyEnc)).toMatch(/^-----BEGIN PRIVATE KEY-----/);
      const other = await prisma().signingKey.findFirst({ where: { kid: { not: row.kid } } });
      expect(() => openPrivateKey(other?.kid ?? 'another-kid', row.privateKeyEnc)).toThrow();
      expect(row.kid).toBe(await calculateJwkThumbprint({ kty: 'RSA', n: key.publicJwk.n, e: key.publicJwk.e }, 'sha256'));
    });

    it('publishes public members only', async () => {
      const { keys } = await publicJwks();
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.map((k) => k.kid)).toContain(key.kid);
      for (const k of keys) {
        expect(Object.keys(k).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
        expect(k).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
        expect(Buffer.from(k.n, 'base64url').length).toBeGreaterThanOrEqual(256);
      }
    });

    it('serves the JWKS route with a five-minute cache', async () => {
      const res = await jwksRoute();
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=300');
      const body = await res.json() as { keys: Record<string, unknown>[] };
      expect(body.keys.map((k) => k.kid)).toContain(key.kid);
      for (const k of body.keys) for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']) expect(k).not.toHaveProperty(secret);
    });

    it('rotates: old tokens keep verifying, new tokens carry the new kid, the old key retires on time', async () => {
      const old = await currentSigningKey(ORG);
      const oldToken = await signGuestToken(guest, { audience: AUD, orgId: ORG, ttlSeconds: 600 });
      const now = new Date();
      const r = await rotateSigningKey({ orgId: ORG, now });
      // A token still valid across retireAt can only be made by hand: signGuestToken caps the lifetime.
      const lateIat = Math.floor(r.retireAt.getTime() / 1000) - 120;
      const longLived = await new SignJWT(payload({ iat: lateIat, nbf: lateIat, exp: lateIat + 3600 })).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: old.kid }).sign(old.privateKey);
      expect(r.kid).not.toBe(old.kid);
      expect(r.rotatedKids).toContain(old.kid);
      expect(r.retireAt.getTime() - now.getTime()).toBeGreaterThanOrEqual(MAX_TOKEN_TTL_SECONDS * 1000);

      expect((await currentSigningKey(ORG)).kid).toBe(r.kid);
      const newToken = await signGuestToken(guest, { audience: AUD, orgId: ORG, ttlSeconds: 600 });
      expect(decodeProtectedHeader(newToken).kid).toBe(r.kid);
      expect((await verifyGuestToken(newToken, { audience: AUD , orgId: ORG})).kid).toBe(r.kid);
      expect((await verifyGuestToken(oldToken, { audience: AUD , orgId: ORG})).kid).toBe(old.kid);

      const kids = async (at?: Date) => (await publicJwks({ now: at })).keys.map((k) => k.kid);
      expect(await kids()).toEqual(expect.arrayContaining([old.kid, r.kid]));
      const afterRetire = new Date(r.retireAt.getTime() + 1000);
      expect(await kids(new Date(r.retireAt.getTime() - 1000))).toContain(old.kid);
      expect(await kids(afterRetire)).not.toContain(old.kid);
      expect(await kids(afterRetire)).toContain(r.kid);

      // Until retireAt the old key still verifies; from then on it is refused, even with a valid exp.
      await expect(verifyGuestToken(longLived, { audience: AUD, orgId: ORG, now: new Date(r.retireAt.getTime() - 1000) })).resolves.toBeTruthy();
      const e = await refusal(verifyGuestToken(longLived, { audience: AUD, orgId: ORG, now: afterRetire }));
      expect(e.message).not.toMatch(/expired/);
      clearKeyCache(); // the same answer from a cold cache
      await refusal(verifyGuestToken(longLived, { audience: AUD, orgId: ORG, now: afterRetire }));
      key = await currentSigningKey(ORG);
    });

    it('concurrent rotations leave exactly one signing key', async () => {
      await Promise.all([rotateSigningKey({ orgId: ORG }), rotateSigningKey({ orgId: ORG }), rotateSigningKey({ orgId: ORG })]);
      expect(await prisma().signingKey.count({ where: { orgId: ORG, rotatedAt: null } })).toBe(1);
      const current = await Promise.all(Array.from({ length: 5 }, () => currentSigningKey(ORG)));
      expect(new Set(current.map((k) => k.kid)).size).toBe(1);
      key = current[0];
    });

    it('finds a key another instance created, by looking up the unknown kid', async () => {
      const k = await generateSigningKey();
      // Rotated already, so it never becomes the key other tests sign with.
      await prisma().signingKey.create({ data: { kid: k.kid, orgId: ORG, publicJwk: { ...k.publicJwk }, privateKeyEnc: k.privateKeyEnc, rotatedAt: new Date(), retireAt: new Date(Date.now() + 3600_000) } });
      const priv = await importPKCS8(openPrivateKey(k.kid, k.privateKeyEnc), 'RS256');
      const token = await new SignJWT(payload()).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: k.kid }).sign(priv);
      expect((await verifyGuestToken(token, { audience: AUD , orgId: ORG})).kid).toBe(k.kid);
    });

    it('ignores a stored key whose public half does not match its kid', async () => {
      const a = await generateSigningKey();
      const b = await generateSigningKey();
      await prisma().signingKey.create({ data: { kid: a.kid, orgId: ORG, publicJwk: { ...b.publicJwk, kid: a.kid }, privateKeyEnc: b.privateKeyEnc, rotatedAt: new Date(), retireAt: new Date(Date.now() + 3600_000) } });
      const privB = await importPKCS8(openPrivateKey(b.kid, b.privateKeyEnc), 'RS256');
      await refusal(verifyGuestToken(await new SignJWT(payload()).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: a.kid }).sign(privB), { audience: AUD , orgId: ORG}));
    });

    it('prunes keys that have retired', async () => {
      const k = await generateSigningKey();
      await prisma().signingKey.create({ data: { kid: k.kid, orgId: ORG, publicJwk: { ...k.publicJwk }, privateKeyEnc: k.privateKeyEnc, rotatedAt: new Date(Date.now() - 2 * 86400_000), retireAt: new Date(Date.now() - 86400_000) } });
      expect((await publicJwks()).keys.map((x) => x.kid)).not.toContain(k.kid);
      expect(await pruneRetiredSigningKeys()).toBeGreaterThanOrEqual(1);
      expect(await prisma().signingKey.findUnique({ where: { kid: k.kid } })).toBeNull();
    });
  });

  describe('per-organisation keys', () => {
    let A: string;
    let B: string;
    beforeAll(async () => {
      A = (await createOrg('Org A')).id;
      B = (await createOrg('Org B')).id;
    });

    /** A token with every claim right, signed by hand with any key. */
    const signedWith = (k: { kid: string; privateKey: CryptoKey }, p: JWTPayload = payload()) =>
      new SignJWT(p).setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: k.kid }).sign(k.privateKey);

    it('each organisation signs with a key of its own, created once on first use', async () => {
      const fresh = (await createOrg()).id;
      const handles = await Promise.all(Array.from({ length: 5 }, () => currentSigningKey(fresh)));
      expect(new Set(handles.map((h) => h.kid)).size).toBe(1);
      expect(await prisma().signingKey.count({ where: { orgId: fresh } })).toBe(1);
      const [ka, kb] = [await currentSigningKey(A), await currentSigningKey(B)];
      expect(ka.kid).not.toBe(kb.kid);
      expect(ka.orgId).toBe(A);
      expect(await prisma().signingKey.findUniqueOrThrow({ where: { kid: ka.kid } })).toMatchObject({ orgId: A, rotatedAt: null, retireAt: null });
      const t = await signGuestToken(guest, { audience: AUD, orgId: A, ttlSeconds: 60 });
      expect(decodeProtectedHeader(t).kid).toBe(ka.kid);
      expect((await verifyGuestToken(t, { audience: AUD, orgId: A })).kid).toBe(ka.kid);
    });

    it("refuses a token signed with another organisation's key, though every claim is right", async () => {
      const fromB = await signGuestToken(guest, { audience: AUD, orgId: B, ttlSeconds: 60 });
      expect((await verifyGuestToken(fromB, { audience: AUD, orgId: B })).sub).toBe('guest_1');
      expect((await refusal(verifyGuestToken(fromB, { audience: AUD, orgId: A }))).message).toMatch(/not signed by this organisation/);
      clearKeyCache(); // the same answer from a cold cache
      await refusal(verifyGuestToken(fromB, { audience: AUD, orgId: A }));
      await refusal(verifyGuestToken(await signedWith(await currentSigningKey(B)), { audience: AUD, orgId: A }));
      // A missing or odd organisation is a refusal, never a pass.
      await refusal(verifyGuestToken(fromB, { audience: AUD } as never));
      await refusal(verifyGuestToken(fromB, { audience: AUD, orgId: '../x' }));
    });

    it('rotating one organisation leaves the others signing and verifying as before', async () => {
      const [oldA, keyB] = [await currentSigningKey(A), await currentSigningKey(B)];
      const [tokenA, tokenB] = [await signGuestToken(guest, { audience: AUD, orgId: A, ttlSeconds: 600 }), await signGuestToken(guest, { audience: AUD, orgId: B, ttlSeconds: 600 })];
      const r = await rotateSigningKey({ orgId: A });
      expect(r).toMatchObject({ orgId: A, rotatedKids: [oldA.kid] });
      expect((await currentSigningKey(A)).kid).toBe(r.kid);
      expect((await currentSigningKey(B)).kid).toBe(keyB.kid);
      expect(await prisma().signingKey.findUniqueOrThrow({ where: { kid: keyB.kid } })).toMatchObject({ rotatedAt: null, retireAt: null });
      expect((await verifyGuestToken(tokenA, { audience: AUD, orgId: A })).kid).toBe(oldA.kid);
      expect((await verifyGuestToken(tokenB, { audience: AUD, orgId: B })).kid).toBe(keyB.kid);
      // The JWKS keeps publishing every organisation's active keys, the rotated one until it retires.
      const kids = (await publicJwks()).keys.map((k) => k.kid);
      expect(kids).toEqual(expect.arrayContaining([r.kid, oldA.kid, keyB.kid]));
    });

    it('an instance-wide key from before verifies for any organisation until it retires, and never signs', async () => {
      const k = await generateSigningKey();
      const privateKey = await importPKCS8(openPrivateKey(k.kid, k.privateKeyEnc), 'RS256');
      const retireAt = new Date(Date.now() + 3600_000);
      // As the migration leaves it: rotated, retiring.
      await prisma().signingKey.create({ data: { kid: k.kid, orgId: null, publicJwk: { ...k.publicJwk }, privateKeyEnc: k.privateKeyEnc, rotatedAt: new Date(), retireAt } });
      const token = await signedWith({ kid: k.kid, privateKey });
      for (const orgId of [A, B]) expect((await verifyGuestToken(token, { audience: AUD, orgId })).kid).toBe(k.kid);
      await refusal(verifyGuestToken(token, { audience: AUD, orgId: A, now: new Date(retireAt.getTime() + 1000) }));
      // Even one left unrotated is never picked to sign: signing keys are looked up by organisation.
      await prisma().signingKey.update({ where: { kid: k.kid }, data: { rotatedAt: null, retireAt: null } });
      clearKeyCache();
      const fresh = (await createOrg()).id;
      expect((await currentSigningKey(fresh)).kid).not.toBe(k.kid);
      expect((await currentSigningKey(A)).kid).not.toBe(k.kid);
      await prisma().signingKey.delete({ where: { kid: k.kid } });
    });

    it('the migration retires the instance-wide keys it finds after the longest token life', async () => {
      const file = fs.readFileSync(path.resolve(import.meta.dirname, '../../prisma/migrations/20261201140000_per_org_signing_keys/migration.sql'), 'utf8');
      const update = file.slice(file.indexOf('UPDATE "SigningKey"'));
      expect(update).toMatch(/WHERE "orgId" IS NULL/);
      expect(update).toContain(`interval '${ROTATED_KEY_GRACE_SECONDS} seconds'`);
      const k = await generateSigningKey();
      await prisma().signingKey.create({ data: { kid: k.kid, orgId: null, publicJwk: { ...k.publicJwk }, privateKeyEnc: k.privateKeyEnc } });
      const before = Date.now();
      // Run as a session far from UTC would run it: the stored times must still be UTC.
      await prisma().$transaction([prisma().$executeRawUnsafe("SET LOCAL TIME ZONE 'Pacific/Kiritimati'"), prisma().$executeRawUnsafe(update)]);
      const row = await prisma().signingKey.findUniqueOrThrow({ where: { kid: k.kid } });
      expect(Math.abs(row.rotatedAt!.getTime() - before)).toBeLessThan(10_000);
      expect(Math.abs(row.retireAt!.getTime() - (before + ROTATED_KEY_GRACE_SECONDS * 1000))).toBeLessThan(10_000);
      const ownKey = await currentSigningKey(A);
      expect(await prisma().signingKey.findUniqueOrThrow({ where: { kid: ownKey.kid } })).toMatchObject({ rotatedAt: null });
      await prisma().signingKey.delete({ where: { kid: k.kid } });
    });

    it('keeps keys in memory between requests, and forgets them when this process rotates', async () => {
      const fresh = (await createOrg()).id;
      const first = await currentSigningKey(fresh);
      const token = await signGuestToken(guest, { audience: AUD, orgId: fresh, ttlSeconds: 600 });
      expect((await verifyGuestToken(token, { audience: AUD, orgId: fresh })).kid).toBe(first.kid);
      // Another instance retires the key by hand and puts in a new one: this process keeps its cached
      // keys (no query per request) until KEY_CACHE_SECONDS pass...
      const other = await generateSigningKey();
      await prisma().$transaction([
        prisma().signingKey.update({ where: { kid: first.kid }, data: { rotatedAt: new Date(), retireAt: new Date(Date.now() - 1000) } }),
        prisma().signingKey.create({ data: { kid: other.kid, orgId: fresh, publicJwk: { ...other.publicJwk }, privateKeyEnc: other.privateKeyEnc } }),
      ]);
      expect((await currentSigningKey(fresh)).kid).toBe(first.kid);
      expect((await verifyGuestToken(token, { audience: AUD, orgId: fresh })).kid).toBe(first.kid);
      // ...and once the cache is refreshed, the database's answer holds.
      clearKeyCache();
      expect((await currentSigningKey(fresh)).kid).toBe(other.kid);
      expect((await refusal(verifyGuestToken(token, { audience: AUD, orgId: fresh }))).message).toMatch(/unknown or retired key/);
      // A rotation in this process is seen at once.
      const r = await rotateSigningKey({ orgId: fresh });
      expect((await currentSigningKey(fresh)).kid).toBe(r.kid);
    });
  });
});
