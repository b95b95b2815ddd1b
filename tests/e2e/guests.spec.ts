import { expect, test, type APIRequest } from '@playwright/test';
// factory.ts re-exports this but also loads Prisma, which Playwright's loader cannot import.
import { tinyPdf } from '../helpers/tiny-pdf';
import { E2E_PORT } from './env';
import { shareDocument, shot, signIn, uploadDocument } from './helpers';

const BASE = `http://localhost:${E2E_PORT}`;
const MAC_CHROME = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';

// Every screenshot of this spec is taken at twice the pixel density, as a reviewer's screen shows it.
test.use({ deviceScaleFactor: 2 });

/** A guest opening the link through the guest API from a device of its own; returns its access token. */
async function openAsGuest(request: APIRequest, link: string, userAgent: string) {
  const ctx = await request.newContext({ baseURL: BASE, userAgent });
  const res = await ctx.post('/api/portal/v1/sessions', { data: { link } });
  expect(res.status()).toBe(201);
  const token = (await res.json()).access_token as string;
  const list = () => ctx.get('/api/portal/v1/documents', { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status());
  return { list, close: () => ctx.dispose() };
}

test('guests: the list, a guest\'s sessions, ending one, and disabling a guest take effect at once', async ({ page, playwright }) => {
  const title = 'Meridian audit working papers';
  await signIn(page, 'admin');
  await uploadDocument(page, title, tinyPdf('Working papers'), 'working-papers.pdf');
  const { link, detail } = await shareDocument(page, title);

  const laptop = await openAsGuest(playwright.request, link, MAC_CHROME);
  const phone = await openAsGuest(playwright.request, link, IPHONE);
  expect(await laptop.list()).toBe(200);
  expect(await phone.list()).toBe(200);

  // Other specs share this server: look at this share's guests.
  await page.goto(`/guests?share=${detail.split('/').pop()}`);
  await expect(page.getByRole('link', { name: 'Guests' }).first()).toHaveAttribute('aria-current', 'page');
  const rows = page.getByTestId('guests-table').locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText('Anonymous link guest');
  await expect(rows.first()).toContainText(title);
  await expect(rows.first()).toContainText('1 open session');
  await shot(page, 'guests-list');

  // The newest guest is the phone; the one below it opened from the laptop.
  await rows.nth(1).getByRole('link', { name: 'Anonymous link guest' }).click();
  await page.waitForURL(/\/guests\/[A-Za-z0-9_-]+$/);
  const sessions = page.getByTestId('guest-sessions').locator('tbody tr');
  await expect(sessions).toHaveCount(1);
  await expect(sessions.first()).toContainText('Chrome 131 on macOS 10.15.7');
  await expect(sessions.first()).toContainText('127.0.0.1');
  await expect(sessions.first()).toContainText('Open');
  await shot(page, 'guest-page');

  await sessions.first().getByRole('button', { name: /^End/ }).click();
  const endDialog = page.getByRole('dialog', { name: 'End this session?' });
  await endDialog.getByRole('button', { name: 'End session' }).click();
  await expect(sessions.first()).toContainText('Ended');
  expect(await laptop.list()).toBe(401);
  expect(await phone.list()).toBe(200);

  // Disable the phone's guest, with a reason.
  await page.goto('/guests');
  await rows.first().getByRole('link', { name: 'Anonymous link guest' }).click();
  await page.waitForURL(/\/guests\/[A-Za-z0-9_-]+$/);
  await page.getByRole('button', { name: 'Disable guest' }).click();
  const disable = page.getByRole('dialog', { name: /^Disable/ });
  await disable.getByTestId('disable-reason').fill('Opened from an unexpected device');
  await disable.getByRole('button', { name: 'Disable guest' }).click();
  await expect(page.getByTestId('guest-state')).toHaveText('Disabled');
  await expect(page.getByTestId('disabled-reason')).toHaveText('Opened from an unexpected device');
  expect(await phone.list()).toBe(401);
  await shot(page, 'guest-disabled');

  await page.goto('/guests?state=DISABLED');
  await expect(rows).toHaveCount(1);
  await page.getByLabel('Search guests').fill('no such guest');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByText('No matching guests')).toBeVisible();

  // Both are in the share's access log, with who did them; the share leads to its guests.
  await page.goto(detail);
  await page.getByRole('link', { name: 'Manage guests' }).click();
  await page.waitForURL(/\/guests\?share=/);
  await expect(rows).toHaveCount(2);
  await expect(page.getByText('Guests of')).toBeVisible();
  await page.goto(detail);
  await expect(page.getByText('Guest disabled', { exact: true })).toBeVisible();
  await expect(page.getByText('Guest session ended by staff', { exact: true })).toBeVisible();
  await laptop.close();
  await phone.close();
});

test('share form: the audience, and an invited share\'s invitations', async ({ page, browser }) => {
  const title = 'Harbour survey findings';
  await signIn(page, 'admin');
  await uploadDocument(page, title, tinyPdf('Survey'), 'survey.pdf');
  await page.goto('/documents');
  await page.getByRole('link', { name: title }).first().click();
  await page.getByTestId('share-document').click();
  await expect(page.getByTestId('selected-count')).toHaveText('1 document selected');

  const audience = page.getByTestId('audience-choice');
  await expect(audience.getByRole('radio', { name: /Anyone with the link/ })).toBeChecked();
  await expect(page.getByRole('textbox', { name: /^Allowed domains/ })).toHaveCount(0);
  await audience.getByRole('radio', { name: /People who verify their email/ }).check();
  await page.getByRole('textbox', { name: /^Recipients/ }).fill('reviewer@harbour.example');
  await page.getByRole('textbox', { name: /^Allowed domains/ }).fill('harbour.example\npartner.example');
  await page.getByTestId('audience-choice').scrollIntoViewIfNeeded();
  await shot(page, 'share-form-audience');
  await page.getByTestId('create-share').click();
  await expect(page.getByTestId('share-created')).toContainText('People who verify their email (harbour.example, partner.example)');
  await page.getByTestId('open-share').click();
  await page.waitForURL(/\/shares\/[a-z0-9]+$/);
  await expect(page.getByTestId('share-audience')).toHaveText('People who verify their email');

  // Invited only: each recipient gets an invitation; the share shows where each stands.
  await page.goto('/documents');
  await page.getByRole('link', { name: title }).first().click();
  await page.getByTestId('share-document').click();
  await page.getByTestId('audience-choice').getByRole('radio', { name: /Invited people only/ }).check();
  await page.getByRole('textbox', { name: /^People to invite/ }).fill('counsel@firm.example\nanalyst@agency.example');
  await page.getByTestId('create-share').click();
  await expect(page.getByTestId('share-created')).toBeVisible();
  await page.getByTestId('open-share').click();
  await page.waitForURL(/\/shares\/[a-z0-9]+$/);
  const shareUrl = page.url();
  await expect(page.getByTestId('share-audience')).toHaveText('Invited people only');
  const table = page.getByTestId('invitations-table');
  await expect(table.locator('tbody tr')).toHaveCount(2);
  await expect(page.getByTestId('invitation-counsel@firm.example')).toContainText('Pending');

  await page.getByTestId('invite-more').click();
  const invite = page.getByRole('dialog', { name: 'Invite people' });
  await invite.getByLabel('Email addresses').fill('board@member.example');
  await invite.getByLabel('Message').fill('The findings for Thursday.');
  await invite.getByTestId('send-invitations').click();
  await expect(table.locator('tbody tr')).toHaveCount(3);

  const counsel = page.getByTestId('invitation-counsel@firm.example');
  await counsel.getByRole('button', { name: /^Resend/ }).click();
  await page.getByRole('dialog', { name: /again\?$/ }).getByRole('button', { name: 'Resend' }).click();
  await expect(counsel).toContainText('2×');
  const analyst = page.getByTestId('invitation-analyst@agency.example');
  await analyst.getByRole('button', { name: /^Revoke/ }).click();
  await page.getByRole('dialog', { name: /^Revoke the invitation/ }).getByRole('button', { name: 'Revoke invitation' }).click();
  await expect(analyst).toContainText('Revoked');
  await expect(page.getByTestId('invitation-counts')).toHaveText('2 pending · 1 revoked');
  await shot(page, 'share-invitations');

  // counsel@ accepts (the link of the newest mail: resending replaced the first one) and becomes a registered guest.
  const mail = await page.request.post('/api/graphql', {
    headers: { origin: BASE, 'content-type': 'application/json' },
    data: { query: '{ mailMessages(first: 50) { nodes { template toDisplay text createdAt } } }' },
  });
  const nodes = (await mail.json()).data.mailMessages.nodes as Array<{ template: string; toDisplay: string; text: string }>;
  const invitation = nodes.find((m) => m.template === 'invitation' && m.toDisplay === 'counsel@firm.example')!;
  const acceptUrl = /http:\/\/localhost:\d+\/i\/[A-Za-z0-9_-]+/.exec(invitation.text)![0];
  const guestContext = await browser.newContext();
  const guest = await guestContext.newPage();
  await guest.goto(acceptUrl);
  await expect(guest.getByRole('heading', { name: 'You have been invited' })).toBeVisible();
  await guest.getByLabel('Choose a password').fill('Harbour-Survey-Reviewer-2026!');
  await guest.getByLabel('Repeat the password').fill('Harbour-Survey-Reviewer-2026!');
  await guest.getByRole('button', { name: /Accept and open the documents/ }).click();
  await expect(guest.getByRole('heading', { name: 'Shared documents' })).toBeVisible();
  await page.reload();
  await expect(counsel).toContainText('Accepted');

  await page.goto('/guests?kind=REGISTERED&q=counsel%40firm.example');
  const row = page.getByTestId('guests-table').locator('tbody tr');
  await expect(row).toHaveCount(1);
  await expect(row.first()).toContainText('counsel@firm.example');
  await expect(row.first()).toContainText('Registered');
  await expect(row.first()).toContainText('1 open session');
  await page.goto('/guests');
  await shot(page, 'guests-list-kinds');
  await page.getByRole('link', { name: 'counsel@firm.example' }).click();
  await expect(page.getByTestId('guest-sessions').locator('tbody tr')).toHaveCount(1);
  await expect(page.getByTestId('guest-sessions')).toContainText('Password');
  await shot(page, 'guest-page-registered');

  // Revoking an accepted invitation stops its guest at once.
  await page.goto(shareUrl);
  await counsel.getByRole('button', { name: /^Revoke/ }).click();
  await page.getByRole('dialog', { name: /^Revoke the invitation/ }).getByRole('button', { name: 'Revoke invitation' }).click();
  await expect(counsel).toContainText('Revoked');
  await guest.reload();
  await expect(guest.getByRole('heading', { name: 'Shared documents' })).toHaveCount(0);
  await guestContext.close();

  // The edit dialog shows the audience it has.
  await page.getByRole('button', { name: 'Edit conditions' }).click();
  await expect(page.getByRole('dialog', { name: 'Edit share conditions' }).getByRole('radio', { name: /Invited people only/ })).toBeChecked();
  await shot(page, 'share-edit-audience');
});
