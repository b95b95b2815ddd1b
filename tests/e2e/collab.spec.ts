import { expect, test, type Browser, type Page } from '@playwright/test';
import { briefPdf } from '../helpers/brief-pdf';
import { E2E_USERS } from './env';
import { shareDocument, shot, signIn, uploadDocument } from './helpers';

const TITLE = 'Osprey term sheet — draft 3';
const STAFF = E2E_USERS.admin.name;

/** Screenshots of the collaboration views, in test-results/collab-<name>.png. */

async function openAsGuest(browser: Browser, link: string, landingShot?: string): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const guest = await ctx.newPage();
  await guest.goto(link);
  await guest.getByRole('button', { name: 'View documents' }).click();
  await expect(guest.getByTestId('guest-activity')).toBeVisible();
  if (landingShot) await shot(guest, `collab-${landingShot}`);
  await guest.getByRole('link', { name: TITLE }).first().click();
  await expect.poll(() => guest.getByTestId('page-image').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  await expect(guest.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');
  return guest;
}

test('a guest annotates page 1 and staff answer live: presence, typing, replies, resolve, then revocation closes the viewer', async ({ page, browser }) => {
  test.setTimeout(240_000);
  await signIn(page, 'admin', '/documents');
  await uploadDocument(page, TITLE, await briefPdf(3), 'term-sheet-draft-3.pdf');
  const viewOnly = await shareDocument(page, TITLE, { permission: 'VIEW' });
  const commenting = await shareDocument(page, TITLE, { permission: 'COMMENT' });

  // Staff watch the document from the console.
  await page.goto('/documents');
  await page.getByRole('link', { name: TITLE }).first().click();
  const live = page.getByTestId('staff-live');
  await expect(live.getByTestId('connection-state')).toHaveAttribute('data-state', 'connected');

  const guest = await openAsGuest(browser, commenting.link, 'share-landing');
  // Presence: each side sees the other (and the guest sees themself).
  await expect(guest.getByTestId('presence').getByRole('listitem')).toHaveCount(2);
  await expect(guest.getByTestId('presence').getByLabel(new RegExp(STAFF))).toHaveCount(1);
  await expect(live.getByTestId('presence').getByRole('listitem')).toHaveCount(2);

  // The guest draws a box on page 1 and comments on it, mentioning staff.
  await guest.getByTestId('annotate').click();
  const layer = guest.getByTestId('annotation-layer');
  const box = (await layer.boundingBox())!;
  await guest.mouse.move(box.x + box.width * 0.15, box.y + box.height * 0.2);
  await guest.mouse.down();
  await guest.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.26, { steps: 6 });
  await guest.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.32, { steps: 6 });
  await guest.mouse.up();
  const composer = guest.getByTestId('annotation-composer');
  await expect(composer).toBeVisible();
  const text = composer.getByRole('combobox');
  await text.pressSequentially('Clause 4.2 conflicts with the indemnity cap. @');
  await text.pressSequentially(STAFF.split(' ')[0].slice(0, 3));
  await expect(guest.getByRole('option', { name: new RegExp(STAFF) })).toBeVisible();
  await text.press('Enter');
  await text.pressSequentially('can you confirm?');
  await composer.getByRole('button', { name: 'Comment' }).click();
  await expect(guest.getByTestId('annotation')).toHaveCount(1);
  await expect(guest.getByTestId('collab-thread')).toHaveCount(1);
  const body = `Clause 4.2 conflicts with the indemnity cap. @${STAFF} can you confirm?`;
  await expect(guest.getByTestId('collab-comment-body').first()).toHaveText(body);

  // Staff see it at once, without reloading.
  const thread = live.getByTestId('collab-thread').first();
  await expect(thread.getByTestId('collab-comment-body').first()).toHaveText(body);
  await expect(thread).toContainText('Region · page 1');

  // Staff start a reply: the guest sees them typing, then the reply.
  await thread.getByRole('button', { name: 'Reply' }).click();
  await thread.getByRole('combobox').pressSequentially('Confirmed: the cap prevails. We will send a revised draft.');
  await expect(guest.getByTestId('typing')).toHaveText(`${STAFF} is typing…`);
  await shot(guest, 'collab-guest-typing');
  await thread.getByRole('button', { name: 'Reply', exact: true }).last().click();
  await expect(guest.getByTestId('collab-comment-body')).toHaveCount(2);
  await expect(guest.getByTestId('collab-comment-body').nth(1)).toHaveText('Confirmed: the cap prevails. We will send a revised draft.');

  // The guest's typing shows on the staff side; markup in a comment stays text.
  const gthread = guest.getByTestId('collab-thread').first();
  await gthread.getByRole('button', { name: 'Reply' }).click();
  await gthread.getByRole('combobox').pressSequentially('<img src=x onerror=alert(1)> thanks');
  await expect(live.getByTestId('typing')).toHaveText(/is typing…$/);
  await shot(page, 'collab-staff-live');
  await gthread.getByRole('button', { name: 'Reply', exact: true }).last().click();
  await expect(thread.getByTestId('collab-comment-body').nth(2)).toHaveText('<img src=x onerror=alert(1)> thanks');
  expect(await page.locator('[data-testid="staff-live"] img').count()).toBe(0);

  // Clicking the annotation focuses its thread.
  await guest.getByTestId('annotation').click();
  await expect(gthread).toBeFocused();
  await shot(guest, 'collab-guest-viewer');

  // Staff resolve the thread: the guest's list moves it under "resolved".
  await thread.getByRole('button', { name: 'Resolve' }).click();
  await expect(guest.getByRole('button', { name: 'Show 1 resolved thread' })).toBeVisible();
  await expect(guest.getByTestId('annotation')).toHaveAttribute('aria-label', /\(resolved\)/);

  // The guest asks a question; staff see it arrive in their live activity, and answer it in the page's Questions section.
  await guest.getByRole('tab', { name: /Questions/ }).click();
  await guest.getByLabel('Ask a question about this document').fill('Is the schedule at Annex B final?');
  await guest.getByRole('button', { name: 'Ask', exact: true }).click();
  await expect(guest.getByTestId('collab-question')).toHaveCount(1);
  await expect(guest.getByTestId('collab-question')).toContainText('Awaiting an answer');
  await live.getByRole('tab', { name: /Activity/ }).click();
  await expect(live.getByRole('tabpanel')).toContainText('asked a question');
  await page.reload();
  const asked = page.locator('#questions').getByTestId('question');
  await expect(asked).toContainText('Is the schedule at Annex B final?');
  await asked.getByRole('textbox', { name: 'Answer' }).fill('Yes, it is final as of today.');
  await asked.getByRole('button', { name: 'Send answer' }).click();
  // The answer, written through a server action, reaches the asker's open viewer.
  await expect(guest.getByTestId('collab-question')).toContainText('Yes, it is final as of today.');
  // Keyboard: arrow keys move between the panel's tabs.
  await guest.getByRole('tab', { name: /Questions/ }).press('ArrowRight');
  await expect(guest.getByRole('tab', { name: /Activity/ })).toHaveAttribute('aria-selected', 'true');
  await expect(guest.getByTestId('collab-panel').getByRole('tabpanel')).toBeVisible();
  await shot(guest, 'collab-guest-activity');
  await guest.getByRole('tab', { name: /Activity/ }).press('Home');

  // A VIEW guest reads the discussion but gets no write controls, and is told why.
  const reader = await openAsGuest(browser, viewOnly.link);
  await expect(reader.getByTestId('view-only-note')).toHaveText(/This share lets you view only/);
  await expect(reader.getByTestId('annotate')).toHaveCount(0);
  await shot(reader, 'collab-view-only');
  await reader.context().close();

  // Revoking the share closes the guest's viewer at once, saying why.
  await page.goto(commenting.detail);
  await page.getByRole('button', { name: 'Revoke', exact: true }).click();
  await page.getByRole('dialog', { name: 'Revoke this share?' }).getByRole('button', { name: 'Revoke share' }).click();
  await expect(page.getByTestId('share-status')).toHaveText('Revoked');
  const ended = guest.getByTestId('access-ended');
  await expect(ended).toBeVisible({ timeout: 5_000 });
  await expect(ended).toHaveAttribute('data-reason', 'revoked');
  await expect(ended).toContainText('The sender has withdrawn access to this share.');
  await expect(guest.getByTestId('page-image')).toHaveCount(0);
  await shot(guest, 'collab-revoked');
  await guest.context().close();
});
