import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
// factory.ts re-exports this but also loads Prisma, which Playwright's loader cannot import.
import { tinyPdf } from '../helpers/tiny-pdf';
import { E2E_PORT } from './env';
import { shot, signIn } from './helpers';

const ORIGIN = `http://localhost:${E2E_PORT}`;
const SHOTS = process.env.RETENTION_SHOTS_DIR;

async function gql(request: APIRequestContext, query: string, variables?: Record<string, unknown>) {
  const res = await request.post('/api/graphql', { headers: { origin: ORIGIN, 'content-type': 'application/json' }, data: { query, variables } });
  const body = await res.json() as { data?: any; errors?: unknown[] };
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data;
}

async function snap(page: Page, name: string) {
  await shot(page, name);
  if (SHOTS) {
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  }
}

async function upload(page: Page, title: string) {
  const up = await page.request.post('/api/v1/documents', { headers: { origin: ORIGIN }, multipart: { file: { name: 'brief.pdf', mimeType: 'application/pdf', buffer: tinyPdf(`${title} ${crypto.randomUUID()}`) }, title, tlp: 'AMBER' } });
  expect(up.status()).toBe(201);
  return (await up.json()).id as string;
}

test.describe('governance: retention and alerts', () => {
  test('retention policy form, validation and a dry run that lists an ended share', async ({ page }) => {
    await signIn(page, 'admin');
    const docId = await upload(page, 'Harbour dredging permit – draft');
    const created = await gql(page.request, 'mutation($in: CreateShareInput!) { createShare(input: $in) { share { id } } }', { in: { documentIds: [docId], recipients: ['counsel@partner-firm.example'] } });
    await gql(page.request, 'mutation($id: ID!) { revokeShare(id: $id, reason: "superseded") { id } }', { id: created.createShare.share.id });

    await page.goto('/settings/retention');
    await expect(page.getByRole('heading', { name: 'Retention', level: 1 })).toBeVisible();
    await expect(page.getByTestId('retention-state')).toHaveText('Off');
    // A bad period is refused and says why.
    await page.getByLabel('Documents marked AMBER: days after the last upload').fill('0');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await expect(page.getByText('The policy was not saved')).toBeVisible();
    await expect(page.getByText('At least 1 day for documents')).toBeVisible();
    await snap(page, 'retention-invalid');

    await page.getByLabel('Documents marked AMBER: days after the last upload').fill('365');
    await page.getByLabel('Shares of AMBER documents: days after they ended').fill('0');
    await page.getByLabel('Documents marked RED: days after the last upload').fill('90');
    await page.getByLabel('Guests: days without activity').fill('730');
    await page.getByLabel('Sessions: days after last use').fill('180');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await expect(page.getByText('Retention policy saved')).toBeVisible();

    await page.getByTestId('retention-dry-run').click();
    await page.waitForURL(/preview=1/);
    const preview = page.getByTestId('retention-preview');
    await expect(preview).toContainText('The policy is off');
    await expect(preview.getByRole('link', { name: 'Harbour dredging permit – draft' })).toBeVisible();
    // Other specs on this server may have ended shares of their own: at least this one is listed.
    await expect(preview).toContainText(/0 documents and \d+ shares? would be purged/);
    await snap(page, 'retention-dry-run');
    // The dry run changed nothing: the share is still there.
    const still = await gql(page.request, 'query($id: ID!) { share(id: $id) { id status } }', { id: created.createShare.share.id });
    expect(still.share.id).toBe(created.createShare.share.id);
  });

  test('alert rules, an alert raised by a guest, acknowledged', async ({ page }) => {
    test.setTimeout(240_000);
    await signIn(page, 'admin');
    await page.goto('/settings/alerts');
    await expect(page.getByRole('heading', { name: 'Alert rules', level: 1 })).toBeVisible();
    await page.getByLabel('Many downloads by one guest').check();
    await page.getByLabel('Downloads: more than').fill('1');
    await page.getByLabel('Downloads: window in minutes').fill('10');
    await page.getByLabel('One guest from many addresses').check();
    await page.getByRole('button', { name: 'Save rules' }).click();
    await expect(page.getByText('Alert rules saved')).toBeVisible();
    await snap(page, 'alert-rules');

    await page.goto('/alerts');
    await expect(page.getByText('No open alerts')).toBeVisible();
    await snap(page, 'alerts-empty');

    const docId = await upload(page, 'Quarterly exposure report');
    const created = await gql(page.request, 'mutation($in: CreateShareInput!) { createShare(input: $in) { share { id url } } }', { in: { documentIds: [docId], allowDownload: true, watermark: false } });
    const opened = await page.request.fetch('/api/portal/v1/sessions', { method: 'POST', headers: { 'content-type': 'application/json', cookie: '' }, data: { link: created.createShare.share.url } });
    expect(opened.status()).toBe(201);
    const token = (await opened.json()).access_token as string;
    for (let i = 0; i < 2; i++) {
      const r = await page.request.fetch(`/api/portal/v1/documents/${docId}/content`, { headers: { authorization: `Bearer ${token}`, cookie: '' } });
      expect(r.status()).toBe(200);
    }
    // The job runs every minute: the alert appears without anyone waiting in the guest's request.
    await expect.poll(async () => (await gql(page.request, '{ alertCounts { open } }')).alertCounts.open, { timeout: 180_000, intervals: [5_000] }).toBe(1);
    await page.goto('/alerts');
    const item = page.getByTestId('alerts-list').getByRole('listitem').first();
    await expect(item).toContainText('Many downloads by one guest');
    await expect(item).toContainText('downloaded 2 documents in 10 minutes');
    await snap(page, 'alerts-open');
    await item.getByTestId('acknowledge-alert').click();
    await item.getByLabel('Note for the audit trail (optional)').fill('Bulk review agreed with counsel.');
    await item.getByRole('button', { name: 'Acknowledge', exact: true }).click();
    await expect(page.getByText('No open alerts')).toBeVisible();
    await page.getByRole('link', { name: /^Acknowledged/ }).click();
    await expect(page.getByTestId('alerts-list')).toContainText('Acknowledged by Demo Admin');
    await snap(page, 'alerts-acknowledged');
    // The mail to the administrator is in the outbox (no SMTP in e2e).
    const mail = await gql(page.request, '{ mailMessages(first: 10) { nodes { template subject } } }');
    expect(mail.mailMessages.nodes.some((m: { template: string; subject: string }) => m.template === 'alert_raised' && m.subject.startsWith('Alert:'))).toBe(true);
  });
});
