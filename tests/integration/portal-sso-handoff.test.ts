import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { sha256Hex } from '../../lib/crypto/secrets';
import { createPartnerOrg } from '../../lib/sso/partners';
import { handleOidcCallback, handleSsoStart } from '../../lib/sso/flow';
import { issuePortalHandoff } from '../../lib/portals/sso-handoff';
import { findPortalBySlug } from '../../lib/portals/portal-lookup';
import { encodeSite, SITE_HEADER } from '../../lib/portals/site';
import { portalSsoStep } from '../../lib/portals/codes';
import { POST as codeFormRoute } from '../../app/p/[slug]/code/route';
import { GET as completeRoute } from '../../app/p/[slug]/sso/complete/route';
import { createStaff } from '../helpers/factory';
import { BASE } from '../helpers/guest';
import { grant, portalCode, portalFixture, portalHeaders } from '../helpers/portal';
import { startOidcProvider, type OidcTestProvider } from '../helpers/oidc-provider';

/*
 * Single sign-on into a portal started on its verified custom domain: the IdP returns to the console
 * host's callback, which hands the browser back to the custom domain with a one-time code; the portal
 * session opens there, bound to that host. Started on the console host, it lands on the console host.
 */

let idp: OidcTestProvider;
const CLIENT = { client_id: 'liaison-test', client_secret: 'test-secret-of-liaison-0123456789', redirect_uris: [`${BASE}/sso/*`] };

beforeAll(async () => {
  process.env.LIAISON_SSO_ALLOW_HTTP = '1';
  idp = await startOidcProvider([CLIENT]);
});
afterAll(async () => { await idp?.close(); delete process.env.LIAISON_SSO_ALLOW_HTTP; });

let ipCounter = 1;
const freshIp = () => `203.0.113.${(ipCounter++ % 250) + 1}`;

/** A portal with a verified custom domain, a partner (acme.example) signing in through the test provider, and a grant for the partner. */
async function setup() {
  const f = await portalFixture();
  const { principal: admin } = await createStaff(f.org.id, 'ADMIN');
  const partner = await createPartnerOrg(admin, {
    name: 'Acme Forensics', domains: ['acme.example'],
    oidc: { issuer: idp.issuer, clientId: CLIENT.client_id, clientSecret: CLIENT.client_secret },
  });
  await grant(f.portal.id, f.org.id, { partnerOrgId: partner.id });
  const host = `docs-${f.portal.slug}.example.org`;
  await prisma().portalDomain.create({ data: { portalId: f.portal.id, orgId: f.org.id, hostname: host, challenge: 'x', verifiedAt: new Date() } });
  return { ...f, partner, providerId: partner.idp!.id, host };
}

const ctx = (slug: string) => ({ params: Promise.resolve({ slug }) });

type Site = { portal: { id: string; slug: string }; org: { id: string }; host: string };

/**
 * GET /sso/complete on `host`: on the portal's own domain, proxy.ts serves it from /p/<slug>/sso/complete,
 * with the site the server decided for the host in SITE_HEADER (set here as lib/server/start.ts would).
 */
const complete = (s: Site, code: string, host: string, ip = freshIp()) => {
  const site: Record<string, string> = host === s.host ? { [SITE_HEADER]: encodeSite({ kind: 'portal', portalId: s.portal.id, orgId: s.org.id, slug: s.portal.slug, hostname: host }) } : {};
  return completeRoute(new Request(`${BASE}/p/${s.portal.slug}/sso/complete?code=${encodeURIComponent(code)}`, { headers: { ...portalHeaders(ip, host), ...site } }), ctx(s.portal.slug));
};

const portalCookieOf = (res: Response) => res.headers.getSetCookie().find((c) => c.startsWith('liaison_portal='));

/** Start (from the sso_url the portal's sign-in gave), the IdP, and the callback on the console host. */
async function signInThroughIdp(startUrl: string, providerId: string, email = 'dana@acme.example') {
  const start = await handleSsoStart(new Request(startUrl, { headers: portalHeaders(freshIp(), 'liaison.test') }), providerId);
  expect(start.status).toBe(303);
  const state = /liaison_sso=([^;]+)/.exec(start.headers.get('set-cookie') ?? '')?.[1] ?? '';
  expect(state).not.toBe('');
  const back = await idp.authorize(start.headers.get('location')!, { email });
  return handleOidcCallback(new Request(back, { headers: { cookie: `liaison_sso=${state}`, ...portalHeaders(freshIp(), 'liaison.test') } }), providerId);
}

describe('portal single sign-on started on a custom domain', () => {
  it('lands on the custom domain: the callback hands over a one-time code, the session opens on that host', async () => {
    const s = await setup();
    // The portal's sign-in form on the custom domain sends a partner's address to its IdP, saying where it started.
    const asked = await portalCode(s.portal.slug, 'dana@acme.example', freshIp(), s.host);
    expect(asked.json.status).toBe('sso');
    const ssoUrl = new URL(asked.json.sso_url as string);
    expect(ssoUrl.origin).toBe('http://liaison.test');
    expect(ssoUrl.searchParams.get('return')).toBe(`/p/${s.portal.slug}`);
    expect(ssoUrl.searchParams.get('host')).toBe(s.host);

    const back = await signInThroughIdp(ssoUrl.href, s.providerId);
    expect(back.status).toBe(303);
    const handoff = new URL(back.headers.get('location')!);
    // The console's scheme and port (http://liaison.test in tests; https in production), the custom host.
    expect(handoff.origin).toBe(`http://${s.host}`);
    expect(handoff.pathname).toBe('/sso/complete');
    const code = handoff.searchParams.get('code')!;
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Nothing was opened on the console host: no portal cookie there, no session yet.
    expect(portalCookieOf(back)).toBeUndefined();
    expect(await prisma().guestSession.count({ where: { portalId: s.portal.id } })).toBe(0);
    // Stored hashed, bound to the portal and host, for a minute.
    const row = await prisma().portalSsoHandoff.findFirstOrThrow({ where: { portalId: s.portal.id } });
    expect(row.codeHash).toBe(sha256Hex(code));
    expect(JSON.stringify(row)).not.toContain(code);
    expect(row.host).toBe(s.host);
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeLessThanOrEqual(60_000);

    const done = await complete(s, code, s.host);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/');
    expect(portalCookieOf(done)).toMatch(/^liaison_portal=[^;]+; Path=\/; Max-Age=\d+; HttpOnly; Secure; SameSite=Lax$/);
    const session = await prisma().guestSession.findFirstOrThrow({ where: { portalId: s.portal.id } });
    expect(session).toMatchObject({ host: s.host, authMethod: 'sso' });
    const token = /liaison_portal=([^;]+)/.exec(portalCookieOf(done)!)![1];
    expect(JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).host).toBe(s.host);

    const events = await prisma().auditEvent.findMany({ where: { orgId: s.org.id, type: { in: ['portal.sso.handoff', 'portal.sso.complete'] } }, orderBy: { seq: 'asc' } });
    expect(events.map((e) => [e.type, e.outcome])).toEqual([['portal.sso.handoff', 'success'], ['portal.sso.complete', 'success']]);
    expect(events[1].details).toMatchObject({ portalId: s.portal.id, handoffId: row.id, host: s.host });

    // Used once: the same code again is refused (and audited as a replay), and opens nothing.
    const again = await complete(s, code, s.host);
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe('/?error=invalid_token');
    expect(portalCookieOf(again)).toBeUndefined();
    expect(await prisma().guestSession.count({ where: { portalId: s.portal.id } })).toBe(1);
    expect(await prisma().auditEvent.findFirst({ where: { orgId: s.org.id, type: 'portal.sso.complete', outcome: 'denied' } })).toMatchObject({ reason: 'replayed' });
  });

  it("the portal's sign-in form shows a partner's address the way to its IdP as a link, returning to the host it was on", async () => {
    const s = await setup();
    const form = await codeFormRoute(new Request(`${BASE}/p/${s.portal.slug}/code`, { method: 'POST', headers: { ...portalHeaders(freshIp(), s.host), [SITE_HEADER]: encodeSite({ kind: 'portal', portalId: s.portal.id, orgId: s.org.id, slug: s.portal.slug, hostname: s.host }) }, body: new URLSearchParams({ email: 'dana@acme.example' }) }), ctx(s.portal.slug));
    expect(form.status).toBe(303);
    expect(form.headers.get('location')).toBe(`/?sso=${s.providerId}`);
    const portal = (await findPortalBySlug(s.portal.slug))!;
    const step = await portalSsoStep(portal, s.providerId, s.host);
    expect(step?.partnerName).toBe('Acme Forensics');
    expect(new URL(step!.url).searchParams.get('host')).toBe(s.host);
    // Another organisation's provider, or a made-up one, gives no step.
    const other = await setup();
    expect(await portalSsoStep(portal, other.providerId, s.host)).toBeNull();
    expect(await portalSsoStep(portal, '../x', s.host)).toBeNull();
  });

  it('started on the console host, it still lands on the console host with its cookie there', async () => {
    const s = await setup();
    const asked = await portalCode(s.portal.slug, 'dana@acme.example', freshIp(), 'localhost');
    const ssoUrl = new URL(asked.json.sso_url as string);
    expect(ssoUrl.searchParams.has('host')).toBe(false);
    const back = await signInThroughIdp(ssoUrl.href, s.providerId);
    expect(back.headers.get('location')).toBe(`/p/${s.portal.slug}`);
    expect(portalCookieOf(back)).toMatch(new RegExp(`^liaison_portal=[^;]+; Path=/p/${s.portal.slug};`));
    expect(await prisma().portalSsoHandoff.count({ where: { portalId: s.portal.id } })).toBe(0);
  });

  it('a start naming a host this portal is not served on is refused (no open redirect), and nothing is recorded', async () => {
    const s = await setup();
    const other = await setup();
    await prisma().portalDomain.create({ data: { portalId: s.portal.id, orgId: s.org.id, hostname: `pending-${s.portal.slug}.example.org`, challenge: 'x' } });
    for (const host of ['evil.example', other.host, `pending-${s.portal.slug}.example.org`, 'not a host']) {
      const res = await handleSsoStart(new Request(`${BASE}/sso/${s.providerId}/start?return=${encodeURIComponent(`/p/${s.portal.slug}`)}&host=${encodeURIComponent(host)}`), s.providerId);
      expect(res.status).toBe(303);
      expect(new URL(res.headers.get('location')!).searchParams.get('reason')).toBe('bad_request');
    }
    expect(await prisma().ssoState.count({ where: { providerId: s.providerId } })).toBe(0);
  });
});

describe('the handoff code', () => {
  async function issued() {
    const s = await setup();
    const guest = await prisma().guest.create({ data: { orgId: s.org.id, kind: 'FEDERATED', email: 'dana@acme.example', partnerOrgId: s.partner.id, externalSubject: `sub-${s.portal.slug}` } });
    const portal = (await findPortalBySlug(s.portal.slug))!;
    const { location } = await issuePortalHandoff({ portal, host: s.host, guest, groups: [], providerId: s.providerId, request: { ip: '203.0.113.9', userAgent: null, host: 'liaison.test' } });
    return { ...s, code: new URL(location).searchParams.get('code')! };
  }
  const deniedReason = async (orgId: string) => (await prisma().auditEvent.findFirst({ where: { orgId, type: 'portal.sso.complete', outcome: 'denied' }, orderBy: { seq: 'desc' } }))?.reason;

  it('expired after 60 seconds', async () => {
    const s = await issued();
    await prisma().portalSsoHandoff.updateMany({ where: { portalId: s.portal.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    const res = await complete(s, s.code, s.host);
    expect(res.headers.get('location')).toBe('/?error=invalid_token');
    expect(await deniedReason(s.org.id)).toBe('expired');
    expect(await prisma().guestSession.count({ where: { portalId: s.portal.id } })).toBe(0);
  });

  it('presented on another host (the console host): refused and burnt, so it no longer works on its own host either', async () => {
    const s = await issued();
    const res = await complete(s, s.code, 'localhost');
    expect(res.headers.get('location')).toBe(`/p/${s.portal.slug}?error=invalid_token`);
    expect(portalCookieOf(res)).toBeUndefined();
    expect(await deniedReason(s.org.id)).toBe('other_host');
    expect((await complete(s, s.code, s.host)).headers.get('location')).toBe('/?error=invalid_token');
    expect(await deniedReason(s.org.id)).toBe('replayed');
    expect(await prisma().guestSession.count({ where: { portalId: s.portal.id } })).toBe(0);
  });

  it('presented to another portal (on that portal\'s own domain): refused', async () => {
    const s = await issued();
    const other = await setup();
    const res = await complete(other, s.code, other.host);
    expect(res.headers.get('location')).toBe('/?error=invalid_token');
    expect(await deniedReason(s.org.id)).toBe('other_portal');
    expect(await prisma().guestSession.count({ where: { portalId: { in: [s.portal.id, other.portal.id] } } })).toBe(0);
  });

  it('redeemed by ten requests at once: exactly one opens a session', async () => {
    const s = await issued();
    const results = await Promise.all(Array.from({ length: 10 }, () => complete(s, s.code, s.host)));
    expect(results.filter((r) => portalCookieOf(r)).length).toBe(1);
    expect(results.filter((r) => r.headers.get('location') === '/?error=invalid_token').length).toBe(9);
    expect(await prisma().guestSession.count({ where: { portalId: s.portal.id } })).toBe(1);
    expect(await prisma().auditEvent.count({ where: { orgId: s.org.id, type: 'portal.sso.complete', reason: 'replayed' } })).toBe(9);
  });

  it('a made-up or malformed code opens nothing', async () => {
    const s = await issued();
    for (const code of ['x'.repeat(43), 'short', `${s.code}x`]) {
      expect((await complete(s, code, s.host)).headers.get('location')).toBe('/?error=invalid_token');
    }
    expect(await prisma().guestSession.count({ where: { portalId: s.portal.id } })).toBe(0);
    // The real one still works: guesses do not burn it.
    expect(portalCookieOf(await complete(s, s.code, s.host))).toBeTruthy();
  });
});
