import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { makeSamplePdf } from '../helpers/pdf-text';
import { shareDocument, signIn, uploadDocument } from './helpers';

const SHOTS = process.env.TRACE_SHOTS_DIR ?? path.join(process.cwd(), 'test-results', 'screenshots');
const snap = async (page: Page, name: string) => {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
};

test('a guest downloads and views a watermarked PDF; an auditor traces the leaked file and page image to them', async ({ page, playwright }) => {
  test.setTimeout(180_000);
  const title = `Acquisition memo ${Date.now().toString(36)}`;
  await signIn(page, 'admin', '/documents');
  await uploadDocument(page, title, Buffer.from(await makeSamplePdf(2)), 'acquisition-memo.pdf');
  const { link } = await shareDocument(page, title, { download: true });

  // The guest, through the guest API: a session, the download and a page image.
  const guest = await playwright.request.newContext({ baseURL: new URL(page.url()).origin, extraHTTPHeaders: { 'user-agent': 'LeakyBrowser/1.0' } });
  const opened = await guest.post('/api/portal/v1/sessions', { data: { link } });
  expect(opened.status()).toBe(201);
  const token = (await opened.json()).access_token as string;
  const docs = await (await guest.get('/api/portal/v1/documents', { headers: { authorization: `Bearer ${token}` } })).json() as Array<{ id: string }>;
  const pdf = await guest.get(`/api/portal/v1/documents/${docs[0].id}/content`, { headers: { authorization: `Bearer ${token}` } });
  expect(pdf.status()).toBe(200);
  const img = await guest.get(`/api/portal/v1/documents/${docs[0].id}/pages/1?w=800`, { headers: { authorization: `Bearer ${token}` } });
  expect(img.status()).toBe(200);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-e2e-leak-'));
  const leakedPdf = path.join(dir, 'leaked-memo.pdf');
  const leakedPng = path.join(dir, 'leaked-page.png');
  fs.writeFileSync(leakedPdf, await pdf.body());
  fs.writeFileSync(leakedPng, await img.body());
  await guest.dispose();

  // The auditor traces.
  await page.context().clearCookies();
  await signIn(page, 'auditor', '/trace');
  await expect(page.getByRole('heading', { name: 'Trace a leak' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Trace a leak' }).first()).toBeVisible();
  await snap(page, 'trace-empty');

  await page.getByRole('tab', { name: 'Leaked file' }).click();
  await page.locator('input[type=file]').setInputFiles(leakedPdf);
  await page.getByRole('button', { name: 'Trace' }).click();
  const card = page.getByRole('article');
  await expect(card).toContainText(`Download of “${title}”, version 1`);
  await expect(card).toContainText('LeakyBrowser/1.0');
  await expect(card).toContainText('Guest downloaded document');
  await snap(page, 'trace-pdf-found');
  const code = (await card.locator('header span').first().textContent())!.trim();
  expect(code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);

  await page.locator('input[type=file]').setInputFiles(leakedPng);
  await page.getByRole('button', { name: 'Trace' }).click();
  await expect(page.getByRole('article')).toContainText(`Page image, page 1 of “${title}”`);
  await snap(page, 'trace-png-found');

  // The code typed by hand, lower case without the hyphen.
  await page.getByRole('tab', { name: 'Copy code' }).click();
  await page.getByLabel('Copy code').fill(code.replace('-', '').toLowerCase());
  await page.getByRole('button', { name: 'Trace' }).click();
  await expect(page.getByRole('article')).toContainText(code);

  // A misread character fails the check; a well-formed code nobody issued here is unknown.
  const misread = code.slice(0, 2) + (code[2] === '7' ? '8' : '7') + code.slice(3);
  await page.getByLabel('Copy code').fill(misread);
  await page.getByRole('button', { name: 'Trace' }).click();
  await expect(page.getByText('That is not a valid copy code')).toBeVisible();
  await snap(page, 'trace-invalid');
  await page.getByLabel('Copy code').fill('00000-00000');
  await page.getByRole('button', { name: 'Trace' }).click();
  await expect(page.getByText('No copy 00000-00000 is known')).toBeVisible();
  await snap(page, 'trace-unknown');

  // The trail shows each trace.
  await page.goto('/audit?type=copy.trace');
  await expect(page.locator('table').getByText('Leak traced').first()).toBeVisible();

  // Members do not trace.
  await page.context().clearCookies();
  await signIn(page, 'member', '/trace');
  await expect(page.getByText('Tracing leaked copies is available to auditors and administrators.')).toBeVisible();
});
