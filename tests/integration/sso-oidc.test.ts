import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { createPartnerOrg } from '../../lib/sso/partners';
import { handleOidcCallback, handleSsoStart } from '../../lib/sso/flow';
import { CLIENT_IP_HEADER } from '../../lib/http/client-ip';
import { createStaff } from '../helpers/factory';
import { sharedPdf, BASE } from '../helpers/guest';
import { startOidcProvider, type OidcTestProvider } from '../helpers/oidc-provider';

let idp: OidcTestProvider;
const CLIENT = { client_id: 'liaison-test', client_secret: 'test-secret-of-liaison-0123456789', redirect_uris: [`${BASE}/sso/*`] };
const OTHER = { client_id: 'other-app', client_secret: 'test-secret-of-other-app-01234567', redirect_uris: ['http://other.test/cb'] };

beforeAll(async () => {
  process.env.LIAISON_SSO_ALLOW_HTTP = '1';
  idp = await startOidcProvider([CLIENT, OTHER]);
});
afterAll(async () => { await idp?.close(); delete process.env.LIAISON_SSO_ALLOW_HTTP; });

/** A share of a fresh organisation, and a partner (acme.example) signing in through the test provider. */
async function setup(opts: { requireMfa?: boolean; issuer?: string } = {}) {
  const shared = await sharedPdf();
  const { principal: admin } = await createStaff(shared.org.id, 'ADMIN');
  const partner = await createPartnerOrg(admin, {
    name: 'Acme Forensics', domains: ['acme.example'],
    oidc: { issuer: opts.issuer ?? idp.issuer, clientId: CLIENT.client_id, clientSecret: CLIENT.client_secret, requireMfa: opts.requireMfa ?? false },
  });
  const providerId = partner.idp!.id;
  return { ...shared, admin, partner, providerId };
}

async function start(providerId: string, token: string) {
  const res = await handleSsoStart(new Request(`${BASE}/sso/${providerId}/start?return=${encodeURIComponent(`/s/${token}`)}`), providerId);
  expect(res.status).toBe(303);
  const cookie = /liaison_sso=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? '';
  return { location: res.headers.get('location')!, cookie };
}

const callback = (providerId: string, url: string, cookie: string | null) =>
  handleOidcCallback(new Request(url, { headers: cookie ? { cookie: `liaison_sso=${cookie}` } : {} }), providerId);

const reasonOf = (res: Response) => new URL(res.headers.get('location')!).searchParams.get('reason');

async function lastSsoAudit(orgId: string) {
  return prisma().auditEvent.findFirst({ where: { orgId, type: 'guest.sso' }, orderBy: { seq: 'desc' } });
}

describe('OIDC sign-in of a partner user (oidc-provider in process)', () => {
  it('signs in with PKCE, state and nonce, and lands on the share with a guest session', async () => {
    const s = await setup();
    const { location, cookie } = await start(s.providerId, s.token);
    const auth = new URL(location);
    expect(auth.origin).toBe(idp.issuer);
    expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
    expect(auth.searchParams.get('state')).toBe(cookie);
    expect(auth.searchParams.get('nonce')).toMatch(/.{20,}/);
    const back = await idp.authorize(location, { email: 'dana@acme.example' });
    const res = await callback(s.providerId, back, cookie);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/s/${s.token}`);
    expect(res.headers.getSetCookie().some((c) => c.startsWith('liaison_guest='))).toBe(true);
    const ev = await lastSsoAudit(s.org.id);
    expect(ev?.outcome).toBe('success');
  });
});

describe('OIDC bad input: each refused, audited, nothing opened', () => {
  async function expectRefused(res: Response, orgId: string, reason: string, check?: string) {
    expect(res.status).toBe(303);
    expect(reasonOf(res)).toBe(reason);
    expect(res.headers.getSetCookie().some((c) => c.startsWith('liaison_guest='))).toBe(false);
    const ev = await lastSsoAudit(orgId);
    expect(ev).toMatchObject({ outcome: 'denied', reason });
    if (check) expect((ev!.details as { check: string }).check).toBe(check);
  }

  it('a callback whose state is not the one this browser started with', async () => {
    const s = await setup();
    const { location, cookie } = await start(s.providerId, s.token);
    const back = new URL(await idp.authorize(location, { email: 'dana@acme.example' }));
    const forged = new URL(back);
    forged.searchParams.set('state', `${cookie.slice(0, -2)}xx`);
    await expectRefused(await callback(s.providerId, forged.href, cookie), s.org.id, 'state_mismatch', 'state');
    // Another browser (no state cookie) cannot complete someone else's sign-in either.
    await expectRefused(await callback(s.providerId, back.href, null), s.org.id, 'state_mismatch', 'no_cookie');
  });

  it('an ID token with a nonce other than the one sent', async () => {
    const s = await setup();
    const { location, cookie } = await start(s.providerId, s.token);
    idp.tamperIdToken = (c) => ({ ...c, nonce: 'not-the-nonce-we-sent' });
    try {
      const back = await idp.authorize(location, { email: 'dana@acme.example' });
      await expectRefused(await callback(s.providerId, back, cookie), s.org.id, 'invalid_response', 'nonce');
    } finally { idp.tamperIdToken = null; }
  });

  it('an ID token from another issuer, and an authorization response naming another issuer', async () => {
    const s = await setup();
    let { location, cookie } = await start(s.providerId, s.token);
    idp.tamperIdToken = (c) => ({ ...c, iss: 'https://evil.example' });
    try {
      const back = await idp.authorize(location, { email: 'dana@acme.example' });
      await expectRefused(await callback(s.providerId, back, cookie), s.org.id, 'invalid_response', 'iss');
    } finally { idp.tamperIdToken = null; }
    ({ location, cookie } = await start(s.providerId, s.token));
    const back = new URL(await idp.authorize(location, { email: 'dana@acme.example' }));
    back.searchParams.set('iss', 'https://evil.example');
    await expectRefused(await callback(s.providerId, back.href, cookie), s.org.id, 'invalid_response', 'iss');
  });

  it('an ID token issued to another client (audience)', async () => {
    const s = await setup();
    const { location, cookie } = await start(s.providerId, s.token);
    idp.tamperIdToken = (c) => ({ ...c, aud: OTHER.client_id, azp: OTHER.client_id });
    try {
      const back = await idp.authorize(location, { email: 'dana@acme.example' });
      await expectRefused(await callback(s.providerId, back, cookie), s.org.id, 'invalid_response', 'aud');
    } finally { idp.tamperIdToken = null; }
  });

  it('an expired ID token', async () => {
    const s = await setup();
    const { location, cookie } = await start(s.providerId, s.token);
    const past = Math.floor(Date.now() / 1000) - 3600;
    idp.tamperIdToken = (c) => ({ ...c, iat: past - 600, exp: past });
    try {
      const back = await idp.authorize(location, { email: 'dana@acme.example' });
      await expectRefused(await callback(s.providerId, back, cookie), s.org.id, 'invalid_response', 'exp');
    } finally { idp.tamperIdToken = null; }
  });

  it('a replayed callback, and a replayed code under a fresh sign-in', async () => {
    const s = await setup();
    const first = await start(s.providerId, s.token);
    const back = await idp.authorize(first.location, { email: 'dana@acme.example' });
    expect((await callback(s.providerId, back, first.cookie)).headers.get('location')).toBe(`/s/${s.token}`);
    await expectRefused(await callback(s.providerId, back, first.cookie), s.org.id, 'replayed', 'state_used');
    // The same code presented with a new, valid state: the provider refuses it (used, and another PKCE verifier).
    const second = await start(s.providerId, s.token);
    const replay = new URL(back);
    replay.searchParams.set('state', second.cookie);
    await expectRefused(await callback(s.providerId, replay.href, second.cookie), s.org.id, 'replayed', 'token:invalid_grant');
  });

  it('MFA required: a sign-in without a second factor is refused, one with it is accepted', async () => {
    const s = await setup({ requireMfa: true });
    let { location, cookie } = await start(s.providerId, s.token);
    let back = await idp.authorize(location, { email: 'dana@acme.example', mfa: false });
    await expectRefused(await callback(s.providerId, back, cookie), s.org.id, 'mfa_required', 'amr');
    ({ location, cookie } = await start(s.providerId, s.token));
    back = await idp.authorize(location, { email: 'dana@acme.example', mfa: true });
    const ok = await callback(s.providerId, back, cookie);
    expect(ok.headers.get('location')).toBe(`/s/${s.token}`);
    expect(((await lastSsoAudit(s.org.id))!.details as { mfa: boolean }).mfa).toBe(true);
  });

  it('an address outside the partner\'s domains (a look-alike domain included)', async () => {
    const s = await setup();
    for (const email of ['dana@evil.example', 'dana@acme.example.evil.example', 'dana@аcme.example']) {
      const { location, cookie } = await start(s.providerId, s.token);
      const back = await idp.authorize(location, { email });
      await expectRefused(await callback(s.providerId, back, cookie), s.org.id, 'email_not_allowed', 'domain');
    }
  });

  it('a start whose return path is not a share link', async () => {
    const s = await setup();
    for (const ret of ['https://evil.example/s/x', `//evil.example/s/${s.token}`, `/s/${s.token}?x=1`, '/settings', `/s/${s.token}/../../x`]) {
      const res = await handleSsoStart(new Request(`${BASE}/sso/${s.providerId}/start?return=${encodeURIComponent(ret)}`), s.providerId);
      expect(res.status).toBe(303);
      expect(reasonOf(res)).toBe('bad_request');
    }
    expect(await prisma().ssoState.count({ where: { providerId: s.providerId } })).toBe(0);
  });

  it('a partner whose discovery document names another issuer is refused when saved', async () => {
    // A server that serves the real provider's document (whose issuer is the real one) at its own address.
    const doc = await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).text();
    const mirror = http.createServer((_req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(doc); });
    await new Promise<void>((r) => mirror.listen(0, '127.0.0.1', r));
    try {
      const shared = await sharedPdf();
      const { principal: admin } = await createStaff(shared.org.id, 'ADMIN');
      const issuer = `http://127.0.0.1:${(mirror.address() as AddressInfo).port}`;
      await expect(createPartnerOrg(admin, { name: 'X', domains: ['x.example'], oidc: { issuer, clientId: CLIENT.client_id, clientSecret: CLIENT.client_secret } }))
        .rejects.toMatchObject({ code: 'validation_failed', message: expect.stringContaining('another issuer') });
      expect(await prisma().partnerOrg.count({ where: { orgId: shared.org.id } })).toBe(0);
    } finally {
      mirror.close();
    }
  });

  it('one client address cannot fill the state table or the audit trail: starts and refused answers are throttled', async () => {
    const s = await setup();
    const from = (ip: string) => ({ [CLIENT_IP_HEADER]: ip });
    const startFrom = (ip: string) => handleSsoStart(new Request(`${BASE}/sso/${s.providerId}/start?return=${encodeURIComponent(`/s/${s.token}`)}`, { headers: from(ip) }), s.providerId);
    for (let i = 0; i < 120; i++) expect(reasonOf(await startFrom('198.51.100.66'))).toBeNull();
    const refused = await startFrom('198.51.100.66');
    expect(reasonOf(refused)).toBe('rate_limited');
    const badCallback = await handleOidcCallback(new Request(`${BASE}/sso/${s.providerId}/callback?state=x&code=y`, { headers: from('198.51.100.66') }), s.providerId);
    expect(reasonOf(badCallback)).toBe('rate_limited');
    expect(await prisma().ssoState.count({ where: { providerId: s.providerId } })).toBe(120);
    expect(await prisma().auditEvent.count({ where: { orgId: s.org.id, reason: 'rate_limited' } })).toBe(0);
    // Another address is not affected.
    expect(reasonOf(await startFrom('198.51.100.67'))).toBeNull();
  });
});
