import { expect, test } from '@playwright/test';
import { E2E_PORT } from './env';
import { shot, signIn } from './helpers';
import { runFixtureScript } from './server-data';


test('approvals: pending RED shares and grants wait for a second admin, who approves or refuses', async ({ page }) => {
  const seeded = JSON.parse(runFixtureScript(E2E_PORT, 'tests/e2e/seed-approvals.ts')) as { memberShareId: string; adminShareId: string; refusedShareId: string; portalId: string };
  await signIn(page, 'admin');
  await page.getByRole('link', { name: 'Approvals' }).first().click();
  await expect(page.getByRole('heading', { name: 'Approvals', level: 1 })).toBeVisible();
  const table = page.getByTestId('approvals-table');
  await expect(table).toContainText('Incident 4471 root cause');
  await expect(table).toContainText('Ransomware negotiation log');
  await expect(table).toContainText('Another administrator must decide');
  await shot(page, 'approvals-pending');

  // The share page shows the pending badge.
  await page.goto(`/shares/${seeded.memberShareId}`);
  await expect(page.getByTestId('approval-badge')).toContainText('Awaiting approval');
  await shot(page, 'approvals-share-pending');

  // The portal's header counts the pending grant apart from the active ones.
  await page.goto(`/portals/${seeded.portalId}/access`);
  await expect(page.getByTestId('portal-active-grants')).toHaveText('0 active grants');
  await expect(page.getByTestId('portal-pending-grants')).toHaveText('1 awaiting approval');
  await shot(page, 'approvals-portal-pending-count');

  // Approving the member's share through the dialog.
  await page.goto('/approvals');
  const row = page.locator('tr', { hasText: 'dana.k@harbour-counsel.example' }).filter({ hasText: 'Share' });
  await row.getByRole('button', { name: /Approve/ }).click();
  await page.getByRole('dialog').getByLabel(/Note/).fill('Recipients checked against the incident list.');
  await shot(page, 'approvals-approve-dialog');
  await page.getByRole('dialog').getByRole('button', { name: 'Approve', exact: true }).click();
  await expect(page.locator('tr', { hasText: 'Incident 4471 root cause' }).filter({ hasText: 'Share' })).toHaveCount(0);

  // Refusing needs a reason.
  const grantRow = page.locator('tr', { hasText: 'Portal grant' });
  await grantRow.getByRole('button', { name: /Refuse/ }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Refuse and revoke' }).click();
  await expect(page.getByRole('dialog')).toContainText('Say why the grant is refused.');
  await shot(page, 'approvals-refuse-needs-reason');
  await page.getByRole('dialog').getByLabel('Reason').fill('Use the existing share instead.');
  await page.getByRole('dialog').getByRole('button', { name: 'Refuse and revoke' }).click();
  await expect(page.locator('tr', { hasText: 'Portal grant' })).toHaveCount(0);

  await page.getByRole('link', { name: 'All', exact: true }).click();
  await expect(page.getByTestId('approvals-table')).toContainText('Recipient is not cleared for this incident.');
  await shot(page, 'approvals-all');
  await page.goto(`/portals/${seeded.portalId}/access`);
  await shot(page, 'approvals-portal-grants');

  // Revoking the admin's own pending share withdraws its request: it leaves the queue, shown as withdrawn.
  await page.goto(`/shares/${seeded.adminShareId}`);
  await page.getByRole('button', { name: 'Revoke', exact: true }).click();
  await page.getByRole('dialog').getByLabel(/Reason/).fill('Sent through the incident room instead.');
  await page.getByRole('dialog').getByRole('button', { name: 'Revoke share' }).click();
  await expect(page.getByTestId('approval-badge')).toContainText('Withdrawn');
  await page.goto('/approvals');
  await expect(page.locator('tr', { hasText: 'Ransomware negotiation log' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Withdrawn', exact: true }).click();
  const withdrawn = page.locator('tr', { hasText: 'Ransomware negotiation log' });
  await expect(withdrawn).toContainText('Withdrawn');
  await expect(withdrawn).toContainText(/Withdrawn: the grant was revoked \(Sent through the incident room instead\.?\)\./);
  await expect(withdrawn.getByRole('button', { name: /Approve/ })).toHaveCount(0);
  await shot(page, 'approvals-withdrawn');
});
