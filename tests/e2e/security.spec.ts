import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { tinyPdf } from '../helpers/tiny-pdf';
import { SCREENSHOTS, shot, signIn } from './helpers';

const SHARE_PASSWORD = 'Quayside-Lantern-8812';
const SHOTS = path.join(process.cwd(), 'test-results', 'screenshots');

interface Problem { kind: string; text: string; url: string }

/**
 * Collects everything that would show the Content-Security-Policy getting in the way: the
 * securitypolicyviolation events of every document (the listener is installed by the browser
 * driver, outside the page's CSP), the browser's own "Refused to…" console reports, header errors
 * (an unknown Permissions-Policy feature), and uncaught page errors.
 */
async function watch(page: Page): Promise<Problem[]> {
  const problems: Problem[] = [];
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`securitypolicyviolation: ${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} in ${e.sourceFile}:${e.lineNumber} ${e.sample}`);
    });
  });
  page.on('console', (m) => {
    const text = m.text();
    if (/securitypolicyviolation|Content Security Policy|Refused to|Permissions-Policy|Unrecognized feature/i.test(text)) problems.push({ kind: `console.${m.type()}`, text, url: page.url() });
  });
  page.on('pageerror', (e) => problems.push({ kind: 'pageerror', text: e.message, url: page.url() }));
  // Every HTML document must carry its own nonce policy.
  page.on('response', async (r) => {
    if (r.request().resourceType() !== 'document') return;
    const csp = (await r.allHeaders())['content-security-policy'] ?? '';
    if (!/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/.test(csp)) problems.push({ kind: 'missing-csp', text: csp, url: r.url() });
  });
  return problems;
}

/** The page at 1440×900, then again at device scale factor 2 in a context sharing the cookies. */
async function shots(browser: Browser, context: BrowserContext, page: Page, name: string) {
  await shot(page, `security-${name}`);
  if (!SCREENSHOTS) return;
  const hi = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 2, storageState: await context.storageState() });
  const p = await hi.newPage();
  await p.goto(page.url());
  await p.waitForLoadState('networkidle');
  fs.mkdirSync(SHOTS, { recursive: true });
  await p.screenshot({ path: path.join(SHOTS, `security-${name}@2x.png`), fullPage: true });
  await hi.close();
}

function pdfFile(title: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-e2e-sec-'));
  const file = path.join(dir, `${title.replace(/[^A-Za-z0-9]+/g, '-')}.pdf`);
  fs.writeFileSync(file, tinyPdf(`${title} ${crypto.randomUUID()}`));
  return file;
}

test.describe.serial('strict CSP in Chromium', () => {
  let link = '';
  let shareId = '';
  let docId = '';

  test('the sign-in page and every console page run under the nonce policy without a violation', async ({ page, context, browser }) => {
    test.setTimeout(180_000);
    const problems = await watch(page);

    // Headers of an HTML page: a fresh nonce each time, no HSTS over plain http.
    const first = await page.request.get('/signin');
    const second = await page.request.get('/signin');
    const nonceOf = (csp: string) => /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonceOf(first.headers()['content-security-policy'])).toBeTruthy();
    expect(nonceOf(first.headers()['content-security-policy'])).not.toBe(nonceOf(second.headers()['content-security-policy']));
    expect(first.headers()['strict-transport-security']).toBeUndefined();
    expect(first.headers()['cross-origin-opener-policy']).toBe('same-origin');
    const api = await page.request.get('/api/health');
    expect(api.headers()['content-security-policy']).toBeUndefined();
    expect(api.headers()['x-content-type-options']).toBe('nosniff');

    await signIn(page, 'admin', '/documents');
    // Upload through the page's own script (XHR, connect-src 'self').
    await expect(async () => {
      await page.getByTestId('upload-input').setInputFiles([]);
      await page.getByTestId('upload-input').setInputFiles(pdfFile('CSP check brief'));
      await expect(page.getByLabel('Title', { exact: true })).toBeVisible({ timeout: 2_000 });
    }).toPass();
    await page.getByLabel('Title', { exact: true }).fill('Northgate inquiry – CSP check');
    await page.getByLabel('Traffic Light Protocol').selectOption('GREEN');
    await page.getByRole('button', { name: 'Upload document' }).click();
    await expect(page.getByText('Document uploaded')).toBeVisible();
    await page.getByRole('link', { name: 'Northgate inquiry – CSP check' }).click();
    await expect(page.getByTestId('document-title')).toHaveText('Northgate inquiry – CSP check');
    docId = page.url().split('/').pop()!;
    await expect(page.getByText('TLP:GREEN').first()).toHaveCSS('color', 'rgb(51, 255, 0)');

    // A share with the advisory device type: labelled and explained as such.
    await page.getByTestId('share-document').click();
    await expect(page.getByTestId('selected-count')).toHaveText('1 document selected');
    const devices = page.getByRole('group', { name: /Device type \(advisory\)/ });
    await expect(devices).toBeVisible();
    await expect(page.getByTestId('device-rule-hint')).toContainText('not a security boundary');
    await devices.getByRole('checkbox', { name: 'Desktop' }).check();
    await page.getByRole('checkbox', { name: /Allow download/ }).check();
    await page.locator('input[name="password"]').fill(SHARE_PASSWORD);
    await devices.scrollIntoViewIfNeeded();
    await shots(browser, context, page, 'share-form');
    await page.getByTestId('create-share').click();
    const created = page.getByTestId('share-created');
    await expect(created).toBeVisible();
    await expect(created).toContainText('Desktop (device type, advisory)');
    link = (await page.getByTestId('share-link').textContent())!.trim();
    await shot(page, 'security-share-created');
    await page.getByTestId('open-share').click();
    await page.waitForURL(/\/shares\/[A-Za-z0-9_-]+$/);
    shareId = new URL(page.url()).pathname.split('/').pop()!;
    const conditions = page.locator('dl').filter({ hasText: 'Device type' });
    await expect(conditions).toContainText('(advisory)');
    await expect(page.getByTestId('share-devices')).toContainText('Desktop');
    await expect(page.getByTestId('share-devices')).toContainText('not a security boundary');
    await shots(browser, context, page, 'share-detail');

    // The rest of the console, by address and by client-side navigation.
    for (const p of ['/', '/documents', '/shares', '/guests', '/terms', '/audit', '/trace', '/settings/api-keys', '/settings/sharing', '/settings/account']) {
      const res = await page.goto(p);
      expect(res?.status(), p).toBe(200);
      await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
    }
    const nav = page.getByRole('navigation', { name: 'Main' }).last();
    for (const name of ['Documents', 'Shares', 'Audit trail', 'Dashboard']) {
      await nav.getByRole('link', { name }).click();
      await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
    }
    // A server action under the policy.
    await page.goto('/audit');
    await page.getByTestId('verify-chain').click();
    await expect(page.getByTestId('verify-result')).toContainText(/Chain intact/);

    // Error pages: unknown page, and a malformed id (a real 404 status, audited).
    const unknown = await page.goto('/no-such-page');
    expect(unknown?.status()).toBe(404);
    await expect(page.getByText('Not found').first()).toBeVisible();
    const bad = await page.goto('/documents/..%2F..%2Fetc%00');
    expect(bad?.status()).toBe(404);
    await expect(page.getByText('Not found').first()).toBeVisible();
    await shots(browser, context, page, 'not-found-malformed-id');
    await page.goto('/audit?type=staff.request');
    await expect(page.getByTestId('audit-table')).toContainText('Staff request refused');
    await expect(page.getByTestId('audit-table')).toContainText('"value":"../../etc\\\\u0000"');
    await shots(browser, context, page, 'audit-refused-id');

    expect(problems).toEqual([]);
  });

  test('a server action with a malformed id is refused as not found, audited, and changes nothing', async ({ page }) => {
    const problems = await watch(page);
    await signIn(page, 'admin', `/shares/${shareId}`);
    // The browser sends the action's arguments as a JSON body; the share id in it is swapped for a path.
    await page.route(`**/shares/${shareId}`, async (route) => {
      const req = route.request();
      if (req.method() !== 'POST' || !req.headers()['next-action']) return route.continue();
      const body = req.postData() ?? '';
      expect(body).toContain(shareId);
      await route.continue({ postData: body.split(shareId).join('../../etc') });
    });
    await page.getByRole('button', { name: 'Revoke', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke this share?' });
    await dialog.getByRole('button', { name: 'Revoke share' }).click();
    await expect(dialog).toContainText('Not found: shareId is not a valid id.');
    await page.unroute(`**/shares/${shareId}`);
    await page.goto(`/shares/${shareId}`);
    await expect(page.getByTestId('share-status')).toHaveText('Active');
    await page.goto('/audit?type=staff.request');
    await expect(page.getByTestId('audit-table')).toContainText('{"field":"shareId","value":"../../etc","where":"action revokeShare"}');
    expect(problems).toEqual([]);
  });

  test('guest pages: the gate, the documents, the image viewer, the download, and refusals', async ({ browser }) => {
    test.setTimeout(120_000);
    const guestContext = await browser.newContext();
    const guest = await guestContext.newPage();
    const problems = await watch(guest);

    await guest.goto(link);
    await expect(guest.getByRole('heading', { name: 'This share is protected' })).toBeVisible();
    await guest.getByLabel('Password').fill(SHARE_PASSWORD);
    await guest.getByRole('button', { name: 'Unlock' }).click();
    const enter = guest.getByRole('button', { name: 'View documents' });
    if (await enter.isVisible().catch(() => false)) await enter.click();
    await guest.getByRole('link', { name: 'Northgate inquiry – CSP check' }).click();
    await expect(guest.getByRole('heading', { name: 'Northgate inquiry – CSP check' })).toBeVisible();

    // Pages arrive as server-rendered images; the viewer sizes them from script (no style attributes in
    // the markup), so the page's policy refuses nothing.
    const img = guest.getByTestId('page-image');
    await expect(img).toBeVisible();
    await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBeGreaterThan(0);
    const box = await img.boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    await expect(guest.getByText('of 1', { exact: true })).toBeVisible();
    // The print block (a stylesheet rule keyed on a marker).
    await expect(guest.locator('[data-no-print]')).toBeAttached();
    await guest.emulateMedia({ media: 'print' });
    expect(await guest.evaluate(() => getComputedStyle(document.documentElement).display)).toBe('none');
    await guest.emulateMedia({ media: 'screen' });
    await guest.waitForTimeout(300);
    await shot(guest, 'security-guest-viewer');

    // The file itself keeps its own sandbox policy.
    const download = await guest.request.get(`${new URL(link).pathname}/d/${docId}/download`);
    expect(download.status()).toBe(200);
    const csp = download.headersArray().filter((h) => h.name.toLowerCase() === 'content-security-policy').map((h) => h.value).join(' | ');
    expect(csp).toContain('sandbox');

    // Refusal pages: an unknown link and an undecodable one.
    await guest.goto(`/s/${crypto.randomBytes(32).toString('base64url')}`);
    await expect(guest.getByRole('heading', { name: 'Link not found' })).toBeVisible();
    const weird = await guest.goto('/s/%C3%28');
    expect(weird?.status()).toBeLessThan(500);
    await guestContext.close();
    expect(problems).toEqual([]);
  });

  test('the advisory device rule refuses a phone that says it is one, and the access log names it as advisory', async ({ browser, page }) => {
    const phone = await browser.newContext({
      userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
    });
    const p = await phone.newPage();
    const problems = await watch(p);
    await p.goto(link);
    await expect(p.getByRole('heading', { name: 'Not available on this device' })).toBeVisible();
    await phone.close();
    expect(problems).toEqual([]);
    await signIn(page, 'admin', `/shares/${shareId}`);
    await expect(page.getByTestId('access-log')).toContainText('Device type not allowed (advisory rule)');
    await expect(page.getByTestId('sessions-table').getByRole('columnheader', { name: 'Device (reported)' })).toBeVisible();
  });
});
