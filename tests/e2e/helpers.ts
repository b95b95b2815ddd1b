import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { E2E_PASSWORD, E2E_USERS } from './env';

const SHOTS = path.join(process.cwd(), 'test-results', 'screenshots');

/**
 * Whether this run takes screenshots: always outside CI; in CI (CI set) only with E2E_SCREENSHOTS=1, since
 * nobody looks at them there and 120-odd full pages cost minutes.
 */
export const SCREENSHOTS = !process.env.CI || process.env.E2E_SCREENSHOTS === '1';

/** A full-page screenshot under test-results/screenshots, for looking at what the pages show (see SCREENSHOTS). */
export async function shot(page: Page, name: string) {
  if (!SCREENSHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Signs a seeded staff member in through the real form and waits for the console to show them. */
export async function signIn(page: Page, who: keyof typeof E2E_USERS, landing = '/') {
  await page.goto(landing === '/' ? '/signin' : `/signin?callbackUrl=${encodeURIComponent(landing)}`);
  await page.getByLabel('Email address').fill(E2E_USERS[who].email);
  await page.getByLabel('Password').fill(E2E_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((u) => u.pathname === landing);
  await expect(page.getByTestId('current-user')).toHaveText(E2E_USERS[who].name);
}

/** Uploads a file through the console's upload panel and waits for it to be stored. */
export async function uploadDocument(page: Page, title: string, bytes: Buffer, fileName: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-e2e-upload-'));
  const file = path.join(dir, fileName);
  fs.writeFileSync(file, bytes);
  await page.goto('/documents');
  // Until the page has hydrated, a chosen file goes unnoticed: choose again until the form reacts.
  await expect(async () => {
    await page.getByTestId('upload-input').setInputFiles([]);
    await page.getByTestId('upload-input').setInputFiles(file);
    await expect(page.getByLabel('Title', { exact: true })).toBeVisible({ timeout: 2_000 });
  }).toPass();
  await page.getByLabel('Title', { exact: true }).fill(title);
  await page.getByRole('button', { name: 'Upload document' }).click();
  await expect(page.getByText('Document uploaded')).toBeVisible();
}

/** Creates a share of one document from its page; returns the link shown once. */
export async function shareDocument(page: Page, title: string, opts: { watermark?: boolean; download?: boolean; permission?: 'VIEW' | 'COMMENT' | 'EDIT' } = {}) {
  await page.goto('/documents');
  await page.getByRole('link', { name: title }).first().click();
  await page.getByTestId('share-document').click();
  await expect(page.getByTestId('selected-count')).toHaveText('1 document selected');
  if (opts.permission) await page.getByRole('radio', { name: new RegExp(`^${opts.permission}`, 'i') }).check();
  const wm = page.getByRole('checkbox', { name: /Watermark/ });
  if (opts.watermark === false) await wm.uncheck();
  if (opts.download) await page.getByRole('checkbox', { name: /Allow download/ }).check();
  await page.getByTestId('create-share').click();
  await expect(page.getByTestId('share-created')).toBeVisible();
  const link = (await page.getByTestId('share-link').textContent())!.trim();
  await page.getByTestId('open-share').click();
  await page.waitForURL(/\/shares\/[a-z0-9]+$/);
  return { link, detail: new URL(page.url()).pathname };
}
