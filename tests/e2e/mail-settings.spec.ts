import crypto from 'node:crypto';
import http from 'node:http';
import { expect, test, type APIRequestContext, type Browser, type BrowserContext, type Page } from '@playwright/test';
// factory.ts re-exports this but also loads Prisma, which Playwright's loader cannot import.
import { tinyPdf } from '../helpers/tiny-pdf';
import { E2E_PORT } from './env';
import { shot, signIn } from './helpers';

const ORIGIN = `http://localhost:${E2E_PORT}`;

async function gql(request: APIRequestContext, query: string, variables?: Record<string, unknown>) {
  const res = await request.post('/api/graphql', { headers: { origin: ORIGIN, 'content-type': 'application/json' }, data: { query, variables } });
  const body = await res.json() as { data?: any; errors?: unknown[] };
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data;
}

/** A stand-in for Slack or a customer's endpoint: /down answers 500, everything else 200. */
async function receiver() {
  const hits: Array<{ path: string; headers: http.IncomingHttpHeaders; body: string }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      hits.push({ path: req.url ?? '', headers: req.headers, body });
      res.writeHead(req.url === '/down' ? 500 : 200, { 'content-type': 'text/plain' }).end(req.url === '/down' ? 'upstream unavailable' : 'ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { hits, url: (p: string) => `http://127.0.0.1:${port}${p}`, close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

/** The same page at deviceScaleFactor 2, signed in with the same cookies. */
async function hiDpiShot(browser: Browser, from: BrowserContext, url: string, name: string, ready: (p: Page) => Promise<void>) {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 2, storageState: await from.storageState() });
  const p = await ctx.newPage();
  await p.goto(url);
  await ready(p);
  await shot(p, name);
  await ctx.close();
}

test('notifications, webhooks and the development outbox: settings, deliveries and mail as admins see them', async ({ page, browser }) => {
  test.setTimeout(180_000);
  const rx = await receiver();
  try {
    await signIn(page, 'admin', '/settings/notifications');

    // Notifications: defaults, then changed and kept.
    await expect(page.getByRole('switch', { name: 'Tell owners about first access' })).toBeChecked();
    await expect(page.getByRole('switch', { name: 'Tell guests when their access is revoked' })).not.toBeChecked();
    await expect(page.getByLabel('Expiry reminders')).toHaveValue('3');
    await page.getByLabel('Expiry reminders').fill('120');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByText('At most 90 days')).toBeVisible();
    await page.getByLabel('Expiry reminders').fill('5');
    await page.getByRole('switch', { name: 'Tell guests when their access is revoked' }).check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByText('Notification settings saved')).toBeVisible();
    await page.reload();
    await expect(page.getByLabel('Expiry reminders')).toHaveValue('5');
    await expect(page.getByRole('switch', { name: 'Tell guests when their access is revoked' })).toBeChecked();
    await shot(page, 'notifications');

    // Webhooks: a signed JSON one (its secret shown once) and a Slack one whose endpoint is down.
    await page.goto('/settings/webhooks');
    await expect(page.getByText('No webhooks yet')).toBeVisible();
    await page.getByLabel('Endpoint URL').fill('ftp://example.com/hook');
    await page.getByRole('button', { name: 'Add webhook' }).click();
    await expect(page.getByText('only http:// and https:// URLs are accepted.')).toBeVisible();
    await page.getByLabel('Endpoint URL').fill(rx.url('/liaison-events'));
    await page.getByRole('checkbox', { name: /share\.created/ }).check();
    await page.getByRole('button', { name: 'Add webhook' }).click();
    await expect(page.getByTestId('new-webhook')).toBeVisible();
    const secret = (await page.getByTestId('webhook-secret').textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    await shot(page, 'webhooks-secret');
    await page.getByRole('button', { name: 'I have stored the secret' }).click();
    await page.getByLabel('Endpoint URL').fill(rx.url('/down'));
    await page.getByRole('radio', { name: /Slack/ }).check();
    await page.getByRole('checkbox', { name: /share\.revoked/ }).uncheck();
    await page.getByRole('checkbox', { name: /guest\.access A guest opened/ }).uncheck();
    await page.getByRole('checkbox', { name: /share\.created/ }).check();
    await page.getByRole('button', { name: 'Add webhook' }).click();
    await expect(page.getByTestId('new-webhook')).toBeVisible();
    await page.getByRole('button', { name: 'I have stored the secret' }).click();
    await expect(page.getByTestId('webhooks-table').getByRole('row')).toHaveCount(3);

    // Activity: a share to two recipients (one a look-alike domain), opened by a guest, then revoked.
    const up = await page.request.post('/api/v1/documents', { headers: { origin: ORIGIN }, multipart: { file: { name: 'brief.pdf', mimeType: 'application/pdf', buffer: tinyPdf(`Disclosure ${crypto.randomUUID()}`) }, title: 'Okafor inquiry – interview notes', tlp: 'AMBER' } });
    expect(up.status()).toBe(201);
    const docId = (await up.json()).id as string;
    const created = await gql(page.request, 'mutation($in: CreateShareInput!) { createShare(input: $in) { share { id url } } }', { in: { documentIds: [docId], recipients: ['counsel@partner-firm.example', 'ceo@xn--exmple-4nf.com'] } });
    const shareId = created.createShare.share.id as string;
    const opened = await page.request.fetch('/api/portal/v1/sessions', { method: 'POST', headers: { 'content-type': 'application/json', cookie: '' }, data: { link: created.createShare.share.url } });
    expect(opened.status()).toBe(201);
    await gql(page.request, 'mutation($id: ID!) { revokeShare(id: $id, reason: "sent to the wrong firm") { id } }', { id: shareId });

    // The signed endpoint receives share.created, guest.access and share.revoked, each verifiable.
    await expect.poll(() => rx.hits.filter((h) => h.path === '/liaison-events').map((h) => JSON.parse(h.body).type).sort(), { timeout: 20_000 })
      .toEqual(['guest.access', 'share.created', 'share.revoked']);
    for (const h of rx.hits.filter((x) => x.path === '/liaison-events')) {
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(h.headers['liaison-signature']))!;
      expect(crypto.createHmac('sha256', secret).update(`${t}.${h.body}`).digest('hex')).toBe(v1);
    }
    await expect.poll(() => rx.hits.filter((h) => h.path === '/down').length, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);

    await page.goto('/settings/webhooks');
    const table = page.getByTestId('webhooks-table');
    await expect(table.getByRole('row', { name: /liaison-events/ })).toContainText('Delivered');
    await expect(table.getByRole('row', { name: /liaison-events/ })).toContainText('HTTP 200');
    await expect(table.getByRole('row', { name: /\/down/ })).toContainText('Retrying');
    await expect(table.getByRole('row', { name: /\/down/ })).toContainText('HTTP 500: upstream unavailable');
    await table.getByRole('row', { name: /liaison-events/ }).getByRole('button', { name: /Send test/ }).click();
    await expect(page.getByText('Test event queued')).toBeVisible();
    await expect.poll(() => rx.hits.some((h) => h.path === '/liaison-events' && JSON.parse(h.body).type === 'webhook.test'), { timeout: 20_000 }).toBe(true);
    await page.reload();
    await shot(page, 'webhooks');
    await hiDpiShot(browser, page.context(), '/settings/webhooks', 'webhooks-2x', async (p) => { await expect(p.getByTestId('webhooks-table')).toBeVisible(); });
    await table.getByRole('link', { name: /liaison-events/ }).click();
    await expect(page.getByTestId('deliveries-table').getByRole('row')).toHaveCount(5);
    await expect(page.getByTestId('deliveries-table')).toContainText('webhook.test');
    await shot(page, 'webhook-deliveries');

    // Mail: the development outbox, clearly marked, with every mail readable.
    await page.goto('/settings/mail');
    await expect(page.getByTestId('outbox-banner')).toContainText('Not delivered — development outbox');
    const mails = page.getByTestId('mail-table');
    await expect(mails).toContainText('Anyone with the link opened “Okafor inquiry – interview notes”');
    await expect(mails.getByRole('row', { name: /counsel@partner-firm\.example/ })).toContainText('Your access to “Okafor inquiry – interview notes” has ended');
    const lookalike = mails.getByRole('row', { name: /ceo@/ });
    await expect(lookalike).toContainText('Look-alike domain');
    await expect(lookalike).toContainText('xn--exmple-4nf.com');
    await expect(lookalike).toContainText('ceo@exаmple.com');
    await expect(mails).toContainText('Not delivered');
    await expect(mails).not.toContainText('Not sent yet');
    await shot(page, 'mail-outbox');
    await hiDpiShot(browser, page.context(), '/settings/mail', 'mail-outbox-2x', async (p) => { await expect(p.getByTestId('mail-table')).toBeVisible(); });

    await lookalike.getByRole('link', { name: /View/ }).click();
    await expect(page.getByRole('heading', { name: 'Your access to “Okafor inquiry – interview notes” has ended' })).toBeVisible();
    await expect(page.getByText('Possible look-alike domain')).toBeVisible();
    const frame = page.getByTestId('mail-html');
    await expect(frame).toHaveAttribute('sandbox', '');
    await expect(page.frameLocator('[data-testid="mail-html"]').getByRole('heading', { name: 'Your access has ended' })).toBeVisible();
    await expect(page.frameLocator('[data-testid="mail-html"]').getByText('sent to the wrong firm')).toHaveCount(0);
    await shot(page, 'mail-message');
    const url = page.url();
    await page.getByRole('tab', { name: 'Plain text' }).click();
    await expect(page.getByTestId('mail-text')).toContainText('has ended your access to Okafor inquiry – interview notes');
    await shot(page, 'mail-message-text');
    await hiDpiShot(browser, page.context(), url, 'mail-message-2x', async (p) => {
      await expect(p.frameLocator('[data-testid="mail-html"]').getByRole('heading', { name: 'Your access has ended' })).toBeVisible();
    });
    await hiDpiShot(browser, page.context(), '/settings/notifications', 'notifications-2x', async (p) => { await expect(p.getByLabel('Expiry reminders')).toHaveValue('5'); });

    // Branding: a colour change shows in the preview and in mail queued afterwards.
    await page.goto('/settings/mail');
    await page.getByLabel('Button colour', { exact: true }).fill('#fafafa');
    await page.getByRole('button', { name: 'Save branding' }).click();
    await expect(page.getByText(/Choose a darker accent colour/)).toBeVisible();
    await page.getByLabel('Header colour', { exact: true }).fill('#0f766e');
    await page.getByLabel('Button colour', { exact: true }).fill('#9a3412');
    await page.getByRole('button', { name: 'Save branding' }).click();
    await expect(page.getByText('Branding saved')).toBeVisible();
  } finally {
    await rx.close();
  }
});

test('members cannot open mail, notification or webhook settings', async ({ page }) => {
  await signIn(page, 'member');
  for (const path of ['/settings/mail', '/settings/notifications', '/settings/webhooks']) {
    await page.goto(path);
    await expect(page.getByRole('heading', { name: "You don't have access to this page" })).toBeVisible();
  }
  await expect(page.getByRole('link', { name: 'Webhooks' })).toHaveCount(0);
  // Later specs count the member's live sessions: leave none behind.
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.waitForURL((u) => u.pathname === '/signin');
});
