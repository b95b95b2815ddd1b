import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import crypto from 'node:crypto';
import { expect, test } from '@playwright/test';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { tinyPdf } from '../helpers/tiny-pdf';
import { E2E_PORT } from './env';
import { SCREENSHOTS, shot, signIn, uploadDocument } from './helpers';

const BASE = `http://localhost:${E2E_PORT}`;
const MAC_CHROME = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const WIN_EDGE = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0';
const IPAD = 'Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1';

test.use({ deviceScaleFactor: 2 });

/** A device proof for opening a session (docs/DEVICES.md), signed by a fresh P-256 key, as a browser would. */
async function sessionProof(): Promise<string> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const { kty, crv, x, y } = await exportJWK(publicKey);
  return new SignJWT({ htm: 'POST', htu: `${BASE}/api/portal/v1/sessions`, jti: crypto.randomUUID() })
    .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty, crv, x, y } })
    .setIssuedAt()
    .sign(privateKey);
}

/** Registers keys for the guest through the real registry, in a child process (see seed-devices.ts). */
async function seedDevices(guestId: string, agents: string[]) {
  const tsx = path.join(process.cwd(), 'node_modules', '.bin', 'tsx');
  const { stdout } = await promisify(execFile)(tsx, ['tests/e2e/seed-devices.ts', guestId, ...agents], { env: { ...process.env, E2E_PORT: String(E2E_PORT) } });
  return JSON.parse(stdout.trim().split('\n').pop()!) as { id: string; status: string; label: string }[];
}

test('devices: a share requiring an approved device; approving and revoking a guest\'s devices', async ({ page, playwright }) => {
  const title = 'Harbour inspection dossier';
  await signIn(page, 'admin');
  // Other specs on this server may have registered devices of their own: this one counts its own three.
  await page.goto('/guests/devices?status=all');
  const devicesBefore = await page.getByTestId('devices-table').locator('tbody tr').count();
  await uploadDocument(page, title, tinyPdf('Dossier'), 'dossier.pdf');

  // The share form offers the real device condition, with its explanation.
  await page.goto('/documents');
  await page.getByRole('link', { name: title }).first().click();
  await page.getByTestId('share-document').click();
  const requireDevice = page.getByRole('checkbox', { name: /Require an approved device/ });
  await expect(requireDevice).not.toBeChecked();
  await requireDevice.check();
  await requireDevice.scrollIntoViewIfNeeded();
  await shot(page, 'devices-share-form');
  await page.getByTestId('create-share').click();
  await expect(page.getByTestId('share-created')).toContainText('Approved device required');
  const link = (await page.getByTestId('share-link').textContent())!.trim();
  await page.getByTestId('open-share').click();
  await page.waitForURL(/\/shares\/[a-z0-9]+$/);
  const shareId = page.url().split('/').pop()!;
  await expect(page.getByTestId('share-require-device')).toContainText('Approved device required');
  await shot(page, 'devices-share-page');
  await page.getByRole('button', { name: 'Edit conditions' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit share conditions' });
  await expect(edit.getByRole('checkbox', { name: /Require an approved device/ })).toBeChecked();
  await edit.getByRole('checkbox', { name: /Require an approved device/ }).scrollIntoViewIfNeeded();
  // The viewport, not the full page: a full-page capture resizes the window and scrolls the dialog back up.
  if (SCREENSHOTS) await page.screenshot({ path: path.join(process.cwd(), 'test-results', 'screenshots', 'devices-share-edit.png') });
  await edit.getByRole('button', { name: 'Cancel' }).click();

  // A guest opens it with a device key (its first, so approved at once); without one, the share refuses.
  const guestApi = await playwright.request.newContext({ baseURL: BASE, userAgent: MAC_CHROME });
  const refused = await guestApi.post('/api/portal/v1/sessions', { data: { link } });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error).toBe('device_denied');
  const opened = await guestApi.post('/api/portal/v1/sessions', { data: { link }, headers: { dpop: await sessionProof() } });
  expect(opened.status(), await opened.text()).toBe(201);
  await guestApi.dispose();
  await page.goto(`/guests?share=${shareId}`);
  await page.getByTestId('guests-table').getByRole('link', { name: 'Anonymous link guest' }).click();
  await page.waitForURL(/\/guests\/[A-Za-z0-9_-]+$/);
  const guestId = page.url().split('/').pop()!;
  const seeded = await seedDevices(guestId, [WIN_EDGE, IPAD]);
  expect(seeded.map((d) => d.status)).toEqual(['PENDING', 'PENDING']);

  // The list page tells staff that devices wait, and links to them.
  await page.goto('/guests');
  await expect(page.getByTestId('pending-devices-notice')).toBeVisible();
  await expect(page.getByText('2 devices awaiting approval')).toBeVisible();
  await shot(page, 'devices-guests-notice');
  await page.getByRole('link', { name: 'Review devices' }).click();
  await page.waitForURL(/\/guests\/devices$/);
  await expect(page.getByTestId('devices-table').locator('tbody tr')).toHaveCount(2);
  await shot(page, 'devices-pending-list');

  // The guest page: first device approved automatically, two waiting.
  await page.goto(`/guests/${guestId}`);
  const rows = page.getByTestId('guest-devices').locator('tbody tr');
  await expect(rows).toHaveCount(3);
  const edge = page.getByTestId(`device-${seeded[0].id}`);
  const ipad = page.getByTestId(`device-${seeded[1].id}`);
  // The key the session opened with: registered by the sign-in itself.
  const mac = rows.filter({ hasText: 'Chrome 131 on macOS' });
  await expect(mac).toContainText('Chrome 131 on macOS 10.15.7');
  await expect(mac).toContainText('Approved');
  await expect(mac).toContainText('Automatically, first device');
  await expect(edge).toContainText('Awaiting approval');
  await shot(page, 'devices-guest-page');

  await edge.getByRole('button', { name: /^Approve/ }).click();
  await expect(edge).toContainText('Approved');
  await expect(edge).toContainText('By admin@e2e.liaison.test');

  await ipad.getByRole('button', { name: /^Decline/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Decline this device?' });
  await expect(dialog).toBeVisible();
  await shot(page, 'devices-decline-dialog');
  await dialog.getByRole('button', { name: 'Decline device' }).click();
  await expect(ipad).toContainText('Revoked');
  await expect(ipad.getByRole('button')).toHaveCount(1);

  await mac.getByRole('button', { name: /^Revoke/ }).click();
  await page.getByRole('dialog', { name: 'Revoke this device?' }).getByRole('button', { name: 'Revoke device' }).click();
  await expect(mac).toContainText('Revoked');
  await shot(page, 'devices-guest-page-after');

  // Nothing waits any more; the decisions are in the audit trail.
  await page.goto('/guests');
  await expect(page.getByTestId('pending-devices-notice')).toHaveCount(0);
  await page.goto('/guests/devices?status=all');
  await expect(page.getByTestId('devices-table').locator('tbody tr')).toHaveCount(devicesBefore + 3);
  await shot(page, 'devices-all-list');
});
