import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { tinyPdf } from '../helpers/tiny-pdf';
import { E2E_USERS } from './env';
import { shot, signIn } from './helpers';

const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

/** A PDF on disk with a non-ASCII name, to exercise the RFC 5987 download file name too. */
function pdfFixture(label: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-e2e-pdf-'));
  const file = path.join(dir, `Brief – Zürich ${label}.pdf`);
  const bytes = tinyPdf(`Liaison e2e ${label} ${crypto.randomUUID()}`);
  fs.writeFileSync(file, bytes);
  return { file, name: path.basename(file), bytes, sha: sha256(bytes) };
}

test('a console page without a session goes to sign-in, and a wrong password is refused', async ({ page }) => {
  await page.goto('/documents');
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fdocuments$/);
  await expect(page.getByRole('heading', { name: 'Sign in to the console' })).toBeVisible();
  await shot(page, '01-sign-in');

  await page.getByLabel('Email address').fill(E2E_USERS.admin.email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByTestId('signin-error')).toContainText('Email or password is incorrect');
  await expect(page).toHaveURL(/\/signin/);
  await shot(page, '02-sign-in-error');

  // The download API answers a missing session with 401 JSON, not a redirect.
  const api = await page.request.get('/api/v1/documents/nope/content');
  expect(api.status()).toBe(401);
  expect((await api.json()).error).toBe('unauthenticated');
});

test('an admin uploads a PDF, finds it, opens it and downloads it byte for byte', async ({ page }) => {
  const pdf = pdfFixture('v1');
  await signIn(page, 'admin', '/documents');
  await expect(page.getByRole('heading', { name: 'Documents', level: 1 })).toBeVisible();

  await page.getByTestId('upload-input').setInputFiles(pdf.file);
  await expect(page.getByTestId('selected-file')).toHaveText(pdf.name);
  await page.getByLabel('Title', { exact: true }).fill('Operation Kestrel – witness summary');
  await page.getByLabel('Traffic Light Protocol').selectOption('AMBER_STRICT');
  await page.getByRole('button', { name: 'Upload document' }).click();
  await expect(page.getByText('Document uploaded')).toBeVisible();

  const table = page.getByTestId('documents-table');
  const row = table.getByRole('row', { name: /Operation Kestrel/ });
  await expect(row).toBeVisible();
  await expect(row).toContainText('TLP:AMBER+STRICT');
  await expect(row).toContainText('PDF');
  await shot(page, '03-documents');

  // Search narrows the list; a search that matches nothing says so.
  await page.getByLabel('Search titles and file names').fill('Kestrel');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(table.getByRole('row', { name: /Operation Kestrel/ })).toBeVisible();
  await page.getByLabel('Search titles and file names').fill('no-such-document-xyz');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByText('No matching documents')).toBeVisible();
  await page.goto('/documents');

  await page.getByRole('link', { name: 'Operation Kestrel – witness summary' }).click();
  await expect(page.getByTestId('document-title')).toHaveText('Operation Kestrel – witness summary');
  await expect(page.getByTestId('sha256')).toHaveText(pdf.sha);
  const docUrl = page.url();
  const docId = docUrl.split('/').pop()!;

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-latest').click()]);
  expect(download.suggestedFilename()).toBe(pdf.name);
  const got = fs.readFileSync(await download.path());
  expect(got.equals(pdf.bytes)).toBe(true);
  expect(sha256(got)).toBe(pdf.sha);

  const res = await page.request.get(`/api/v1/documents/${docId}/content`);
  expect(res.status()).toBe(200);
  const h = res.headers();
  expect(h['content-type']).toBe('application/pdf');
  expect(h['content-length']).toBe(String(pdf.bytes.length));
  expect(h['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent(pdf.name)}`);
  expect(h['content-disposition']).toMatch(/^attachment; filename="[\x20-\x7e]+";/);
  expect(h['cache-control']).toContain('no-store');
  expect(h['x-content-type-options']).toBe('nosniff');
  expect(h['content-security-policy']).toBe('sandbox');
  expect(h.etag).toBe(`"${pdf.sha}"`);

  // A second version, through the dialog; both stay downloadable.
  const v2 = pdfFixture('v2');
  await page.getByRole('button', { name: 'Upload new version' }).click();
  const dialog = page.getByRole('dialog', { name: 'Upload a new version' });
  await dialog.getByTestId('upload-input').setInputFiles(v2.file);
  await dialog.getByRole('button', { name: 'Upload version' }).click();
  await expect(page.getByTestId('versions-table').getByRole('row')).toHaveCount(3);
  await expect(page.getByTestId('sha256')).toHaveText(v2.sha);
  await expect(dialog).toBeHidden();
  await expect(page.getByText('Document downloaded').first()).toBeVisible();
  await shot(page, '04-document-details');

  const [old] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download version 1' }).click()]);
  expect(sha256(fs.readFileSync(await old.path()))).toBe(pdf.sha);

  await page.getByRole('link', { name: 'Dashboard' }).first().click();
  await expect(page.getByRole('heading', { name: 'Recent documents' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Operation Kestrel – witness summary' })).toBeVisible();
  await shot(page, '00-dashboard');
});

test('the audit trail lists events, filters them and verifies the chain', async ({ page }) => {
  await signIn(page, 'admin', '/audit');
  const table = page.getByTestId('audit-table');
  await expect(table.getByRole('row', { name: /Staff sign-in/ }).first()).toBeVisible();
  await page.getByTestId('verify-chain').click();
  await expect(page.getByTestId('verify-result')).toContainText(/Chain intact: \d+ events/);
  await shot(page, '05-audit');

  await page.getByLabel('Outcome').selectOption('failure');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/outcome=failure/);
  await expect(table.getByRole('row', { name: /Staff sign-in/ }).first()).toContainText('invalid_credentials');
});

test('an admin creates an API key that works once shown, then revokes it', async ({ page }) => {
  await signIn(page, 'admin', '/settings/api-keys');
  await page.getByLabel('Name').fill('Case system sync');
  await page.getByRole('button', { name: 'Create key' }).click();
  const key = (await page.getByTestId('new-key-value').textContent())!.trim();
  expect(key).toMatch(/^lsn_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
  await expect(page.getByTestId('keys-table').getByRole('row', { name: /Case system sync/ })).toContainText('Active');
  await shot(page, '06-api-keys');

  const withKey = await page.request.get('/api/v1/documents/none/content', { headers: { authorization: `Bearer ${key}` } });
  expect(withKey.status()).toBe(404);

  await page.getByRole('button', { name: 'I have stored the key' }).click();
  await expect(page.getByTestId('new-key')).toHaveCount(0);
  await page.getByRole('button', { name: 'Revoke key Case system sync' }).click();
  await page.getByRole('dialog', { name: 'Revoke this API key?' }).getByRole('button', { name: 'Revoke key' }).click();
  await expect(page.getByTestId('keys-table').getByRole('row', { name: /Case system sync/ })).toContainText('Revoked');
  const revoked = await page.request.get('/api/v1/documents/none/content', { headers: { authorization: `Bearer ${key}` } });
  expect(revoked.status()).toBe(401);
});

test('a member sees no audit or key pages, and an auditor cannot upload', async ({ page, browser }) => {
  await signIn(page, 'member');
  const nav = page.getByRole('navigation', { name: 'Main' }).first();
  await expect(nav.getByRole('link', { name: 'Documents' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Audit trail' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'API keys' })).toHaveCount(0);
  await page.goto('/audit');
  await expect(page.getByText("You don't have access to this page")).toBeVisible();
  await shot(page, '07-forbidden');
  await page.goto('/settings/api-keys');
  await expect(page.getByText('API keys are managed by administrators.')).toBeVisible();
  await page.goto('/documents/no-such-document');
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();

  await page.getByRole('button', { name: 'Sign out', exact: true }).first().click();
  await page.waitForURL((u) => u.pathname === '/signin');
  await page.goto('/');
  await expect(page).toHaveURL(/\/signin$/);

  const auditorContext = await browser.newContext();
  const auditor = await auditorContext.newPage();
  await signIn(auditor, 'auditor', '/documents');
  await expect(auditor.getByRole('heading', { name: 'Upload a document' })).toHaveCount(0);
  await expect(auditor.getByTestId('upload-input')).toHaveCount(0);
  await auditorContext.close();
});

test('deleting a document asks for confirmation, then removes it', async ({ page }) => {
  const pdf = pdfFixture('delete-me');
  await signIn(page, 'admin', '/documents');
  await page.getByTestId('upload-input').setInputFiles(pdf.file);
  await page.getByLabel('Title', { exact: true }).fill('Disposable draft');
  await page.getByRole('button', { name: 'Upload document' }).click();
  await page.getByRole('link', { name: 'Open it' }).click();
  await expect(page.getByTestId('document-title')).toHaveText('Disposable draft');

  await page.getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete this document?' });
  await expect(dialog).toBeVisible();
  await shot(page, '08-delete-confirm');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();

  await page.getByRole('button', { name: 'Delete' }).click();
  await dialog.getByRole('button', { name: 'Delete document' }).click();
  await expect(page).toHaveURL(/\/documents\?deleted=1$/);
  await expect(page.getByText('Document deleted')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Disposable draft' })).toHaveCount(0);
});
