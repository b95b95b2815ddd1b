import crypto from 'node:crypto';
import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { tinyPdf } from '../helpers/tiny-pdf';
import { startOidcProvider, type OidcTestProvider } from '../helpers/oidc-provider';
import { startSamlIdp, type SamlTestIdp } from '../helpers/saml-idp';
import { E2E_PORT, E2E_USERS } from './env';
import { shareDocument, shot, signIn, uploadDocument } from './helpers';
import { publishTxt } from './server-data';

const BASE = `http://localhost:${E2E_PORT}`;
const SECRET = 'e2e-oidc-client-secret-0123456789abcdef';
let oidc: OidcTestProvider;
let saml: SamlTestIdp;

test.use({ deviceScaleFactor: 2 });
test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  oidc = await startOidcProvider([{ client_id: 'liaison-e2e', client_secret: SECRET, redirect_uris: [`${BASE}/sso/*`] }]);
  saml = await startSamlIdp();
});
test.afterAll(async () => { await oidc?.close(); await saml?.close(); });

/** The provider id, read from an endpoint the partner page shows (…/sso/<providerId>/callback or /acs). */
async function providerIdOn(page: Page, testId: string) {
  const url = (await page.getByTestId(testId).textContent())!.trim();
  return /\/sso\/([^/]+)\//.exec(url)![1];
}

async function addPartner(page: Page, p: { name: string; domains: string; kind: 'OIDC' | 'SAML' }, screenshot?: string) {
  await page.goto('/settings/partners/new');
  await page.getByLabel('Name').fill(p.name);
  await page.getByLabel('Email domains').fill(p.domains);
  if (p.kind === 'OIDC') {
    await page.getByLabel('Issuer URL').fill(oidc.issuer);
    await page.getByLabel('Client ID').fill('liaison-e2e');
    await page.getByLabel('Client secret').fill(SECRET);
  } else {
    await page.getByRole('radio', { name: /SAML 2.0/ }).check();
    await page.getByLabel('IdP metadata XML').fill(saml.metadataXml);
  }
  if (screenshot) await shot(page, screenshot);
  await page.getByRole('button', { name: 'Add partner organisation' }).click();
  await page.waitForURL(/\/settings\/partners\/[^/]+\?created=1$/);
  await expect(page.getByText('Partner organisation added')).toBeVisible();
}

/** A partner user in a browser of their own: from the refusal's sso_url, through their IdP, to the share. */
async function partnerSignsIn(browser: Browser, startUrl: string, email: string, title: string, shotName: string) {
  const ctx = await browser.newContext({ deviceScaleFactor: 2 });
  const guest = await ctx.newPage();
  await guest.goto(startUrl);
  await guest.getByLabel('Email').fill(email);
  await guest.getByRole('button', { name: 'Sign in', exact: true }).click();
  await guest.waitForURL((u) => u.origin === BASE && u.pathname.startsWith('/s/'));
  await expect(guest.getByText(title).first()).toBeVisible();
  await shot(guest, shotName);
  await ctx.close();
}

test('a partner user signs in through the OIDC provider and reaches the share; admins manage partners in the console', async ({ page, browser }) => {
  test.setTimeout(180_000);
  await signIn(page, 'admin', '/');
  await page.goto('/settings/partners');
  // Other specs on this server may have added partners (a law-enforcement one): none is this one yet.
  await expect(page.getByRole('heading', { name: 'Partner organisations' }).first()).toBeVisible();
  await expect(page.getByText('Acme Forensics')).toHaveCount(0);
  await shot(page, 'sso-partners-empty');
  await addPartner(page, { name: 'Acme Forensics', domains: 'acme.example', kind: 'OIDC' }, 'sso-partner-new-oidc');
  await expect(page.getByTestId('endpoint-redirect-uri')).toContainText(`${BASE}/sso/`);
  await shot(page, 'sso-partner-oidc');
  const providerId = await providerIdOn(page, 'endpoint-redirect-uri');

  await uploadDocument(page, 'Acme incident report', tinyPdf('Acme incident report'), 'acme-report.pdf');
  const { link } = await shareDocument(page, 'Acme incident report');
  const token = new URL(link).pathname.split('/')[2];
  await partnerSignsIn(browser, `${BASE}/sso/${providerId}/start?return=/s/${token}`, 'dana@acme.example', 'Acme incident report', 'sso-guest-oidc-share');

  await page.goto('/settings/partners');
  await expect(page.getByTestId('partners-table')).toContainText('Acme Forensics');
  await expect(page.getByTestId('partners-table')).toContainText('OpenID Connect');
  await shot(page, 'sso-partners-list');
});

test('a partner user signs in through the SAML IdP and reaches the share', async ({ page, browser }) => {
  test.setTimeout(180_000);
  await signIn(page, 'admin', '/');
  await addPartner(page, { name: 'Borealis Police', domains: 'borealis.example', kind: 'SAML' }, 'sso-partner-new-saml');
  await expect(page.getByTestId('endpoint-acs-url')).toContainText('/acs');
  await expect(page.getByTestId('endpoint-sp-metadata-url')).toContainText('/metadata');
  await shot(page, 'sso-partner-saml');
  const providerId = await providerIdOn(page, 'endpoint-acs-url');
  const md = await page.request.get(`${BASE}/sso/${providerId}/metadata`);
  expect(md.status()).toBe(200);
  expect(await md.text()).toContain('AssertionConsumerService');

  await uploadDocument(page, 'Borealis case file', tinyPdf('Borealis case file'), 'borealis.pdf');
  const { link } = await shareDocument(page, 'Borealis case file');
  const token = new URL(link).pathname.split('/')[2];
  await partnerSignsIn(browser, `${BASE}/sso/${providerId}/start?return=/s/${token}`, 'kim@borealis.example', 'Borealis case file', 'sso-guest-saml-share');

  // A refusal is a neutral page with a stable reason, never an error page.
  const ctx = await browser.newContext({ deviceScaleFactor: 2 });
  const guest = await ctx.newPage();
  await guest.goto(`${BASE}/sso/${providerId}/start?return=${encodeURIComponent('https://evil.example/')}`);
  await expect(guest.getByTestId('sso-reason')).toContainText('bad_request');
  await guest.goto(`${BASE}/sso/refused?reason=mfa_required`);
  await expect(guest.getByRole('heading', { name: 'Multi-factor sign-in is required' })).toBeVisible();
  await shot(guest, 'sso-refused');
  await ctx.close();
});

test('staff sign in to the console with the organisation\'s IdP, beside the password', async ({ page, browser }) => {
  test.setTimeout(180_000);
  await signIn(page, 'admin', '/');
  await page.goto('/settings/sign-in');
  await page.getByLabel('Button label').fill('Demo Entra ID');
  await page.getByLabel('Staff email domains').fill('e2e.liaison.test');
  await page.getByLabel('Issuer URL').fill(oidc.issuer);
  await page.getByLabel('Client ID').fill('liaison-e2e');
  await page.getByLabel('Client secret').fill(SECRET);
  await page.getByRole('button', { name: 'Set up single sign-on' }).click();
  await expect(page.getByText('Saved', { exact: true })).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('endpoint-redirect-uri')).toBeVisible();
  await shot(page, 'sso-settings-sign-in');

  const ctx = await browser.newContext({ deviceScaleFactor: 2 });
  const staff = await ctx.newPage();
  await staff.goto(`${BASE}/signin`);
  await staff.getByRole('button', { name: 'Sign in with single sign-on' }).click();
  await staff.getByLabel('Work email address').fill('nobody@unknown.example');
  await staff.getByRole('button', { name: 'Continue with single sign-on' }).click();
  await expect(staff.getByText('Single sign-on is not set up for that address.')).toBeVisible();
  await staff.getByLabel('Work email address').fill(E2E_USERS.member.email);
  await staff.getByRole('button', { name: 'Continue with single sign-on' }).click();
  await expect(staff.getByRole('link', { name: 'Sign in with Demo Entra ID' })).toBeVisible();
  await shot(staff, 'sso-signin-offer');
  await staff.getByRole('link', { name: 'Sign in with Demo Entra ID' }).click();
  await staff.getByLabel('Email').fill(E2E_USERS.member.email);
  await staff.getByRole('button', { name: 'Sign in', exact: true }).click();
  await staff.waitForURL(`${BASE}/`);
  await expect(staff.getByTestId('current-user')).toHaveText(E2E_USERS.member.name);
  await ctx.close();
});

async function gql(request: APIRequestContext, query: string, variables?: Record<string, unknown>) {
  const res = await request.post('/api/graphql', { headers: { origin: BASE, 'content-type': 'application/json' }, data: { query, variables } });
  const body = await res.json() as { data?: any; errors?: unknown[] };
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data;
}

test('a partner user who starts on a portal\'s own domain signs in through the OIDC provider and lands back on that domain', async ({ page, browser }) => {
  test.setTimeout(240_000);
  const sfx = crypto.randomBytes(3).toString('hex');
  const HOST = `lakeside-${sfx}.example.test`;
  const ORIGIN_CUSTOM = `http://${HOST}:${E2E_PORT}`;
  const partnerDomain = `lakeside-${sfx}.example`;
  await signIn(page, 'admin', '/');
  await addPartner(page, { name: `Lakeside Agency ${sfx}`, domains: partnerDomain, kind: 'OIDC' });
  const partnerId = /\/settings\/partners\/([^/?]+)/.exec(page.url())![1];
  const up = await page.request.post('/api/v1/documents', { headers: { origin: BASE }, multipart: { file: { name: 'tasking.pdf', mimeType: 'application/pdf', buffer: tinyPdf(`Lakeside tasking ${sfx}`) }, title: 'Lakeside joint tasking note', tlp: 'GREEN' } });
  expect(up.status()).toBe(201);
  const docId = (await up.json()).id as string;
  const portal = (await gql(page.request, `mutation($in: CreatePortalInput!) { createPortal(input: $in) { id slug } }`, {
    in: { slug: `lakeside-${sfx}`, name: 'Lakeside Partner Portal', primaryColor: '#17456b', accentColor: '#8a3b12', welcome: 'Joint tasking documents.', footer: 'Official — sensitive.', supportEmail: 'liaison@lakeside.example' },
  })).createPortal as { id: string; slug: string };
  const section = (await gql(page.request, `mutation($p: ID!) { createPortalSection(portalId: $p, name: "Tasking") { id } }`, { p: portal.id })).createPortalSection.id as string;
  await gql(page.request, `mutation($s: ID!, $d: [ID!]!) { addDocumentsToSection(sectionId: $s, documentIds: $d) { id } }`, { s: section, d: [docId] });
  await gql(page.request, `mutation($p: ID!, $in: PortalGrantInput!) { grantPortalAccess(portalId: $p, input: $in) { id } }`, {
    p: portal.id, in: { partnerOrgId: partnerId, permission: 'VIEW', expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString() },
  });
  const domain = (await gql(page.request, `mutation($p: ID!, $h: String!) { addPortalDomain(portalId: $p, hostname: $h) { id txtName txtValue } }`, { p: portal.id, h: HOST })).addPortalDomain;
  publishTxt(E2E_PORT, domain.txtName, [domain.txtValue]);
  expect((await gql(page.request, `mutation($id: ID!) { verifyPortalDomain(id: $id) { verified lastError } }`, { id: domain.id })).verifyPortalDomain).toMatchObject({ verified: true });

  // A browser that resolves *.example.test here and treats the portal's origin as secure (as behind TLS).
  const custom = await browser.browserType().launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--host-resolver-rules=MAP *.example.test 127.0.0.1', `--unsafely-treat-insecure-origin-as-secure=${ORIGIN_CUSTOM}`],
  });
  try {
    const ctx = await custom.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 2 });
    const g = await ctx.newPage();
    await g.goto(`${ORIGIN_CUSTOM}/`);
    await expect(g.getByRole('heading', { name: 'Lakeside Partner Portal' })).toBeVisible();
    await g.getByLabel('Email address').fill(`j.ames@${partnerDomain}`);
    await g.getByRole('button', { name: 'Continue' }).click();
    // The sign-in page shows the way to the partner's sign-in (a link: forms may not leave the origin).
    await expect(g.getByRole('heading', { name: 'Sign in through your organisation' })).toBeVisible();
    await shot(g, 'sso-portal-custom-domain-step');
    await g.getByRole('link', { name: `Continue to Lakeside Agency ${sfx}` }).click();
    // The partner's IdP (it knows only the console host's callback).
    await g.getByLabel('Email').fill(`j.ames@${partnerDomain}`);
    await g.getByRole('button', { name: 'Sign in', exact: true }).click();
    await g.waitForURL((u) => u.origin === ORIGIN_CUSTOM && u.pathname === '/');
    await expect(g.getByRole('heading', { name: 'Documents' })).toBeVisible();
    await expect(g.getByText('Lakeside joint tasking note').first()).toBeVisible();
    await expect(g.getByText(`j.ames@${partnerDomain}`).first()).toBeVisible();
    await shot(g, 'sso-portal-custom-domain-home');
    expect(new URL(g.url()).search).toBe('');
    const cookies = await ctx.cookies();
    expect(cookies.filter((c) => c.name === 'liaison_portal').map((c) => [c.domain, c.path])).toEqual([[HOST, '/']]);
    await g.getByRole('link', { name: 'Lakeside joint tasking note' }).first().click();
    await expect(g.getByTestId('page-image').first()).toBeVisible();
    expect(new URL(g.url()).origin).toBe(ORIGIN_CUSTOM);
  } finally {
    await custom.close();
  }
  await page.goto('/audit');
  await expect(page.getByTestId('audit-table').getByText('Portal single sign-on handed over (to its domain or the device step)').first()).toBeVisible();
  await expect(page.getByTestId('audit-table').getByText('Portal single sign-on completed (on its domain or with a device key)').first()).toBeVisible();
});

test('a partner user opens a device-bound share and a device-bound portal: the sign-in ends on a device step that binds the session to the browser\'s key', async ({ page, browser }) => {
  test.setTimeout(240_000);
  const sfx = crypto.randomBytes(3).toString('hex');
  const partnerDomain = `harbour-${sfx}.example`;
  const email = `m.okafor@${partnerDomain}`;
  await signIn(page, 'admin', '/');
  await addPartner(page, { name: `Harbour Authority ${sfx}`, domains: partnerDomain, kind: 'OIDC' });
  const partnerId = /\/settings\/partners\/([^/?]+)/.exec(page.url())![1];
  const providerId = await providerIdOn(page, 'endpoint-redirect-uri');
  const up = await page.request.post('/api/v1/documents', { headers: { origin: BASE }, multipart: { file: { name: 'manifest.pdf', mimeType: 'application/pdf', buffer: tinyPdf(`Harbour manifest ${sfx}`) }, title: `Harbour manifest ${sfx}`, tlp: 'GREEN' } });
  expect(up.status()).toBe(201);
  const docId = (await up.json()).id as string;
  const share = (await gql(page.request, 'mutation($in: CreateShareInput!) { createShare(input: $in) { share { id url } } }', {
    in: { documentIds: [docId], requireDevice: true },
  })).createShare.share as { id: string; url: string };
  const token = new URL(share.url).pathname.split('/')[2];
  const portal = (await gql(page.request, `mutation($in: CreatePortalInput!) { createPortal(input: $in) { id slug } }`, {
    in: { slug: `harbour-${sfx}`, name: 'Harbour Partner Portal', primaryColor: '#17456b', accentColor: '#8a3b12', welcome: 'Port security documents.', footer: 'Official — sensitive.', supportEmail: 'liaison@harbour.example' },
  })).createPortal as { id: string; slug: string };
  const section = (await gql(page.request, `mutation($p: ID!) { createPortalSection(portalId: $p, name: "Manifests") { id } }`, { p: portal.id })).createPortalSection.id as string;
  await gql(page.request, `mutation($s: ID!, $d: [ID!]!) { addDocumentsToSection(sectionId: $s, documentIds: $d) { id } }`, { s: section, d: [docId] });
  await gql(page.request, `mutation($p: ID!, $in: PortalGrantInput!) { grantPortalAccess(portalId: $p, input: $in) { id } }`, {
    p: portal.id, in: { partnerOrgId: partnerId, permission: 'VIEW', requireDevice: true, expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString() },
  });

  // The device step as a browser without script sees it (it submits itself otherwise, too fast to look at).
  const still = await browser.newContext({ deviceScaleFactor: 2, javaScriptEnabled: false });
  const stillPage = await still.newPage();
  await stillPage.goto(`${BASE}/s/${token}/sso/device?code=${'A'.repeat(43)}`);
  await expect(stillPage.getByRole('heading', { name: 'Securing this browser' })).toBeVisible();
  await expect(stillPage.getByRole('button', { name: 'Continue' })).toBeVisible();
  await shot(stillPage, 'sso-device-step-share');
  await stillPage.goto(`${BASE}/p/${portal.slug}/sso/device?code=${'A'.repeat(43)}`);
  await expect(stillPage.getByRole('heading', { name: 'Securing this browser' })).toBeVisible();
  await shot(stillPage, 'sso-device-step-portal');
  await still.close();

  // The partner user, in a browser of their own: the share.
  const ctx = await browser.newContext({ deviceScaleFactor: 2 });
  const g = await ctx.newPage();
  const steps: string[] = [];
  g.on('framenavigated', (f) => { if (f === g.mainFrame()) steps.push(new URL(f.url()).pathname); });
  await g.goto(`${BASE}/sso/${providerId}/start?return=/s/${token}`);
  await g.getByLabel('Email').fill(email);
  await g.getByRole('button', { name: 'Sign in', exact: true }).click();
  await g.waitForURL((u) => u.origin === BASE && u.pathname === `/s/${token}`);
  expect(steps).toContain(`/s/${token}/sso/device`);
  await expect(g.getByText(`Harbour manifest ${sfx}`).first()).toBeVisible();
  await shot(g, 'sso-device-share-open');
  await g.getByRole('link', { name: `Harbour manifest ${sfx}` }).first().click();
  // The page image is a plain <img>: it loads only because the service worker proves the key for it.
  await expect.poll(() => g.getByTestId('page-image').first().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 20_000 }).toBe(true);

  // Then the portal, on the console host: the same browser, so the same key (the guest's first device).
  await g.goto(`${BASE}/p/${portal.slug}`);
  await g.getByLabel('Email address').fill(email);
  await g.getByRole('button', { name: 'Continue' }).click();
  await g.getByRole('link', { name: `Continue to Harbour Authority ${sfx}` }).click();
  // The IdP may still know this browser from the share's sign-in and answer without asking again.
  const home = (u: URL) => u.origin === BASE && u.pathname === `/p/${portal.slug}` && u.search === '';
  const asked = await Promise.race([g.getByLabel('Email').waitFor().then(() => true), g.waitForURL(home).then(() => false)]);
  if (asked) {
    await g.getByLabel('Email').fill(email);
    await g.getByRole('button', { name: 'Sign in', exact: true }).click();
  }
  await g.waitForURL(home);
  expect(steps).toContain(`/p/${portal.slug}/sso/device`);
  await expect(g.getByRole('heading', { name: 'Documents' })).toBeVisible();
  await g.getByRole('link', { name: `Harbour manifest ${sfx}` }).first().click();
  // The page image is a plain <img>: it loads only because the service worker proves the key for it.
  await expect.poll(() => g.getByTestId('page-image').first().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 20_000 }).toBe(true);
  await shot(g, 'sso-device-portal-document');

  // The cookie alone is worth nothing in another browser: it has no key to prove.
  const cookies = (await ctx.cookies()).filter((c) => c.name === 'liaison_guest');
  expect(cookies).toHaveLength(1);
  await ctx.close();
  const thief = await browser.newContext();
  await thief.addCookies(cookies);
  const stolen = await thief.newPage();
  await stolen.goto(`${BASE}/s/${token}`);
  await expect(stolen.getByText(`Harbour manifest ${sfx}`)).toHaveCount(0);
  await thief.close();

  // Staff see the one device, approved on first use, and both completions in the trail.
  await page.goto('/guests/devices?status=APPROVED');
  await expect(page.getByText(email).first()).toBeVisible();
  await page.goto('/audit');
  await expect(page.getByTestId('audit-table').getByText('Share single sign-on completed with a device key').first()).toBeVisible();
  await expect(page.getByTestId('audit-table').getByText('Portal single sign-on completed (on its domain or with a device key)').first()).toBeVisible();
});
