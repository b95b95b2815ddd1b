import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { createPartnerOrg } from '../../lib/sso/partners';
import { handleOidcCallback, handleSsoStart } from '../../lib/sso/flow';
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
