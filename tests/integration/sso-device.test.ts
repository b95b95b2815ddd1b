import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { sha256Hex } from '../../lib/crypto/secrets';
import { jwkThumbprint } from '../../lib/devices/keys';
import { createPartnerOrg } from '../../lib/sso/partners';
import { handleOidcCallback, handleSsoStart } from '../../lib/sso/flow';
import { encodeSite, SITE_HEADER } from '../../lib/portals/site';
import { HOST_HEADER, REQUEST_URL_HEADER } from '../../lib/http/request-host';
import { POST as shareCompleteRoute } from '../../app/s/[token]/sso/complete/route';
import { GET as portalCompleteGet, POST as portalCompleteRoute } from '../../app/p/[slug]/sso/complete/route';
import { createStaff } from '../helpers/factory';
import { apiList, BASE, sharedPdf } from '../helpers/guest';
import { grant, portalFixture, portalHeaders } from '../helpers/portal';
import { nodeDevice, signProof } from '../helpers/dpop';
import { startOidcProvider, type OidcTestProvider } from '../helpers/oidc-provider';

/*
 * A partner's single sign-on into a device-bound share or portal: the IdP's answer opens no session; the
 * browser is sent to the device step with a one-time code, and the session opens when the code comes back
 * with a proof of the browser's device key, bound to that key (cnf.jkt), under the usual approval rule.
 */

let idp: OidcTestProvider;
const CLIENT = { client_id: 'liaison-test', client_secret: 'test-secret-of-liaison-0123456789', redirect_uris: [`${BASE}/sso/*`] };
const CONSOLE = 'liaison.test';

beforeAll(async () => {
  process.env.LIAISON_SSO_ALLOW_HTTP = '1';
  idp = await startOidcProvider([CLIENT]);
});
afterAll(async () => { await idp?.close(); delete process.env.LIAISON_SSO_ALLOW_HTTP; });

let ipCounter = 1;
const freshIp = () => `198.18.7.${(ipCounter++ % 250) + 1}`;

async function partnerOf(orgId: string) {
  const { principal: admin } = await createStaff(orgId, 'ADMIN');
  const partner = await createPartnerOrg(admin, {
    name: 'Acme Forensics', domains: ['acme.example'], oidc: { issuer: idp.issuer, clientId: CLIENT.client_id, clientSecret: CLIENT.client_secret },
  });
  return { partner, providerId: partner.idp!.id };
}

/** Start toward `returnTo` (on the console host unless `host`), the IdP, and the callback: the callback's answer. */
async function signIn(providerId: string, returnTo: string, opts: { host?: string; email?: string } = {}) {
  const q = new URLSearchParams({ return: returnTo, ...(opts.host ? { host: opts.host } : {}) });
  const start = await handleSsoStart(new Request(`${BASE}/sso/${providerId}/start?${q}`, { headers: portalHeaders(freshIp(), CONSOLE) }), providerId);
  expect(start.status).toBe(303);
  const state = /liaison_sso=([^;]+)/.exec(start.headers.get('set-cookie') ?? '')?.[1] ?? '';
  const back = await idp.authorize(start.headers.get('location')!, { email: opts.email ?? 'dana@acme.example' });
  return handleOidcCallback(new Request(back, { headers: { cookie: `liaison_sso=${state}`, ...portalHeaders(freshIp(), CONSOLE) } }), providerId);
}

const cookieOf = (res: Response, name: string) => res.headers.getSetCookie().map((c) => new RegExp(`^${name}=([^;]+)`).exec(c)?.[1]).find(Boolean) ?? null;
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { cnf?: { jkt?: string }; host?: string };

/** The device step's form, as the browser posts it (the proof names POST and the URL the browser addressed). */
function postForm(url: string, route: (req: Request, ctx: never) => Promise<Response>, params: object, form: Record<string, string>, host: string, extra: Record<string, string> = {}) {
  return route(new Request(url, {
    method: 'POST', headers: { ...portalHeaders(freshIp(), host), [REQUEST_URL_HEADER]: url, ...extra }, body: new URLSearchParams(form),
  }), { params: Promise.resolve(params) } as never);
}

const lastDenied = async (orgId: string, type: string) =>
  prisma().auditEvent.findFirst({ where: { orgId, type, outcome: 'denied' }, orderBy: { seq: 'desc' } });

describe('single sign-on into a device-bound share', () => {
  async function setup() {
    const s = await sharedPdf({ requireDevice: true });
    return { ...s, ...(await partnerOf(s.org.id)) };
  }
  const completeUrl = (token: string) => `${BASE}/s/${token}/sso/complete`;
  const complete = (token: string, form: Record<string, string>, host = CONSOLE) => postForm(completeUrl(token), shareCompleteRoute as never, { token }, form, host);

  it('goes through the device step: the session opens bound to the proving key; the code works once; a missing or replayed proof is refused', async () => {
    const s = await setup();
    const back = await signIn(s.providerId, `/s/${s.token}`);
    expect(back.status).toBe(303);
    const step = new URL(back.headers.get('location')!, BASE);
    expect(step.pathname).toBe(`/s/${s.token}/sso/device`);
    const code = step.searchParams.get('code')!;
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Nothing opened at the callback: no cookie, no session.
    expect(cookieOf(back, 'liaison_guest')).toBeNull();
    expect(await prisma().guestSession.count({ where: { shareId: s.share.id } })).toBe(0);
    const row = await prisma().portalSsoHandoff.findFirstOrThrow({ where: { shareId: s.share.id } });
    expect(row).toMatchObject({ codeHash: sha256Hex(code), device: true, host: CONSOLE, portalId: null });
    expect(JSON.stringify(row)).not.toContain(code);
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeLessThanOrEqual(60_000);

    const key = await nodeDevice();
    const proof = await signProof(key.privateKey, key.jwk, { htm: 'POST', htu: completeUrl(s.token) });
    const done = await complete(s.token, { code, dpop: proof });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`/s/${s.token}`);
    const token = cookieOf(done, 'liaison_guest')!;
    expect(token).toBeTruthy();
    const jkt = await jwkThumbprint(key.jwk);
    expect(claimsOf(token).cnf?.jkt).toBe(jkt);
    const guest = await prisma().guest.findFirstOrThrow({ where: { partnerOrgId: s.partner.id } });
    expect(await prisma().guestDevice.findFirstOrThrow({ where: { guestId: guest.id } })).toMatchObject({ thumbprint: jkt, status: 'APPROVED' });
    expect(await prisma().guestSession.findFirstOrThrow({ where: { shareId: s.share.id } })).toMatchObject({ authMethod: 'sso', guestId: guest.id });
    // The session works with that key's proofs, and not without.
    const LIST = `${BASE}/api/portal/v1/documents`;
    const list = (extra: Record<string, string>) => apiList(token, '198.18.8.1', LIST, { [HOST_HEADER]: CONSOLE, [REQUEST_URL_HEADER]: LIST, ...extra });
    expect((await list({ dpop: await signProof(key.privateKey, key.jwk, { htm: 'GET', htu: LIST, ath: sha256b64(token) }) })).status).toBe(200);
    expect((await list({})).status).toBe(403);
    const ok = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: s.org.id, type: 'guest.sso.complete', outcome: 'success' } });
    expect(ok.details).toMatchObject({ handoffId: row.id, device: true, deviceKey: jkt });

    // The same code again, with a fresh proof: refused, audited as a replay, nothing opened.
    const again = await complete(s.token, { code, dpop: await signProof(key.privateKey, key.jwk, { htm: 'POST', htu: completeUrl(s.token) }) });
    expect(again.headers.get('location')).toBe(`/s/${s.token}?error=invalid_token`);
    expect(cookieOf(again, 'liaison_guest')).toBeNull();
    expect(await lastDenied(s.org.id, 'guest.sso.complete')).toMatchObject({ reason: 'replayed' });

    // A new sign-in whose code comes back without a proof: refused device_denied (and the code is spent).
    const code2 = new URL((await signIn(s.providerId, `/s/${s.token}`)).headers.get('location')!, BASE).searchParams.get('code')!;
    const bare = await complete(s.token, { code: code2 });
    expect(bare.headers.get('location')).toBe(`/s/${s.token}?error=device_denied`);
    expect(cookieOf(bare, 'liaison_guest')).toBeNull();
    expect(await lastDenied(s.org.id, 'guest.sso.complete')).toMatchObject({ reason: 'device_denied', details: expect.objectContaining({ check: 'missing' }) });
    expect((await complete(s.token, { code: code2, dpop: await signProof(key.privateKey, key.jwk, { htm: 'POST', htu: completeUrl(s.token) }) })).headers.get('location'))
      .toBe(`/s/${s.token}?error=invalid_token`);

    // And with the proof already used for the first code: replayed.
    const code3 = new URL((await signIn(s.providerId, `/s/${s.token}`)).headers.get('location')!, BASE).searchParams.get('code')!;
    const replay = await complete(s.token, { code: code3, dpop: proof });
    expect(replay.headers.get('location')).toBe(`/s/${s.token}?error=device_denied`);
    expect(await lastDenied(s.org.id, 'guest.sso.complete')).toMatchObject({ reason: 'device_denied', details: expect.objectContaining({ check: 'replayed' }) });
    // A proof for another URL (the share's sign-in form) does not do either.
    const code4 = new URL((await signIn(s.providerId, `/s/${s.token}`)).headers.get('location')!, BASE).searchParams.get('code')!;
    await complete(s.token, { code: code4, dpop: await signProof(key.privateKey, key.jwk, { htm: 'POST', htu: `${BASE}/s/${s.token}/session` }) });
    expect(await lastDenied(s.org.id, 'guest.sso.complete')).toMatchObject({ reason: 'device_denied', details: expect.objectContaining({ check: 'wrong_url' }) });
    expect(await prisma().guestSession.count({ where: { shareId: s.share.id } })).toBe(1);
  });

  it("a second browser of the same guest is registered pending and refused until staff approve it", async () => {
    const s = await setup();
    const first = await nodeDevice();
    const c1 = new URL((await signIn(s.providerId, `/s/${s.token}`)).headers.get('location')!, BASE).searchParams.get('code')!;
    expect((await complete(s.token, { code: c1, dpop: await signProof(first.privateKey, first.jwk, { htm: 'POST', htu: completeUrl(s.token) }) })).headers.get('location')).toBe(`/s/${s.token}`);
    const second = await nodeDevice();
    const c2 = new URL((await signIn(s.providerId, `/s/${s.token}`)).headers.get('location')!, BASE).searchParams.get('code')!;
    const refused = await complete(s.token, { code: c2, dpop: await signProof(second.privateKey, second.jwk, { htm: 'POST', htu: completeUrl(s.token) }) });
    expect(refused.headers.get('location')).toBe(`/s/${s.token}?error=device_denied`);
    expect(cookieOf(refused, 'liaison_guest')).toBeNull();
    const pending = await prisma().guestDevice.findFirstOrThrow({ where: { thumbprint: await jwkThumbprint(second.jwk) } });
    expect(pending.status).toBe('PENDING');
    expect(await lastDenied(s.org.id, 'guest.session')).toMatchObject({ reason: 'device_denied' });
  });

  it('a code presented on another host is refused and burnt', async () => {
    const s = await setup();
    const key = await nodeDevice();
    const code = new URL((await signIn(s.providerId, `/s/${s.token}`)).headers.get('location')!, BASE).searchParams.get('code')!;
    const res = await complete(s.token, { code, dpop: await signProof(key.privateKey, key.jwk, { htm: 'POST', htu: completeUrl(s.token) }) }, 'evil.example');
    expect(res.headers.get('location')).toBe(`/s/${s.token}?error=invalid_token`);
    expect(await lastDenied(s.org.id, 'guest.sso.complete')).toMatchObject({ reason: 'other_host' });
    expect((await complete(s.token, { code, dpop: await signProof(key.privateKey, key.jwk, { htm: 'POST', htu: completeUrl(s.token) }) })).headers.get('location')).toBe(`/s/${s.token}?error=invalid_token`);
    expect(await prisma().guestSession.count({ where: { shareId: s.share.id } })).toBe(0);
  });

  it('a code for another share is refused there', async () => {
    const s = await setup();
    const other = await sharedPdf({ requireDevice: true });
    const key = await nodeDevice();
    const code = new URL((await signIn(s.providerId, `/s/${s.token}`)).headers.get('location')!, BASE).searchParams.get('code')!;
    const res = await complete(other.token, { code, dpop: await signProof(key.privateKey, key.jwk, { htm: 'POST', htu: completeUrl(other.token) }) });
    expect(res.headers.get('location')).toBe(`/s/${other.token}?error=invalid_token`);
    expect(await lastDenied(s.org.id, 'guest.sso.complete')).toMatchObject({ reason: 'other_share' });
  });

  it('without requireDevice the callback still opens the session at once', async () => {
    const s = await sharedPdf();
    const { providerId } = await partnerOf(s.org.id);
    const back = await signIn(providerId, `/s/${s.token}`);
    expect(back.headers.get('location')).toBe(`/s/${s.token}`);
    expect(cookieOf(back, 'liaison_guest')).toBeTruthy();
    expect(await prisma().portalSsoHandoff.count({ where: { shareId: s.share.id } })).toBe(0);
  });
});

describe('single sign-on into a portal with a device-bound grant', () => {
  async function setup() {
    const f = await portalFixture();
    const p = await partnerOf(f.org.id);
    await grant(f.portal.id, f.org.id, { partnerOrgId: p.partner.id, requireDevice: true });
    const host = `docs-${f.portal.slug}.example.org`;
    await prisma().portalDomain.create({ data: { portalId: f.portal.id, orgId: f.org.id, hostname: host, challenge: 'x', verifiedAt: new Date() } });
    return { ...f, ...p, host };
  }
  const site = (s: Awaited<ReturnType<typeof setup>>) => ({ [SITE_HEADER]: encodeSite({ kind: 'portal', portalId: s.portal.id, orgId: s.org.id, slug: s.portal.slug, hostname: s.host }) });

  it('on the console host: the device step under /p/<slug>, the session bound to the key', async () => {
    const s = await setup();
    const back = await signIn(s.providerId, `/p/${s.portal.slug}`);
    const step = new URL(back.headers.get('location')!, BASE);
    expect(step.pathname).toBe(`/p/${s.portal.slug}/sso/device`);
    expect(cookieOf(back, 'liaison_portal')).toBeNull();
    const code = step.searchParams.get('code')!;
    expect(await prisma().portalSsoHandoff.findFirstOrThrow({ where: { portalId: s.portal.id } })).toMatchObject({ host: CONSOLE, device: true });

    const url = `${BASE}/p/${s.portal.slug}/sso/complete`;
    const key = await nodeDevice();
    const done = await postForm(url, portalCompleteRoute as never, { slug: s.portal.slug }, { code, dpop: await signProof(key.privateKey, key.jwk, { htm: 'POST', htu: url }) }, CONSOLE);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`/p/${s.portal.slug}`);
    const token = cookieOf(done, 'liaison_portal')!;
    expect(claimsOf(token).cnf?.jkt).toBe(await jwkThumbprint(key.jwk));
    expect(await prisma().guestSession.findFirstOrThrow({ where: { portalId: s.portal.id } })).toMatchObject({ authMethod: 'sso', host: CONSOLE });

    // Reused: refused.
    const again = await postForm(url, portalCompleteRoute as never, { slug: s.portal.slug }, { code, dpop: await signProof(key.privateKey, key.jwk, { htm: 'POST', htu: url }) }, CONSOLE);
    expect(again.headers.get('location')).toBe(`/p/${s.portal.slug}?error=invalid_token`);
    expect(await lastDenied(s.org.id, 'portal.sso.complete')).toMatchObject({ reason: 'replayed' });
  });

  it('on its custom domain: the device step there, the session bound to the host and the key; the GET handoff without a proof is refused', async () => {
    const s = await setup();
    const back = await signIn(s.providerId, `/p/${s.portal.slug}`, { host: s.host });
    const step = new URL(back.headers.get('location')!);
    expect(step.origin).toBe(`http://${s.host}`);
    expect(step.pathname).toBe('/sso/device');
    const url = `http://${s.host}/sso/complete`;
    const key = await nodeDevice();
    const done = await postForm(`${BASE}/p/${s.portal.slug}/sso/complete`, portalCompleteRoute as never, { slug: s.portal.slug },
      { code: step.searchParams.get('code')!, dpop: await signProof(key.privateKey, key.jwk, { htm: 'POST', htu: url }) }, s.host, { ...site(s), [REQUEST_URL_HEADER]: url });
    expect(done.headers.get('location')).toBe('/');
    const token = cookieOf(done, 'liaison_portal')!;
    expect(claimsOf(token)).toMatchObject({ host: s.host, cnf: { jkt: await jwkThumbprint(key.jwk) } });

    // A device-bound code followed as a plain GET (no proof): refused device_denied, audited, spent.
    const next = new URL((await signIn(s.providerId, `/p/${s.portal.slug}`, { host: s.host })).headers.get('location')!);
    const get = await portalCompleteGet(new Request(`${BASE}/p/${s.portal.slug}/sso/complete?code=${next.searchParams.get('code')}`, { headers: { ...portalHeaders(freshIp(), s.host), ...site(s) } }),
      { params: Promise.resolve({ slug: s.portal.slug }) });
    expect(get.headers.get('location')).toBe('/?error=device_denied');
    expect(await lastDenied(s.org.id, 'portal.sso.complete')).toMatchObject({ reason: 'device_denied', details: expect.objectContaining({ check: 'missing' }) });
    expect(await prisma().guestSession.count({ where: { portalId: s.portal.id } })).toBe(1);
  });
});

function sha256b64(s: string) {
  return Buffer.from(sha256Hex(s), 'hex').toString('base64url');
}
