import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { E2E_PORT } from './env';
import { shot, signIn } from './helpers';
import { runFixtureScript } from './server-data';

interface Seeded { portalId: string; emptyPortalId: string; totals: { views: number; downloads: number; uniqueGuests: number; refusals: number }; documents: string[] }

// High-DPI screenshots at the console's usual size: charts are SVG and must stay crisp.
test.use({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 2 });

let seeded: Seeded;
test.beforeAll(() => {
  // Once per server: after a failure Playwright starts a new worker, which runs beforeAll again.
  seeded = JSON.parse(runFixtureScript(E2E_PORT, 'tests/e2e/seed-portal-analytics.ts', { once: true })) as Seeded;
});

/** Errors the browser reports, CSP violations included (the app has no favicon: that 404 is not ours). */
function collectErrors(page: Page) {
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) errors.push(`${m.text()} ${m.location().url}`); });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

test('portal analytics: charts, data tables, range and CSV export', async ({ page }) => {
  const errors = collectErrors(page);
  const path = `/portals/${seeded.portalId}/analytics`;
  await signIn(page, 'admin', path);
  await expect(page.getByRole('heading', { name: 'Analytics', level: 2 })).toBeVisible();
  await expect(page.getByTestId('portal-name')).toHaveText('Northbridge Counsel');
  await expect(page.getByTestId('total-views')).toHaveText(seeded.totals.views.toLocaleString('en-US'));
  await expect(page.getByTestId('total-downloads')).toHaveText(seeded.totals.downloads.toLocaleString('en-US'));
  await expect(page.getByTestId('total-guests')).toHaveText(String(seeded.totals.uniqueGuests));
  await expect(page.getByTestId('total-refusals')).toHaveText(String(seeded.totals.refusals));
  expect(seeded.totals.views).toBeGreaterThan(10);

  // Every chart draws (after hydration) and describes itself.
  await expect(page.locator('[role="img"] .recharts-wrapper')).toHaveCount(5);
  await expect(page.getByRole('img', { name: /Bar chart of views and downloads per day/ })).toBeVisible();
  await expect(page.locator('.recharts-bar-rectangle').first()).toBeVisible();

  // The numbers behind the daily chart: one row per day of the last 30.
  const daily = page.getByTestId('daily-table');
  await daily.getByText('Show data table').click();
  await expect(daily.locator('tbody tr')).toHaveCount(30);
  const sum = (await daily.locator('tbody tr td:nth-child(2)').allTextContents()).reduce((a, t) => a + Number(t.replace(/,/g, '')), 0);
  expect(sum).toBe(seeded.totals.views);
  await daily.getByText('Hide data table').click();

  // Time per page follows the chosen document.
  const pageTable = page.getByTestId('page-time-table');
  await page.getByTestId('page-time-document').selectOption({ label: 'Board minutes, October' });
  await expect(page.getByRole('img', { name: /time per page for Board minutes, October/ })).toBeVisible();
  await pageTable.getByText('Show data table').click();
  await expect(pageTable.locator('tbody tr').first().locator('td').first()).toHaveText('1');
  expect(await pageTable.locator('tbody tr').count()).toBeLessThanOrEqual(5);
  await pageTable.getByText('Hide data table').click();

  await expect(page.getByTestId('refusals-table')).toBeAttached();
  await expect(page.getByTestId('guests-table').locator('tbody tr')).toHaveCount(8);
  await page.mouse.move(0, 0);
  await shot(page, 'portal-analytics');

  // CSV export of the same range.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  expect(download.suggestedFilename()).toMatch(/^portal-northbridge-[a-z0-9]+-analytics-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = fs.readFileSync(await download.path(), 'utf8');
  expect(csv.startsWith('\uFEFFsection,date,id,label,page,metric,value\r\n')).toBe(true);
  expect(csv).toContain(`\r\ntotal,,,,,views,${seeded.totals.views}\r\n`);
  expect(csv).toContain(`\r\ntotal,,,,,refusals,${seeded.totals.refusals}\r\n`);

  // Presets and a custom range live in the URL.
  await page.getByTestId('range-7d').click();
  await page.waitForURL(/range=7d/);
  await expect(page.getByTestId('range-7d')).toHaveAttribute('aria-current', 'page');
  await page.getByTestId('range-custom').click();
  await page.waitForURL(/range=custom/);
  await page.getByLabel('From').fill('2026-03-10');
  await page.getByLabel('To (inclusive)').fill('2026-03-01');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByText('This date range cannot be shown')).toBeVisible();

  expect(errors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
  expect(errors).toEqual([]);
});

test('portal analytics: empty state', async ({ page }) => {
  const errors = collectErrors(page);
  await signIn(page, 'auditor', `/portals/${seeded.emptyPortalId}/analytics`);
  await expect(page.getByTestId('analytics-empty')).toContainText('No guest activity in this period');
  await expect(page.getByTestId('total-views')).toHaveText('0');
  await expect(page.getByTestId('export-csv')).toBeVisible();
  await shot(page, 'portal-analytics-empty');
  expect(errors).toEqual([]);
});

test('portal analytics: a malformed or unknown portal id is not found', async ({ page }) => {
  await signIn(page, 'member');
  const res = await page.goto('/portals/%00bad/analytics');
  expect(res?.status()).toBe(404);
  await page.goto('/portals/cmxdoesnotexist000/analytics');
  await expect(page.getByText('404 · Not found')).toBeVisible();
});
