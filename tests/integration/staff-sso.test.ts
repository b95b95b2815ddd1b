import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { staffFromCookie } from '../../lib/auth/resolve';
import { handleOidcCallback, handleSamlAcs, handleSsoStart } from '../../lib/sso/flow';
import { handleStaffSsoLookup } from '../../lib/sso/staff-lookup';
import { setStaffIdentityProvider } from '../../lib/sso/staff-idp';
import { samlAcsUrl, samlSpEntityId } from '../../lib/sso/urls';
import { CLIENT_IP_HEADER } from '../../lib/http/client-ip';
import { createOrg, createStaff } from '../helpers/factory';
import { startOidcProvider, type OidcTestProvider } from '../helpers/oidc-provider';
import { startSamlIdp, type SamlTestIdp } from '../helpers/saml-idp';

const BASE = 'http://liaison.test';
const SECRET = 'staff-client-secret-0123456789abcdef';
let oidc: OidcTestProvider;
let saml: SamlTestIdp;

beforeAll(async () => {
  process.env.LIAISON_SSO_ALLOW_HTTP = '1';
  oidc = await startOidcProvider([{ client_id: 'liaison-console', client_secret: SECRET, redirect_uris: [`${BASE}/sso/*`] }]);
  saml = await startSamlIdp();
});
afterAll(async () => { await oidc?.close(); await saml?.close(); delete process.env.LIAISON_SSO_ALLOW_HTTP; });

let n = 0;
/** An organisation with an OIDC (or SAML) staff IdP for its own domain, an admin and a member with addresses there. */
async function home(kind: 'OIDC' | 'SAML' = 'OIDC') {
  const domain = `harbour${++n}-${Date.now().toString(36)}.example`;
  const org = await createOrg('Harbour Legal');
  const { principal: admin } = await createStaff(org.id, 'ADMIN', { email: `admin@${domain}` });
  const { user: member } = await createStaff(org.id, 'MEMBER', { email: `mo@${domain}` });
  const idp = await setStaffIdentityProvider(admin, {
    name: 'Harbour Entra ID', domains: [domain],
    ...(kind === 'OIDC' ? { oidc: { issuer: oidc.issuer, clientId: 'liaison-console', clientSecret: SECRET } } : { saml: { metadataXml: saml.metadataXml } }),
  });
  return { org, admin, member, domain, providerId: idp.id };
}

async function lookup(email: string, ip = '198.51.100.77') {
  return handleStaffSsoLookup(new Request(`${BASE}/sso/staff`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', [CLIENT_IP_HEADER]: ip }, body: new URLSearchParams({ email }).toString() }));
}

async function start(providerId: string, query = 'purpose=staff') {
  const res = await handleSsoStart(new Request(`${BASE}/sso/${providerId}/start?${query}`), providerId);
  return { res, location: res.headers.get('location')!, cookie: /liaison_sso=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? '' };
}

async function oidcSignIn(providerId: string, email: string) {
  const { location, cookie } = await start(providerId);
  const back = await oidc.authorize(location, { email });
  return handleOidcCallback(new Request(back, { headers: { cookie: `liaison_sso=${cookie}`, 'user-agent': 'vitest-staff' } }), providerId);
}

const consoleCookie = (res: Response) => res.headers.getSetCookie().find((c) => c.startsWith('next-auth.session-token='))?.split(';')[0] ?? null;
const reasonOf = (res: Response) => new URL(res.headers.get('location')!, BASE).searchParams.get('reason');

describe('staff single sign-on to the console', () => {
  it('the sign-in page\'s lookup sends an address of the IdP\'s domain to the IdP, and answers every other address alike', async () => {
    const h = await home();
    const known = await lookup(`someone@${h.domain.toUpperCase()}`);
    expect(known.status).toBe(303);
    expect(known.headers.get('location')).toBe(`/signin?sso_provider=${h.providerId}&sso_email=${encodeURIComponent(`someone@${h.domain}`)}`);
    // A domain with an organisation (and accounts) but no SSO, a domain nobody has, and garbage: the same answer.
    const other = await createOrg();
    await createStaff(other.id, 'ADMIN', { email: `x@nosso-${h.domain}` });
    const answers = await Promise.all([`x@nosso-${h.domain}`, 'x@nobody.example', 'not an address'].map((e) => lookup(e, '198.51.100.78')));
    for (const a of answers) {
      expect(a.status).toBe(303);
      expect(a.headers.get('location')).toBe('/signin?sso=unavailable');
    }
  });

  it('an existing staff member signs in through the OIDC IdP: a server-side session, the console cookie, audited with method sso', async () => {
    const h = await home();
    const res = await oidcSignIn(h.providerId, h.member.email);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    const cookie = consoleCookie(res);
    expect(cookie).not.toBeNull();
    const p = await staffFromCookie(cookie, { ip: '198.51.100.1', userAgent: 'vitest' });
    expect(p).toMatchObject({ kind: 'staff', userId: h.member.id, orgId: h.org.id, role: 'MEMBER' });
    const ev = await prisma().auditEvent.findFirst({ where: { orgId: h.org.id, type: 'staff.signin', outcome: 'success' }, orderBy: { seq: 'desc' } });
    expect(ev?.details).toMatchObject({ method: 'sso', providerId: h.providerId, sessionId: p!.kind === 'staff' ? p!.sessionId : '' });
    expect(res.headers.getSetCookie().find((c) => c.startsWith('next-auth.session-token='))).toMatch(/HttpOnly; SameSite=Lax/);
  });

  it('no account is created: an unknown address of the domain, a disabled account, or another organisation\'s account are refused', async () => {
    const h = await home();
    // Counted within this organisation and address: other test files create staff in parallel.
    const newcomers = () => prisma().staffUser.count({ where: { OR: [{ orgId: h.org.id }, { email: `newcomer@${h.domain}` }] } });
    const before = await newcomers();
    const unknown = await oidcSignIn(h.providerId, `newcomer@${h.domain}`);
    expect(reasonOf(unknown)).toBe('unknown_account');
    expect(consoleCookie(unknown)).toBeNull();
    expect(await newcomers()).toBe(before);
    await prisma().staffUser.update({ where: { id: h.member.id }, data: { disabledAt: new Date() } });
    expect(reasonOf(await oidcSignIn(h.providerId, h.member.email))).toBe('unknown_account');
    // A staff member of another organisation, whose address the IdP vouches for (outside this IdP's domains).
    const other = await createOrg();
    const { user: stranger } = await createStaff(other.id, 'ADMIN');
    const res = await oidcSignIn(h.providerId, stranger.email);
    expect(reasonOf(res)).toBe('email_not_allowed');
    expect(await prisma().staffSession.count({ where: { userId: stranger.id } })).toBe(0);
    const denied = await prisma().auditEvent.findMany({ where: { orgId: h.org.id, outcome: 'denied', type: { in: ['staff.signin', 'staff.sso'] } } });
    // Each refusal: the sign-in refusal (staff.signin, as a password refusal would be) and the SSO refusal (staff.sso).
    expect(denied.map((e) => `${e.type}:${e.reason}`).sort()).toEqual([
      'staff.signin:account_disabled', 'staff.signin:unknown_account', 'staff.sso:email_not_allowed', 'staff.sso:unknown_account', 'staff.sso:unknown_account',
    ]);
  });

  it('a staff provider cannot be used to reach a share, nor a partner\'s for the console', async () => {
    const h = await home();
    const { res } = await start(h.providerId, `return=${encodeURIComponent(`/s/${'A'.repeat(43)}`)}`);
    expect(reasonOf(res)).toBe('bad_request');
  });

  it('staff sign in through a SAML IdP too', async () => {
    const h = await home('SAML');
    const { location, cookie } = await start(h.providerId);
    const request = saml.readRequest(location);
    const samlResponse = saml.response({ inResponseTo: request.id, acs: samlAcsUrl(h.providerId), audience: samlSpEntityId(h.providerId), email: h.admin.email });
    const res = await handleSamlAcs(new Request(`${BASE}/sso/${h.providerId}/acs`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `liaison_sso=${cookie}` },
      body: new URLSearchParams({ SAMLResponse: samlResponse, RelayState: cookie }).toString(),
    }), h.providerId);
    expect(res.headers.get('location')).toBe('/');
    const p = await staffFromCookie(consoleCookie(res), { ip: null, userAgent: null });
    expect(p).toMatchObject({ userId: h.admin.userId, role: 'ADMIN' });
  });
});
