import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { expect, test, type Page } from '@playwright/test';
// factory.ts re-exports this but also loads Prisma, which Playwright's loader cannot import.
import { tinyPdf } from '../helpers/tiny-pdf';
import { shot, signIn, uploadDocument } from './helpers';

test.use({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 2 });

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-e2e-portal-'));

async function logoFiles() {
  const dir = tmp();
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="120"><rect width="120" height="120" rx="24" fill="#0b3d2e"/>
    <path d="M30 90 L60 30 L90 90 Z" fill="#fff"/><text x="140" y="78" font-family="DejaVu Sans, sans-serif" font-size="44" font-weight="700" fill="#0b3d2e">NORTHWIND</text></svg>`;
  const png = path.join(dir, 'northwind.png');
  fs.writeFileSync(png, await sharp(Buffer.from(svg)).png().toBuffer());
  // An SVG that claims to be a PNG: the server reads the bytes, not the name.
  const fake = path.join(dir, 'logo.png');
  fs.writeFileSync(fake, svg);
  return { png, fake };
}

/** Until the page has hydrated a click on a client button does nothing: retry until it reacts. */
async function hydrated(page: Page, fn: () => Promise<void>) {
  await expect(fn).toPass({ timeout: 20_000 });
}

test('staff create a branded portal, a section with a document and a grant through the console', async ({ page }) => {
  test.setTimeout(240_000);
  const suffix = crypto.randomBytes(3).toString('hex');
  const slug = `northwind-counsel-${suffix}`;
  await signIn(page, 'member', '/portals');
  await expect(page.getByRole('link', { name: 'Portals' })).toHaveAttribute('aria-current', 'page');
  await shot(page, 'portals-list-before');

  await uploadDocument(page, `Statement of claim ${suffix}`, tinyPdf('Statement of claim'), 'statement-of-claim.pdf');
  await uploadDocument(page, `Expert report ${suffix}`, tinyPdf('Expert report'), 'expert-report.pdf');

  // New portal: the slug follows the name, and weak colours are flagged before saving.
  await page.goto('/portals/new');
  const name = page.getByLabel('Portal name');
  await hydrated(page, async () => {
    await name.fill('Northwind — External Counsel');
    await expect(page.getByLabel('Slug')).toHaveValue('northwind-external-counsel', { timeout: 1_000 });
  });
  await page.getByLabel('Slug').fill(slug);
  await page.getByLabel('Primary colour', { exact: true }).fill('#FFCC00');
  await expect(page.getByTestId('contrast-check')).toContainText('below the 4.5:1');
  await expect(page.getByTestId('save-portal')).toBeDisabled();
  await shot(page, 'portal-new-contrast-warning');
  await page.getByLabel('Primary colour', { exact: true }).fill('#0B3D2E');
  await page.getByLabel('Accent colour', { exact: true }).fill('#1D4ED8');
  await expect(page.getByTestId('contrast-check')).not.toContainText('below');
  await page.getByLabel('Welcome text').fill('Documents for the Northwind v. Initech arbitration. Please contact us with any questions about access.');
  await page.getByLabel('Legal footer').fill('Confidential and privileged. Access is logged and watermarked. Unauthorised disclosure is prohibited.');
  await page.getByLabel('Support contact').fill('portal-support@northwind.example');
  await shot(page, 'portal-new');
  await page.getByTestId('save-portal').click();
  await page.waitForURL(/\/portals\/[A-Za-z0-9_-]+$/);
  const portalPath = new URL(page.url()).pathname;
  await expect(page.getByTestId('portal-name')).toHaveText('Northwind — External Counsel');
  await expect(page.getByRole('link', { name: 'Overview & branding' })).toHaveAttribute('aria-current', 'page');

  // Logo: an SVG named .png is refused with a clear message, a PNG is taken and shown.
  const { png, fake } = await logoFiles();
  await hydrated(page, async () => {
    await page.getByTestId('logo-file').setInputFiles([]);
    await page.getByTestId('logo-file').setInputFiles(fake);
    await expect(page.getByTestId('logo-error')).toContainText('SVG', { timeout: 3_000 });
  });
  await shot(page, 'portal-logo-refused');
  await page.getByTestId('logo-file').setInputFiles(png);
  await expect(page.getByTestId('logo-preview').getByRole('img', { name: 'Current logo' })).toBeVisible();
  const logo = await page.request.get(`/api/portal/v1/portals/${slug}/logo`);
  expect(logo.status()).toBe(200);
  expect(logo.headers()['content-type']).toBe('image/png');
  expect(logo.headers()['x-content-type-options']).toBe('nosniff');
  await page.reload();
  // The portal's colours are painted from script (the CSP ignores server-rendered style attributes).
  await expect(page.getByTestId('preview-header')).toHaveCSS('background-color', 'rgb(11, 61, 46)');
  await shot(page, 'portal-overview');

  // Sections: two sections, a document in the first, the second moved to the top.
  await page.getByRole('link', { name: 'Sections' }).click();
  await expect(page.getByRole('link', { name: 'Sections' })).toHaveAttribute('aria-current', 'page');
  await hydrated(page, async () => {
    await page.getByTestId('new-section-name').fill('Pleadings');
    await page.getByTestId('create-section').click();
    await expect(page.getByRole('heading', { name: 'Pleadings' })).toBeVisible({ timeout: 3_000 });
  });
  await page.getByTestId('new-section-name').fill('Expert evidence');
  await page.getByTestId('create-section').click();
  await expect(page.getByRole('heading', { name: 'Expert evidence' })).toBeVisible();
  await page.getByRole('button', { name: 'Add documents to Pleadings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add documents to “Pleadings”' });
  await dialog.getByRole('checkbox', { name: new RegExp(`Statement of claim ${suffix}`) }).check();
  await dialog.getByTestId('confirm-add-documents').click();
  await expect(dialog).toBeHidden();
  const pleadings = page.getByTestId('section').filter({ has: page.getByRole('heading', { name: 'Pleadings' }) });
  await expect(pleadings).toContainText(`Statement of claim ${suffix}`);
  await page.getByRole('button', { name: 'Add documents to Expert evidence' }).click();
  const dialog2 = page.getByRole('dialog', { name: 'Add documents to “Expert evidence”' });
  await dialog2.getByRole('checkbox', { name: new RegExp(`Expert report ${suffix}`) }).check();
  await dialog2.getByTestId('confirm-add-documents').click();
  await expect(dialog2).toBeHidden();
  await page.getByRole('button', { name: 'Move Expert evidence up' }).click();
  await expect(page.getByTestId('section').first()).toContainText('Expert evidence');
  await shot(page, 'portal-sections');

  // Access: a grant for one address, limited to Pleadings, device-bound; then one for a domain, revoked.
  await page.getByRole('link', { name: 'Access', exact: true }).click();
  await expect(page.getByText('Nobody has access yet')).toBeVisible();
  await hydrated(page, async () => {
    await page.getByTestId('new-grant').click();
    await expect(page.getByTestId('grant-form')).toBeVisible({ timeout: 2_000 });
  });
  await page.getByLabel('Email addresses').fill('j.doe@counsel.example\nm.ng@counsel.example');
  await page.getByRole('radio', { name: /Chosen sections/ }).check();
  await page.getByRole('checkbox', { name: 'Pleadings' }).check();
  await page.getByRole('checkbox', { name: /Require an approved device/ }).check();
  await shot(page, 'portal-grant-form');
  await page.getByTestId('create-grant').click();
  const table = page.getByTestId('grants-table');
  await expect(table).toContainText('j.doe@counsel.example');
  await expect(table).toContainText('Pleadings');
  await expect(table).toContainText('Approved device');

  await page.getByTestId('new-grant').click();
  await page.getByLabel('Email domains').fill('counsel.example');
  await page.getByTestId('create-grant').click();
  await expect(table).toContainText('@counsel.example');
  await table.getByRole('button', { name: 'Revoke access for @counsel.example' }).click();
  await page.getByRole('dialog', { name: 'Revoke this access?' }).getByLabel(/Reason/).fill('Sent to the wrong firm');
  await page.getByRole('button', { name: 'Revoke access', exact: true }).click();
  await expect(table.getByRole('row').filter({ hasText: '@counsel.example' }).filter({ hasNotText: 'j.doe' })).toContainText('Revoked');
  await shot(page, 'portal-access');

  await page.goto('/portals');
  const row = page.getByTestId('portals-table').getByRole('row').filter({ hasText: 'Northwind — External Counsel' });
  await expect(row).toContainText(`/p/${slug}`);
  await expect(row.getByRole('cell').nth(2)).toHaveText('2');
  await expect(row.getByRole('cell').nth(3)).toHaveText('2');
  await expect(row.getByRole('cell').nth(4)).toHaveText('1');
  await shot(page, 'portals-list');
  expect(portalPath).toMatch(/^\/portals\//);
});
