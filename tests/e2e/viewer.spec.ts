import { expect, test, type Page, type Response } from '@playwright/test';
import { briefPdf } from '../helpers/brief-pdf';
import { shareDocument, shot, signIn, uploadDocument } from './helpers';

const TITLE = 'Harlow v Meridian — Disclosure briefing';

/** Fails the test if any response to the guest carries a PDF or the original file. */
function watchForFileBytes(page: Page): string[] {
  const leaks: string[] = [];
  page.on('response', (r: Response) => {
    const type = r.headers()['content-type'] ?? '';
    if (/application\/pdf|octet-stream/.test(type)) leaks.push(`${r.url()} ${type}`);
  });
  return leaks;
}

async function openAsGuest(page: Page, link: string) {
  await page.goto(link);
  await page.getByRole('button', { name: 'View documents' }).click();
  await expect(page.getByRole('heading', { name: 'Shared documents' })).toBeVisible();
  await page.getByRole('link', { name: TITLE }).first().click();
  await expect(page.getByTestId('page-image')).toBeVisible();
  await expect.poll(() => page.getByTestId('page-image').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
}

test('the secure viewer shows server-rendered, watermarked pages and never the file', async ({ page, browser }) => {
  test.setTimeout(180_000);
  await signIn(page, 'admin', '/documents');
  await uploadDocument(page, TITLE, await briefPdf(6), 'disclosure-briefing.pdf');
  const marked = await shareDocument(page, TITLE); // cautious defaults: view only, watermark on
  const plain = await shareDocument(page, TITLE, { watermark: false });

  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const guest = await ctx.newPage();
  const leaks = watchForFileBytes(guest);
  await openAsGuest(guest, marked.link);
  await expect(guest.getByText('of 6', { exact: true })).toBeVisible();
  await expect(guest.getByRole('navigation', { name: 'Pages' }).getByRole('button')).toHaveCount(6);
  await expect(guest.getByText('Watermarked with your identity')).toBeVisible();
  await expect(guest.getByRole('link', { name: 'Download' })).toHaveCount(0);
  const img = guest.getByTestId('page-image');
  expect(await img.getAttribute('src')).toMatch(/\/pages\/1\?w=\d+&turn=\d+$/);
  await shot(guest, 'viewer-watermarked');

  // Keyboard, thumbnails, page box and zoom.
  await guest.keyboard.press('ArrowRight');
  await expect(img).toHaveAttribute('src', /\/pages\/2\?/);
  await guest.getByRole('button', { name: 'Page 5' }).click();
  await expect(img).toHaveAttribute('src', /\/pages\/5\?/);
  await guest.getByLabel('Page number').fill('3');
  await guest.getByLabel('Page number').press('Enter');
  await expect(img).toHaveAttribute('src', /\/pages\/3\?/);
  await guest.keyboard.press('End');
  await expect(img).toHaveAttribute('src', /\/pages\/6\?/);
  await expect(guest.getByRole('button', { name: 'Next page' })).toBeDisabled();
  const before = await img.boundingBox();
  await guest.getByRole('button', { name: 'Zoom in' }).click();
  await expect.poll(async () => (await img.boundingBox())!.width).toBeGreaterThan(before!.width);
  await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBeGreaterThan(0);
  await shot(guest, 'viewer-zoomed');
  await guest.getByRole('button', { name: 'Fit to width' }).click();

  // The old preview route is gone, and the original never comes out.
  const docUrl = new URL(guest.url());
  expect((await guest.request.get(`${docUrl.pathname}/preview`)).status()).toBe(404);
  expect((await guest.request.get(`${docUrl.pathname}/download`)).status()).toBe(403);
  expect(leaks).toEqual([]);

  // High-DPI: the browser asks for a wider image, so text stays crisp.
  const hi = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 2 });
  const hp = await hi.newPage();
  await openAsGuest(hp, plain.link);
  const natural = await hp.getByTestId('page-image').evaluate((i: HTMLImageElement) => ({ natural: i.naturalWidth, css: i.getBoundingClientRect().width }));
  expect(natural.natural).toBeGreaterThanOrEqual(natural.css * 2 - 1);
  await shot(hp, 'viewer-hidpi-plain');
  await hi.close();

  // Revocation mid-reading: the next page turn says access has ended.
  await page.goto(marked.detail);
  await page.getByRole('button', { name: 'Revoke', exact: true }).click();
  await page.getByRole('dialog', { name: 'Revoke this share?' }).getByRole('button', { name: 'Revoke share' }).click();
  await expect(page.getByTestId('share-status')).toHaveText('Revoked');
  await guest.keyboard.press('Home');
  await expect(guest.getByText('Your access to this document has ended')).toBeVisible();
  await shot(guest, 'viewer-revoked');
  // The access log names the pages the guest read.
  await page.reload();
  await expect(page.getByTestId('access-log')).toContainText('Guest viewed page');
  await ctx.close();
});
