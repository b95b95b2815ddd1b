import { expect, test } from '@playwright/test';
import { E2E_PORT } from './env';
import { shot, signIn } from './helpers';
import { runFixtureScript } from './server-data';

test.use({ deviceScaleFactor: 2, viewport: { width: 1440, height: 900 } });

test('access reviews: grants with filters, a bulk revoke, a campaign decided by its owner, and why a guest can see a document', async ({ page }) => {
  const seed = JSON.parse(runFixtureScript(E2E_PORT, 'tests/e2e/seed-access-reviews.ts', { once: true })) as { guest: string; red: string; amber: string; partner: string; bulkDomain: string };
  await signIn(page, 'admin', '/reviews');
  const table = page.getByTestId('review-grants-table');
  await expect(table).toContainText(seed.red);
  await expect(table).toContainText('Guest session');
  await expect(table).toContainText('Device');
  await shot(page, 'reviews-grants');

  // TLP:AMBER or above, from the partner organisation: the red share and the guest's access.
  await page.getByLabel('Classification at or above').selectOption('AMBER');
  await page.getByLabel('Partner organisation').selectOption(seed.partner);
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.waitForURL(/tlp=AMBER/);
  await expect(table.locator('tbody tr')).toHaveCount(2);
  await shot(page, 'reviews-filtered');

  // Revoke the session in bulk and tell the guest.
  await page.goto('/reviews?kind=session&domain=northwind.example');
  await table.locator('tbody tr').first().getByRole('checkbox').check();
  await expect(page.getByTestId('selected-count')).toHaveText('1 selected');
  await page.getByLabel('Tell the affected guests by mail').check();
  await page.getByLabel('Message to the guests').fill('Your review period has ended.');
  await page.getByRole('button', { name: 'Revoke 1 selected' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke', exact: true }).click();
  await expect(page.getByTestId('bulk-result')).toContainText('1 notice queued');
  await shot(page, 'reviews-bulk-done');

  // A campaign over the partner's grants: the admin sponsors what has no owner (the guest account, the device).
  await page.goto(`/reviews?partner=${seed.partner}`);
  await page.getByRole('button', { name: /Start a review of these/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Start an access review' });
  await dialog.getByLabel('Name').fill('Northwind quarterly review');
  await shot(page, 'reviews-campaign-dialog');
  await dialog.getByRole('button', { name: 'Start review' }).click();
  await page.waitForURL(/\/reviews\/campaigns\/[A-Za-z0-9_-]+/);
  const items = page.getByTestId('campaign-items-table');
  await expect(items).toContainText('Guest account');
  const row = items.locator('tbody tr', { hasText: 'Guest account' });
  await row.getByLabel('Decision').selectOption('KEEP');
  await row.getByLabel('Reason').fill('Engagement continues to March');
  await shot(page, 'reviews-campaign');
  await row.getByRole('button', { name: 'Decide' }).click();
  await page.goto(page.url().replace(/\?.*$/, '') + '?show=all');
  await expect(items.locator('tbody tr', { hasText: 'Guest account' })).toContainText('Keep');
  await shot(page, 'reviews-campaign-decided');
  await page.goto('/reviews/campaigns');
  await expect(page.getByTestId('campaigns-table')).toContainText('Northwind quarterly review');
  await shot(page, 'reviews-campaigns');

  // Why can Dana see the amber register? Through the portal grant, each check listed.
  await page.goto(`/reviews/explain?guest=${encodeURIComponent(seed.guest)}&document=${encodeURIComponent(seed.amber)}`);
  await expect(page.getByTestId('explanation')).toContainText('Portal Northwind data room');
  await expect(page.getByTestId('explanation')).toContainText('Marking within the ceiling');
  await shot(page, 'reviews-explain');
});

test('access reviews: select all grants matching the filters, beyond the page, and revoke them after confirming the count', async ({ page }) => {
  const seed = JSON.parse(runFixtureScript(E2E_PORT, 'tests/e2e/seed-access-reviews.ts', { once: true })) as { bulkDomain: string };
  // "Select all 52 matching": more than the page holds, found again on the server, with the count confirmed.
  await signIn(page, 'admin', '/reviews');
  await page.goto(`/reviews?kind=share&domain=${seed.bulkDomain}`);
  const table = page.getByTestId('review-grants-table');
  await expect(page.getByRole('heading', { name: '52 active grants match' })).toBeVisible();
  await expect(table.locator('tbody tr')).toHaveCount(50);
  await page.getByLabel('Select every row on this page').check();
  await expect(page.getByTestId('select-all-banner')).toContainText('All 50 grants on this page are selected.');
  await page.getByTestId('select-all-matching').click();
  await expect(page.getByTestId('selected-count')).toHaveText('52 selected (all matching)');
  await shot(page, 'reviews-select-all-matching');
  await page.getByRole('button', { name: 'Revoke all 52 matching' }).click();
  await expect(page.getByTestId('all-matching-note')).toContainText('every one of the 52 grants the current filters match');
  await shot(page, 'reviews-select-all-confirm');
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke 52 grants' }).click();
  await expect(page.getByTestId('bulk-result')).toContainText('Done.');
  await expect(page.getByText('52 changed')).toBeVisible();
  await shot(page, 'reviews-select-all-done');
});
