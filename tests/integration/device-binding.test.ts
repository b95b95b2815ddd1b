import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { prisma } from '../../lib/db/client';
import { apiList, apiOpen, BASE, sharedPdf } from '../helpers/guest';

/** A browser's device key, made here the way components/device/device-key.ts makes one (P-256, ES256). */
async function deviceKey() {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const { kty, crv, x, y } = await exportJWK(publicKey);
  return {
    proof: (method: string, url: string, token?: string) => new SignJWT({ htm: method, htu: url, jti: crypto.randomUUID(), ...(token ? { ath: createHash('sha256').update(token).digest('base64url') } : {}) })
      .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty, crv, x, y } }).setIssuedAt().sign(privateKey as CryptoKey),
  };
}

// Test requests carry no x-liaison-request-url (server.ts writes it): the helper routes then compare
// against the URL the route sees, which is what a proof must name here.
const SESSIONS = `${BASE}/api/portal/v1/sessions`;
const LIST = `${BASE}/api/portal/v1/documents`;
const withUrl = (url: string) => ({ 'x-liaison-request-url': url });

describe('device binding on a share', () => {
  it('a session opened with a key is bound to it (cnf.jkt); each request must prove that key, freshly', async () => {
    const s = await sharedPdf({ requireDevice: true });
    const key = await deviceKey();
    const bare = await apiOpen({ link: s.url });
    expect(bare.res.status).toBe(403);
    expect(bare.json.error).toBe('device_denied');
    const opened = await apiOpen({ link: s.url }, '198.51.100.10', { dpop: await key.proof('POST', SESSIONS), ...withUrl(SESSIONS) });
    expect(opened.res.status, JSON.stringify(opened.json)).toBe(201);
    const token = opened.json.access_token as string;
    expect(JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).cnf?.jkt).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const device = await prisma().guestDevice.findFirstOrThrow({ where: { orgId: s.org.id } });
    expect(device.status).toBe('APPROVED'); // the guest's first device

    const list = (headers: Record<string, string>) => apiList(token, '198.51.100.10', LIST, { ...withUrl(LIST), ...headers });
    const good = await key.proof('GET', LIST, token);
    expect((await list({ dpop: good })).status).toBe(200);
    // The same proof again: replayed.
    expect((await list({ dpop: good })).status).toBe(403);
    // No proof; a proof without the token's hash; for another URL; by another key (a copied token elsewhere).
    expect((await list({})).status).toBe(403);
    expect((await list({ dpop: await key.proof('GET', LIST) })).status).toBe(403);
    expect((await list({ dpop: await key.proof('GET', `${BASE}/api/portal/v1/documents/x`, token) })).status).toBe(403);
    const thief = await deviceKey();
    expect((await list({ dpop: await thief.proof('GET', LIST, token) })).status).toBe(403);
    const reasons = (await prisma().auditEvent.findMany({ where: { shareId: s.share.id, reason: 'device_denied', type: 'guest.list' }, orderBy: { seq: 'asc' } }))
      .map((e) => (e.details as { device?: string }).device);
    expect(reasons).toEqual(['replayed', 'missing', 'wrong_ath', 'wrong_url', 'key_mismatch']);
    // Revoking the device stops the next request.
    await prisma().guestDevice.update({ where: { id: device.id }, data: { status: 'REVOKED' } });
    expect((await list({ dpop: await key.proof('GET', LIST, token) })).status).toBe(403);
  });
});
