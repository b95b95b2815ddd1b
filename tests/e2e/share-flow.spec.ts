import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
// factory.ts re-exports this but also loads Prisma, which Playwright's loader cannot import.
import { tinyPdf } from '../helpers/tiny-pdf';
import { shot, signIn } from './helpers';

const SHARE_PASSWORD = 'Harbour-Lights-2291';
// Markup in a share message must reach the guest as text, never as HTML.
const HOSTILE_MESSAGE = '<b>bold</b><script>window.__pwned=1</script>';

async function uploadPdf(page: Page, title: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-e2e-share-'));
  const file = path.join(dir, `${title.replace(/[^A-Za-z0-9]+/g, '-')}.pdf`);
  fs.writeFileSync(file, tinyPdf(`${title} ${crypto.randomUUID()}`));
  await page.goto('/documents');
  // Until the page has hydrated, a chosen file goes unnoticed: choose again until the form reacts.
  // Clearing first makes each retry a real change (the browser ignores choosing the same file twice).
  await expect(async () => {
    await page.getByTestId('upload-input').setInputFiles([]);
    await page.getByTestId('upload-input').setInputFiles(file);
    await expect(page.getByLabel('Title', { exact: true })).toBeVisible({ timeout: 2_000 });
  }).toPass();
  await page.getByLabel('Title', { exact: true }).fill(title);
  await page.getByRole('button', { name: 'Upload document' }).click();
  await expect(page.getByText('Document uploaded')).toBeVisible();
}

/** Text of a PDF as poppler's pdftotext reads it, whitespace removed: the diagonal stamp may wrap. */
function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-raw', file, '-'], { encoding: 'utf8' });
}
const squash = (s: string) => s.replace(/\s+/g, '');

test('a share with password, terms and watermark: the guest views and downloads, then revocation stops browser and API at once', async ({ page, browser }) => {
  test.setTimeout(180_000);
  await signIn(page, 'admin', '/documents');
  await uploadPdf(page, 'Harlow v Meridian – disclosure bundle');
  await uploadPdf(page, 'Board minutes 2026-Q3');

  // Terms of use, version 1.
  await page.goto('/terms');
  await page.getByLabel('Title').fill('Confidentiality undertaking');
  await page.getByLabel('Text').fill('1. You will keep these documents confidential.\n2. You will not forward the link.\n3. Your access is logged.');
  await page.getByRole('button', { name: 'Create terms' }).click();
  await expect(page.getByText('Terms created')).toBeVisible();
  await expect(page.getByTestId('terms-card')).toContainText('Confidentiality undertaking');

  // A first share from the shares list, picking the document by search; secure defaults left alone.
  await page.goto('/shares');
  await page.getByTestId('new-share').click();
  await page.getByLabel('Search documents').fill('board');
  await expect(page.getByRole('checkbox', { name: /Harlow/ })).toHaveCount(0);
  await page.getByRole('checkbox', { name: /Board minutes 2026-Q3/ }).check();
  await page.getByRole('textbox', { name: /^Recipients/ }).fill('j.okafor@partner-agency.example');
  await page.getByTestId('create-share').click();
  await expect(page.getByTestId('share-created')).toBeVisible();

  // The main share from the document's page: the document comes preselected.
  await page.goto('/documents');
  await page.getByRole('link', { name: 'Harlow v Meridian – disclosure bundle' }).click();
  await page.getByTestId('share-document').click();
  await expect(page).toHaveURL(/\/shares\/new\?documentId=/);
  await expect(page.getByTestId('selected-count')).toHaveText('1 document selected');
  const watermark = page.getByRole('checkbox', { name: /Watermark/ });
  await expect(watermark).toBeChecked();
  await expect(page.getByRole('checkbox', { name: /Allow download/ })).not.toBeChecked();
  await page.getByRole('checkbox', { name: /Allow download/ }).check();
  await page.locator('input[name="password"]').fill(SHARE_PASSWORD);
  await page.getByRole('combobox', { name: /^Terms of use/ }).selectOption({ label: 'Confidentiality undertaking (version 1)' });
  await page.getByRole('textbox', { name: /^Recipients/ }).fill('counsel@harlow-legal.example');
  await page.getByRole('textbox', { name: /^Message/ }).fill(HOSTILE_MESSAGE);
  await shot(page, 'share-new-filled');
  await page.getByTestId('create-share').click();

  const created = page.getByTestId('share-created');
  await expect(created).toBeVisible();
  await expect(created).toContainText('It will not be shown again');
  const link = (await page.getByTestId('share-link').textContent())!.trim();
  expect(link).toMatch(/\/s\/[A-Za-z0-9_-]{43,}$/);
  await shot(page, 'share-new-created');
  await page.getByTestId('open-share').click();
  await page.waitForURL(/\/shares\/[a-z0-9]+$/);
  const shareId = new URL(page.url()).pathname.split('/').pop()!;
  await expect(page.getByTestId('share-status')).toHaveText('Active');
  await expect(page.getByTestId('share-message')).toHaveText(HOSTILE_MESSAGE);

  // A fresh browser: no console session, no cookies.
  const guestContext = await browser.newContext();
  const guest = await guestContext.newPage();
  await guest.goto(link);
  await expect(guest.getByRole('heading', { name: 'This share is protected' })).toBeVisible();
  // Nothing before the password: no message, no terms text, no titles, no expiry.
  const gateText = await guest.locator('main').innerText();
  for (const secret of ['bold', 'Confidentiality undertaking', 'keep these documents', 'Harlow', 'Available until']) expect(gateText).not.toContain(secret);
  await expect(guest.getByText('You will then be asked to accept the terms of use.')).toBeVisible();
  await shot(guest, 'guest-gate');
  await guest.getByLabel('Password').fill('not-the-password');
  await guest.getByRole('button', { name: 'Unlock' }).click();
  await expect(guest.getByText('That password is not correct.')).toBeVisible();

  await guest.getByLabel('Password').fill(SHARE_PASSWORD);
  await guest.getByRole('button', { name: 'Unlock' }).click();
  // Only now the terms.
  await expect(guest.getByRole('heading', { name: 'Before you continue' })).toBeVisible();
  await expect(guest.getByText('2. You will not forward the link.')).toBeVisible();
  await expect(guest.getByText(HOSTILE_MESSAGE, { exact: true })).toHaveCount(0);
  const termsVersionId = await guest.locator('input[name="termsVersionId"]').inputValue();
  await shot(guest, 'guest-gate-terms');
  await guest.getByRole('checkbox', { name: /I have read and accept these terms/ }).check();
  await guest.getByRole('button', { name: 'Accept and continue' }).click();
  await expect(guest.getByRole('heading', { name: 'Shared documents' })).toBeVisible();
  await expect(guest.getByText(HOSTILE_MESSAGE, { exact: true })).toBeVisible();
  expect(await guest.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
  await shot(guest, 'guest-documents');

  await guest.getByRole('link', { name: 'Harlow v Meridian – disclosure bundle' }).first().click();
  await expect(guest.getByTestId('page-image')).toBeVisible();
  await expect(guest.getByText('of 1', { exact: true })).toBeVisible();
  await shot(guest, 'guest-viewer-single');

  const [download] = await Promise.all([guest.waitForEvent('download'), guest.getByRole('link', { name: 'Download' }).click()]);
  const saved = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-e2e-dl-')), 'copy.pdf');
  await download.saveAs(saved);
  expect(squash(pdfText(saved))).toContain(squash(`link ${shareId}`));

  // A second, API session opened before the revocation.
  const api = guestContext.request;
  const session = await api.post('/api/portal/v1/sessions', { data: { link, password: SHARE_PASSWORD, acceptTerms: termsVersionId } });
  expect(session.status()).toBe(201);
  const { access_token: token } = await session.json();
  const before = await api.get('/api/portal/v1/documents', { headers: { authorization: `Bearer ${token}` } });
  expect(before.status()).toBe(200);
  expect((await before.json()).map((d: { title: string }) => d.title)).toEqual(['Harlow v Meridian – disclosure bundle']);

  // The access log shows what the guest did.
  await page.reload();
  const log = page.getByTestId('access-log');
  await expect(log).toContainText('Terms accepted');
  await expect(log).toContainText('Guest viewed document');
  await expect(log).toContainText('Guest downloaded document');
  await expect(log).toContainText(`link ${shareId}`);

  await shot(page, 'share-detail');

  // Edit sends only what changed; extend moves the expiry within the policy. Both are in the log.
  await page.getByRole('button', { name: 'Edit conditions' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit share conditions' });
  await edit.getByRole('radio', { name: /^Comment/ }).check();
  await edit.getByRole('checkbox', { name: /Allow printing/ }).check();
  await shot(page, 'share-edit-dialog');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(edit).toBeHidden();
  const conditions = page.getByTestId('share-conditions');
  await expect(conditions).toContainText('Comment');
  await expect(log).toContainText('Share changed');
  await page.getByRole('button', { name: 'Extend' }).click();
  const extend = page.getByRole('dialog', { name: 'Extend this share' });
  await extend.getByRole('button', { name: '30 days from now' }).click();
  await extend.getByRole('button', { name: 'Save expiry' }).click();
  await expect(extend).toBeHidden();
  await expect(log).toContainText('Expiry extended');

  // Staff revoke in the console.
  await page.getByRole('button', { name: 'Revoke', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Revoke this share?' });
  await dialog.getByLabel(/Reason/).fill('Matter closed');
  await dialog.getByRole('button', { name: 'Revoke share' }).click();
  await expect(page.getByTestId('share-status')).toHaveText('Revoked');
  await expect(page.getByRole('button', { name: 'Revoke', exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Extend|Reopen/ })).toHaveCount(0);

  // The guest's next click is refused in the browser…
  await guest.getByRole('link', { name: /All documents/ }).click();
  await expect(guest.getByRole('heading', { name: 'This share has been revoked' })).toBeVisible();
  await shot(guest, 'guest-revoked');
  // …and the API session opened before the revocation is dead from that moment.
  const after = await api.get('/api/portal/v1/documents', { headers: { authorization: `Bearer ${token}` } });
  expect(after.status()).toBe(401);
  expect(after.headers()['www-authenticate']).toContain('invalid_token');
  await guestContext.close();

  await page.reload();
  await expect(page.getByTestId('access-log')).toContainText('Share revoked');
  await shot(page, 'share-detail-revoked');
  await page.goto('/shares');
  await expect(page.getByTestId('shares-table').getByRole('row', { name: /Harlow v Meridian/ })).toContainText('Revoked');
  await shot(page, 'shares-list');
  await page.goto('/terms');
  await expect(page.getByTestId('terms-body')).toContainText('You will not forward the link.');
  await shot(page, 'terms');
  await page.goto('/');
  await expect(page.getByTestId('external-activity')).toContainText('Guest downloaded document');
  await shot(page, 'dashboard');
});

test('the sharing policy is an admin setting, and read-only roles get no share controls', async ({ page, browser }) => {
  await signIn(page, 'admin', '/settings/sharing');
  await expect(page.getByTestId('current-policy')).toContainText('14 days');
  await page.getByLabel('Default share length').fill('30');
  await page.getByLabel('Maximum share length').fill('20');
  await page.getByRole('button', { name: 'Save policy' }).click();
  await expect(page.getByText('The default cannot be longer than the maximum')).toBeVisible();
  await page.getByLabel('Maximum share length').fill('60');
  await page.getByLabel('Default share length').fill('7');
  await page.getByRole('button', { name: 'Save policy' }).click();
  await expect(page.getByText('Policy saved')).toBeVisible();
  await expect(page.getByTestId('current-policy')).toContainText('7 days');
  await shot(page, 'sharing-policy');
  await page.goto('/shares/new');
  await expect(page.getByText('Defaults to 7 days from now')).toBeVisible();
  // Put the demo organisation back as it was for the other specs.
  await page.goto('/settings/sharing');
  await page.getByLabel('Default share length').fill('14');
  await page.getByLabel('Maximum share length').fill('90');
  await page.getByRole('button', { name: 'Save policy' }).click();
  await expect(page.getByText('Policy saved')).toBeVisible();

  const auditorContext = await browser.newContext();
  const auditor = await auditorContext.newPage();
  await signIn(auditor, 'auditor', '/shares');
  await expect(auditor.getByRole('heading', { name: 'Shares', level: 1 })).toBeVisible();
  await expect(auditor.getByTestId('new-share')).toHaveCount(0);
  await expect(auditor.getByRole('navigation', { name: 'Main' }).first().getByRole('link', { name: 'Sharing policy' })).toHaveCount(0);
  await auditor.goto('/settings/sharing');
  await expect(auditor.getByText('The sharing policy is set by administrators.')).toBeVisible();
  await auditor.goto('/shares/new');
  await expect(auditor.getByText('Creating shares is not part of your role.')).toBeVisible();
  await auditorContext.close();
});
