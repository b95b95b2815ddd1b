import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { verifyBundleBytes } from '../../lib/feed/bundle-format';
import { tinyPdf } from '../helpers/tiny-pdf';
import { E2E_PORT } from './env';
import { shareDocument, shot, signIn, uploadDocument } from './helpers';


test.use({ deviceScaleFactor: 2 });

test('evidence bundle: admins and auditors download a bundle that verifies, from the share and guest pages', async ({ page, browser, playwright }) => {
  const title = 'Harlow disclosure schedule';
  await signIn(page, 'admin');
  await uploadDocument(page, title, tinyPdf('Disclosure schedule'), 'schedule.pdf');
  const { link, detail } = await shareDocument(page, title);
  const shareId = detail.split('/').pop()!;

  // A guest opens the link, so the share has guest events and a guest page.
  const guest = await playwright.request.newContext({ baseURL: `http://localhost:${E2E_PORT}` });
  expect((await guest.post('/api/portal/v1/sessions', { data: { link } })).status()).toBe(201);
  await guest.dispose();

  await page.goto(detail);
  const button = page.getByTestId('evidence-bundle');
  await expect(button).toBeVisible();
  await shot(page, 'feed-share-page-admin');
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  expect(download.suggestedFilename()).toBe(`evidence-share-${shareId}.json`);
  const r = await verifyBundleBytes(fs.readFileSync(await download.path()));
  expect(r.ok).toBe(true);
  if (r.ok) expect(r.bundle.events.map((e) => e.type)).toEqual(expect.arrayContaining(['share.create', 'guest.session', 'audit.evidence_bundle']));

  await page.goto(`/guests?share=${shareId}`);
  await page.getByTestId('guests-table').locator('tbody tr').first().getByRole('link').first().click();
  await page.waitForURL(/\/guests\/[A-Za-z0-9_-]+$/);
  await expect(page.getByTestId('evidence-bundle')).toBeVisible();
  await page.getByTestId('evidence-bundle').focus();
  await shot(page, 'feed-guest-page-admin');
  const [guestDownload] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  expect((await verifyBundleBytes(fs.readFileSync(await guestDownload.path()))).ok).toBe(true);

  // The audit page shows the downloads.
  await page.goto('/audit');
  await expect(page.locator('tbody').getByText('Evidence bundle created')).toHaveCount(2);
  await shot(page, 'feed-audit-page');

  for (const [who, visible] of [['auditor', true], ['member', false]] as const) {
    const ctx = await browser.newContext({ baseURL: `http://localhost:${E2E_PORT}`, deviceScaleFactor: 2 });
    const p = await ctx.newPage();
    await signIn(p, who);
    await p.goto(detail);
    await expect(p.getByTestId('share-title')).toBeVisible();
    await expect(p.getByTestId('evidence-bundle')).toHaveCount(visible ? 1 : 0);
    await shot(p, `feed-share-page-${who}`);
    await ctx.close();
  }
});
