import crypto from 'node:crypto';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
// factory.ts re-exports this but also loads Prisma, which Playwright's loader cannot import.
import { tinyPdf } from '../helpers/tiny-pdf';
import { E2E_PORT } from './env';
import { shot, signIn } from './helpers';

const ORIGIN = `http://localhost:${E2E_PORT}`;
const GUEST_PASSWORD = 'Harbour lights at dusk 42';

async function gql(request: APIRequestContext, query: string, variables?: Record<string, unknown>) {
  const res = await request.post('/api/graphql', { headers: { origin: ORIGIN, 'content-type': 'application/json' }, data: { query, variables } });
  const body = await res.json() as { data?: any; errors?: unknown[] };
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
  return body.data;
}

async function uploadPdf(page: Page, title: string): Promise<string> {
  const up = await page.request.post('/api/v1/documents', { headers: { origin: ORIGIN }, multipart: { file: { name: 'brief.pdf', mimeType: 'application/pdf', buffer: tinyPdf(`${title} ${crypto.randomUUID()}`) }, title, tlp: 'AMBER' } });
  expect(up.status()).toBe(201);
  return (await up.json()).id as string;
}

/** The plain-text body of the newest mail to `to` whose subject matches, as an admin reads it in the development outbox. */
async function readOutbox(admin: Page, to: string, subject: RegExp): Promise<string> {
  await expect(async () => {
    await admin.goto('/settings/mail');
    await expect(admin.getByTestId('mail-table').getByRole('row', { name: new RegExp(to.replace(/[.@]/g, '\\$&')) }).filter({ hasText: subject }).first()).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await admin.getByTestId('mail-table').getByRole('row', { name: new RegExp(to.replace(/[.@]/g, '\\$&')) }).filter({ hasText: subject }).first().getByRole('link').first().click();
  await admin.getByRole('tab', { name: 'Plain text' }).click();
  return (await admin.getByTestId('mail-text').textContent()) ?? '';
}

test('an invited guest follows the link in the mail, sets a password and sees the document; the link then works once', async ({ page, browser }) => {
  test.setTimeout(180_000);
  await signIn(page, 'admin', '/');
  const docId = await uploadPdf(page, 'Meridian – settlement draft');
  await gql(page.request, 'mutation($in: CreateShareInput!) { createShare(input: $in) { share { id } } }', {
    in: { documentIds: [docId], audience: 'INVITED', recipients: ['dana.reyes@counsel.example'], message: 'Dana, the draft we discussed. Comments by Friday please.' },
  });
  const mail = await readOutbox(page, 'dana.reyes@counsel.example', /shared “Meridian – settlement draft” with you/);
  const invitation = /https?:\/\/\S+\/i\/[A-Za-z0-9_-]{43}/.exec(mail)?.[0];
  expect(invitation, mail).toBeTruthy();
  await shot(page, 'guest-invitation-mail');

  const guest = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 2 });
  const g = await guest.newPage();
  await g.goto(invitation!);
  await expect(g.getByRole('heading', { name: 'You have been invited' })).toBeVisible();
  await expect(g.getByText('Dana, the draft we discussed.')).toBeVisible();
  await shot(g, 'guest-invitation');
  // A common password is refused with the reason, and the invitation stays usable.
  await g.getByLabel('Choose a password').fill('password123456');
  await g.getByLabel('Repeat the password').fill('password123456');
  await g.getByRole('button', { name: 'Accept and open the documents' }).click();
  await expect(g.getByRole('alert').filter({ hasText: 'too common' })).toBeVisible();
  await shot(g, 'guest-invitation-weak-password');
  await g.getByLabel('Choose a password').fill(GUEST_PASSWORD);
  await g.getByLabel('Repeat the password').fill(GUEST_PASSWORD);
  await g.getByRole('button', { name: 'Accept and open the documents' }).click();
  await expect(g.getByRole('heading', { name: 'Shared documents' })).toBeVisible();
  await expect(g.getByText('dana.reyes@counsel.example')).toBeVisible();
  await expect(g.getByRole('link', { name: /Meridian – settlement draft/ })).toBeVisible();
  await shot(g, 'guest-invited-documents');
  await g.getByRole('link', { name: /Meridian – settlement draft/ }).click();
  await expect(g.getByTestId('page-image').first()).toBeVisible();
  await guest.close();

  // The same link in another browser: accepted already; signing in needs the password.
  const other = await browser.newContext();
  const o = await other.newPage();
  await o.goto(invitation!);
  await expect(o.getByRole('heading', { name: 'Invitation already accepted' })).toBeVisible();
  await o.getByRole('link', { name: 'Go to the sign-in page' }).click();
  await expect(o.getByRole('heading', { name: 'Sign in to open this share' })).toBeVisible();
  await shot(o, 'guest-invited-signin');
  await o.getByLabel('Email address').fill('dana.reyes@counsel.example');
  await o.getByLabel('Password', { exact: true }).fill(GUEST_PASSWORD);
  await o.getByRole('button', { name: 'Sign in' }).click();
  await expect(o.getByRole('heading', { name: 'Shared documents' })).toBeVisible();
  await other.close();
});

test('an email-code guest gets in with the code from the mail', async ({ page, browser }) => {
  test.setTimeout(180_000);
  await signIn(page, 'admin', '/');
  const docId = await uploadPdf(page, 'Harlow inquiry – witness list');
  const created = await gql(page.request, 'mutation($in: CreateShareInput!) { createShare(input: $in) { share { id url } } }', {
    in: { documentIds: [docId], audience: 'VERIFIED_EMAIL', recipients: ['ann.okafor@partner-firm.example'] },
  });
  const url = created.createShare.share.url as string;
  const guest = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 2 });
  const g = await guest.newPage();
  await g.goto(url);
  await expect(g.getByRole('heading', { name: 'Confirm your email address' })).toBeVisible();
  await expect(g.getByText('Harlow inquiry')).toHaveCount(0);
  await shot(g, 'guest-email-step');
  await g.getByLabel('Work email address').fill('ann.okafor@partner-firm.example');
  await g.getByRole('button', { name: 'Send me a code' }).click();
  await expect(g.getByRole('heading', { name: 'Check your email' })).toBeVisible();
  await shot(g, 'guest-code-step');
  const mail = await readOutbox(page, 'ann.okafor@partner-firm.example', /verification code/);
  const codes = mail.match(/(?<!\d)\d{6,8}(?!\d)/g) ?? [];
  expect(codes, mail).toHaveLength(1);
  await g.getByLabel('6-digit code').fill('000000' === codes[0] ? '111111' : '000000');
  await g.getByRole('button', { name: 'Verify and continue' }).click();
  await expect(g.getByRole('alert').filter({ hasText: 'not correct' })).toBeVisible();
  await shot(g, 'guest-code-wrong');
  await g.getByLabel('6-digit code').fill(codes[0]!);
  await g.getByRole('button', { name: 'Verify and continue' }).click();
  await expect(g.getByRole('heading', { name: 'Shared documents' })).toBeVisible();
  await expect(g.getByText('ann.okafor@partner-firm.example')).toBeVisible();
  await shot(g, 'guest-code-documents');
  await guest.close();
});
