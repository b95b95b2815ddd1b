import crypto from 'node:crypto';
import http from 'node:http';
import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import { tinyPdf } from '../helpers/tiny-pdf';
import { E2E_PORT } from './env';
import { shot, signIn } from './helpers';
import { publishTxt, runFixtureScript } from './server-data';

const ORIGIN = `http://localhost:${E2E_PORT}`;
const sfx = crypto.randomBytes(3).toString('hex');
const HOST_A = `counsel-${sfx}.example.test`;
const HOST_B = `agencies-${sfx}.example.test`;
const BASE_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

async function gql(request: APIRequestContext, query: string, variables?: Record<string, unknown>) {
  const res = await request.post('/api/graphql', { headers: { origin: ORIGIN, 'content-type': 'application/json' }, data: { query, variables } });
  const body = await res.json() as { data?: any; errors?: unknown[] };
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data;
}

async function uploadPdf(page: Page, title: string): Promise<string> {
  const up = await page.request.post('/api/v1/documents', { headers: { origin: ORIGIN }, multipart: { file: { name: 'brief.pdf', mimeType: 'application/pdf', buffer: tinyPdf(`${title} ${crypto.randomUUID()}`) }, title, tlp: 'AMBER' } });
  expect(up.status()).toBe(201);
  return (await up.json()).id as string;
}

/** The newest verification code mailed to `to`, as an admin reads it in the development outbox. */
async function codeFromOutbox(admin: Page, to: string): Promise<string> {
  const row = () => admin.getByTestId('mail-table').getByRole('row', { name: new RegExp(to.replace(/[.@]/g, '\\$&')) }).filter({ hasText: /verification code/i }).first();
  await expect(async () => {
    await admin.goto('/settings/mail');
    await expect(row()).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await row().getByRole('link').first().click();
  await admin.getByRole('tab', { name: 'Plain text' }).click();
  const text = (await admin.getByTestId('mail-text').textContent()) ?? '';
  const code = /(?<!\d)\d{6}(?!\d)/.exec(text)?.[0];
  expect(code, text).toBeTruthy();
  return code!;
}

/** A request to this server as if to `host` (the test machine's resolver does not know *.example.test). */
function rawGet(host: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: E2E_PORT, path, headers: { host: `${host}:${E2E_PORT}`, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    }).on('error', reject);
  });
}

/** A browser that resolves *.example.test to this machine and treats those origins as secure (cookies, WebCrypto), as behind TLS. */
async function customDomainBrowser(browser: Browser, hosts: string[]) {
  const chromium = browser.browserType();
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...BASE_ARGS, '--host-resolver-rules=MAP *.example.test 127.0.0.1', `--unsafely-treat-insecure-origin-as-secure=${hosts.map((h) => `http://${h}:${E2E_PORT}`).join(',')}`],
  });
}

test('a portal on its own domain: verified by DNS TXT, branded, a guest signs in with a code and opens a document; another organisation\'s portal keeps its own brand and sessions', async ({ page, browser }) => {
  test.setTimeout(240_000);
  await signIn(page, 'admin', '/');
  const docId = await uploadPdf(page, 'Northwind v Calder — witness statements');
  const created = await gql(page.request, `mutation($in: CreatePortalInput!) { createPortal(input: $in) { id slug } }`, {
    in: { slug: `northwind-${sfx}`, name: 'Northwind Counsel Portal', primaryColor: '#0b3d2e', accentColor: '#1d6b52', welcome: 'Documents for external counsel in Northwind v Calder.', footer: 'Privileged and confidential. Prepared in contemplation of litigation.', supportEmail: 'legal-ops@northwind.example' },
  });
  const portal = created.createPortal as { id: string; slug: string };
  const section = (await gql(page.request, `mutation($p: ID!) { createPortalSection(portalId: $p, name: "Witness statements") { id } }`, { p: portal.id })).createPortalSection.id as string;
  await gql(page.request, `mutation($s: ID!, $d: [ID!]!) { addDocumentsToSection(sectionId: $s, documentIds: $d) { id } }`, { s: section, d: [docId] });
  await gql(page.request, `mutation($p: ID!, $in: PortalGrantInput!) { grantPortalAccess(portalId: $p, input: $in) { id } }`, {
    p: portal.id, in: { emails: ['r.okafor@calder-llp.example'], permission: 'VIEW', allowDownload: false, watermark: true, expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString() },
  });
  // The domain: claimed, the TXT record published on the test DNS server, verified.
  const domain = (await gql(page.request, `mutation($p: ID!, $h: String!) { addPortalDomain(portalId: $p, hostname: $h) { id verified txtName txtValue } }`, { p: portal.id, h: HOST_A })).addPortalDomain;
  expect(domain.verified).toBe(false);
  expect(domain.txtName).toBe(`_liaison-challenge.${HOST_A}`);
  publishTxt(E2E_PORT, domain.txtName, [domain.txtValue]);
  const verified = (await gql(page.request, `mutation($id: ID!) { verifyPortalDomain(id: $id) { verified lastError } }`, { id: domain.id })).verifyPortalDomain;
  expect(verified, JSON.stringify(verified)).toMatchObject({ verified: true });

  const second = JSON.parse(runFixtureScript(E2E_PORT, 'tests/e2e/seed-second-portal.ts', { args: [HOST_B, ORIGIN] })) as { slug: string; token: string; documentIds: string[] };

  const custom = await customDomainBrowser(browser, [HOST_A, HOST_B]);
  try {
    const ctx = await custom.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 2 });
    const g = await ctx.newPage();
    await g.goto(`http://${HOST_A}:${E2E_PORT}/`);
    await expect(g.getByRole('heading', { name: 'Northwind Counsel Portal' })).toBeVisible();
    await expect(g.getByText('Documents for external counsel in Northwind v Calder.')).toBeVisible();
    await expect(g.getByText('Privileged and confidential.')).toBeVisible();
    await shot(g, 'portal-a-signin');
    await g.getByLabel('Email address').fill('r.okafor@calder-llp.example');
    await g.getByRole('button', { name: 'Continue' }).click();
    await expect(g.getByRole('heading', { name: 'Check your email' })).toBeVisible();
    const code = await codeFromOutbox(page, 'r.okafor@calder-llp.example');
    await g.getByLabel('6-digit code').fill(code);
    await g.getByRole('button', { name: 'Verify and sign in' }).click();
    await expect(g.getByRole('heading', { name: 'Documents' })).toBeVisible();
    expect(new URL(g.url()).pathname).toBe('/');
    await expect(g.getByRole('heading', { name: 'Witness statements' })).toBeVisible();
    await expect(g.getByText('r.okafor@calder-llp.example').first()).toBeVisible();
    await shot(g, 'portal-a-home');
    await g.getByRole('link', { name: 'Northwind v Calder — witness statements' }).first().click();
    await expect(g.getByTestId('page-image').first()).toBeVisible();
    expect(new URL(g.url()).pathname).toBe(`/d/${docId}`);
    await shot(g, 'portal-a-viewer');
    // Search, and the activity panel lists the guest's own sign-in and view.
    await g.goto(`http://${HOST_A}:${E2E_PORT}/?q=witness`);
    await expect(g.getByText('1 result for “witness”')).toBeVisible();
    await expect(g.getByRole('region', { name: 'Your recent activity' }).getByText('Opened')).toBeVisible();

    // The same portal on the console host: the custom domain's cookie does not go there.
    const onConsole = await g.context().request.get(`http://localhost:${E2E_PORT}/p/${portal.slug}/d/${docId}/pages/1`);
    expect(onConsole.status()).toBe(401);
    // Org A's cookie sent to org B's domain: refused (the session is bound to A's portal and host).
    const cookieA = (await ctx.cookies()).find((c) => c.name === 'liaison_portal' && c.domain === HOST_A)!.value;
    const crossed = await rawGet(HOST_B, `/d/${second.documentIds[0]}/pages/1`, { cookie: `liaison_portal=${cookieA}` });
    // proxy.ts drops it before anything renders (the token names another host) and sends the visitor to sign in…
    expect(crossed.status).toBe(303);
    expect(crossed.headers.location).toBe('/');
    expect(String(crossed.headers['set-cookie'])).toMatch(/liaison_portal=; Path=\/; Max-Age=0/);
    // …and the policy refuses the same token through the guest API, where no proxy runs.
    const api = await rawGet(HOST_B, '/api/portal/v1/documents', { authorization: `Bearer ${cookieA}` });
    expect([401, 404]).toContain(api.status); // not served on that host: nothing of A's is found there

    // Org B's portal, in its own brand, with its guest's session.
    const ctxB = await custom.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 2 });
    await ctxB.addCookies([{ name: 'liaison_portal', value: second.token, domain: HOST_B, path: '/', httpOnly: true, secure: true, sameSite: 'Lax' }]);
    const b = await ctxB.newPage();
    await b.goto(`http://${HOST_B}:${E2E_PORT}/`);
    await expect(b.getByRole('link', { name: /Harbourline Partner Agencies/ })).toBeVisible();
    await expect(b.getByRole('heading', { name: 'Operation Tidewater' })).toBeVisible();
    await expect(b.getByText('Northwind')).toHaveCount(0);
    await shot(b, 'portal-b-home');
    const bSignIn = await (await custom.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 2 })).newPage();
    await bSignIn.goto(`http://${HOST_B}:${E2E_PORT}/`);
    await expect(bSignIn.getByRole('heading', { name: 'Harbourline Partner Agencies' })).toBeVisible();
    await shot(bSignIn, 'portal-b-signin');
    // An unknown host of the same family: the neutral page, naming nobody.
    const unknown = await rawGet(`nobody-${sfx}.example.test`, '/');
    expect(unknown.status).toBe(404);
    expect(unknown.body).not.toMatch(/Northwind|Harbourline|Liaison console/);
  } finally {
    await custom.close();
  }
});

test('a device-bound grant: the browser that signed in works; the same cookie in another browser is refused device_denied', async ({ page, browser }) => {
  test.setTimeout(180_000);
  await signIn(page, 'admin', '/');
  const docId = await uploadPdf(page, 'Kestrel due diligence — data room index');
  const portal = (await gql(page.request, `mutation($in: CreatePortalInput!) { createPortal(input: $in) { id slug } }`, {
    in: { slug: `kestrel-${sfx}`, name: 'Kestrel Data Room', primaryColor: '#23395d', accentColor: '#a4461f', welcome: 'Data room for the Kestrel transaction.', footer: 'Strictly confidential.', supportEmail: 'dataroom@kestrel.example' },
  })).createPortal as { id: string; slug: string };
  const section = (await gql(page.request, `mutation($p: ID!) { createPortalSection(portalId: $p, name: "Financials") { id } }`, { p: portal.id })).createPortalSection.id as string;
  await gql(page.request, `mutation($s: ID!, $d: [ID!]!) { addDocumentsToSection(sectionId: $s, documentIds: $d) { id } }`, { s: section, d: [docId] });
  await gql(page.request, `mutation($p: ID!, $in: PortalGrantInput!) { grantPortalAccess(portalId: $p, input: $in) { id } }`, {
    p: portal.id, in: { emails: ['analyst@buyer-fund.example'], permission: 'VIEW', watermark: true, requireDevice: true, expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString() },
  });

  const first = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 2 });
  const g = await first.newPage();
  await g.goto(`/p/${portal.slug}`);
  await expect(g.getByRole('heading', { name: 'Kestrel Data Room' })).toBeVisible();
  // The device key and the service worker that proves it are set up on the sign-in page.
  await expect.poll(() => g.evaluate(async () => Boolean((await navigator.serviceWorker.getRegistration('/'))?.active)), { timeout: 15_000 }).toBe(true);
  await g.getByLabel('Email address').fill('analyst@buyer-fund.example');
  await g.getByRole('button', { name: 'Continue' }).click();
  await expect(g.getByRole('heading', { name: 'Check your email' })).toBeVisible();
  await g.getByLabel('6-digit code').fill(await codeFromOutbox(page, 'analyst@buyer-fund.example'));
  await g.getByRole('button', { name: 'Verify and sign in' }).click();
  await expect(g.getByRole('heading', { name: 'Documents' })).toBeVisible();
  await g.getByRole('link', { name: 'Kestrel due diligence — data room index' }).first().click();
  await expect(g.getByTestId('page-image').first()).toBeVisible();
  await shot(g, 'portal-device-approved');

  // Another browser holding the very same cookie: no key, so no proof: refused.
  const cookies = await first.cookies();
  const second = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 2 });
  await second.addCookies(cookies);
  const s = await second.newPage();
  await s.goto(`/p/${portal.slug}`);
  await expect(s.getByRole('heading', { name: 'Not available on this device' })).toBeVisible();
  await shot(s, 'portal-device-refused');
  const image = await s.request.get(`/p/${portal.slug}/d/${docId}/pages/1`);
  expect(image.status()).toBe(403);
  expect((await image.json()).error).toBe('device_denied');
  // Staff see the registered device in the console.
  await page.goto('/guests/devices?status=APPROVED');
  await expect(page.getByText('analyst@buyer-fund.example').first()).toBeVisible();
  await first.close();
  await second.close();
});

test("the owner's preview shows the portal and its documents as a chosen address would see them, read-only and bannered", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, 'admin', '/');
  const [briefing, contract] = [await uploadPdf(page, 'Osprey — opening brief'), await uploadPdf(page, 'Osprey — supplier contract')];
  const portal = (await gql(page.request, `mutation($in: CreatePortalInput!) { createPortal(input: $in) { id slug } }`, {
    in: { slug: `osprey-${sfx}`, name: 'Osprey Matter Portal', primaryColor: '#2b3a67', accentColor: '#8a3b12', welcome: 'Osprey matter documents.', footer: 'Confidential.', supportEmail: 'matters@osprey.example' },
  })).createPortal as { id: string; slug: string };
  const sections: string[] = [];
  for (const [name, doc] of [['Briefs', briefing], ['Contracts', contract]] as const) {
    const id = (await gql(page.request, `mutation($p: ID!, $n: String!) { createPortalSection(portalId: $p, name: $n) { id } }`, { p: portal.id, n: name })).createPortalSection.id as string;
    await gql(page.request, `mutation($s: ID!, $d: [ID!]!) { addDocumentsToSection(sectionId: $s, documentIds: $d) { id } }`, { s: id, d: [doc] });
    sections.push(id);
  }
  await gql(page.request, `mutation($p: ID!, $in: PortalGrantInput!) { grantPortalAccess(portalId: $p, input: $in) { id } }`, {
    p: portal.id, in: { emails: ['k.ito@osprey-counsel.example'], sectionIds: [sections[0]], permission: 'VIEW', expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString() },
  });
  await page.goto(`/portals/${portal.id}/preview`);
  await expect(page.getByText('Choose whom to preview as')).toBeVisible();
  await page.getByLabel('or an email address').fill('k.ito@osprey-counsel.example');
  await page.getByRole('button', { name: 'Preview' }).click();
  await expect(page.getByText('Preview as k.ito@osprey-counsel.example')).toBeVisible();
  const frame = page.getByRole('region', { name: /The portal as k\.ito@osprey-counsel\.example sees it/ });
  await expect(frame.getByText('Osprey — opening brief')).toBeVisible();
  await expect(frame.getByText('Osprey — supplier contract')).toHaveCount(0);
  await expect(page.getByText('Allowed')).toBeVisible();
  await shot(page, 'portal-preview');

  // Opening a document: the same image viewer, the portal's colours, the banner; its pages through the preview route.
  const pageImages: number[] = [];
  page.on('response', (r) => { if (/\/portals\/[^/]+\/preview\/pages\//.test(r.url())) pageImages.push(r.status()); });
  await frame.getByRole('link', { name: 'Osprey — opening brief' }).click();
  await expect(page).toHaveURL(new RegExp(`/portals/${portal.id}/preview/d/${briefing}\\?email=`));
  await expect(page.getByText('Preview as k.ito@osprey-counsel.example')).toBeVisible();
  const viewer = page.getByRole('region', { name: /The document as k\.ito@osprey-counsel\.example would see it/ });
  await expect(viewer.getByRole('heading', { name: 'Osprey — opening brief' })).toBeVisible();
  await expect(viewer.getByText('Watermarked with their identity')).toBeVisible();
  await expect(viewer.getByText('View only')).toBeVisible();
  const image = viewer.getByTestId('page-image').first();
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 20_000 }).toBe(true);
  expect(pageImages.length).toBeGreaterThan(0);
  expect(pageImages.every((s) => s === 200)).toBe(true);
  // The header is drawn in the portal's primary colour.
  expect(await viewer.locator('[class*="portal-primary"]').first().evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(43, 58, 103)');
  await shot(page, 'portal-preview-document');

  // The contract is in a section their grant does not cover: listed for staff only, and refused as the guest would be.
  await page.getByRole('link', { name: 'All documents (preview)' }).click();
  await page.getByRole('region', { name: /Not listed for them/ }).getByRole('link', { name: 'Osprey — supplier contract' }).click();
  await expect(page.getByTestId('preview-refusal').getByRole('heading', { name: 'Document not found' })).toBeVisible();
  await expect(page.getByTestId('preview-refusal').getByText('This document is not available to you.')).toBeVisible();
  await shot(page, 'portal-preview-refused');

  // The preview routes are the console's: a browser with no console session (a guest's) gets nothing.
  const previewPath = new URL(page.url()).pathname.replace(/\/d\/.*$/, '');
  const anonymous = await page.context().browser()!.newContext();
  const res = await anonymous.request.get(`${ORIGIN}${previewPath}/pages/cxxxxxxxxxxxxxxxxxxxxxxxx/1`);
  expect(res.status()).toBe(401);
  await anonymous.close();

  // Nobody is signed in, and the trail has the staff preview, not a guest access.
  await page.goto('/audit');
  const audit = page.getByTestId('audit-table');
  await expect(audit.getByText('Portal previewed by staff').first()).toBeVisible();
  await expect(audit.getByText('Portal document previewed by staff').first()).toBeVisible();
  await expect(audit.getByText('Portal page previewed by staff').first()).toBeVisible();
});
