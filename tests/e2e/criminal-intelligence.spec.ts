import crypto from 'node:crypto';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { tinyPdf } from '../helpers/tiny-pdf';
import { E2E_PORT, E2E_USERS } from './env';
import { shot, signIn } from './helpers';

const ORIGIN = `http://localhost:${E2E_PORT}`;
const NTK = 'Joint investigation 24-117: the assigned detectives need the informant report to plan the operation.';

async function gql(request: APIRequestContext, query: string, variables?: Record<string, unknown>) {
  const res = await request.post('/api/graphql', { headers: { origin: ORIGIN, 'content-type': 'application/json' }, data: { query, variables } });
  return await res.json() as { data?: any; errors?: Array<{ extensions?: { code?: string } }> };
}

async function readOutboxCode(admin: Page, to: string): Promise<string> {
  await expect(async () => {
    await admin.goto('/settings/mail');
    await expect(admin.getByTestId('mail-table').getByRole('row', { name: new RegExp(to.replace(/[.@]/g, '\\$&')) }).filter({ hasText: /verification code/ }).first()).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await admin.getByTestId('mail-table').getByRole('row', { name: new RegExp(to.replace(/[.@]/g, '\\$&')) }).filter({ hasText: /verification code/ }).first().getByRole('link').first().click();
  await admin.getByRole('tab', { name: 'Plain text' }).click();
  const text = (await admin.getByTestId('mail-text').textContent()) ?? '';
  return (text.match(/(?<!\d)\d{6,8}(?!\d)/g) ?? [])[0]!;
}

test('criminal intelligence: mark, share to a law-enforcement partner, guest view, log, review and purge', async ({ page, browser }) => {
  test.setTimeout(240_000);
  const tsx = path.join(process.cwd(), 'node_modules', '.bin', 'tsx');
  await promisify(execFile)(tsx, ['tests/e2e/seed-cfr.ts', E2E_USERS.admin.email], { env: { ...process.env, E2E_PORT: String(E2E_PORT) } });

  await signIn(page, 'admin', '/');
  const up = await page.request.post('/api/v1/documents', { headers: { origin: ORIGIN }, multipart: { file: { name: 'informant.pdf', mimeType: 'application/pdf', buffer: tinyPdf(`Informant report ${crypto.randomUUID()}`) }, title: 'Informant report – northern port', tlp: 'AMBER' } });
  const docId = (await up.json()).id as string;

  // Mark it through the form on its page.
  await page.goto(`/documents/${docId}`);
  await page.getByTestId('cji-mark').click();
  await page.getByLabel('Submitting agency').fill('Borealis Police Intelligence Unit');
  await page.getByLabel('Source reliability').selectOption('B');
  await page.getByLabel('Content validity').selectOption('PROBABLY_TRUE');
  await page.getByLabel('Criminal-activity basis').fill('Suspected trafficking ring operating through the northern port (case 24-117).');
  await shot(page, 'cfr-mark-dialog');
  await page.getByRole('button', { name: 'Mark document' }).click();
  await expect(page.getByTestId('cji-banner')).toBeVisible();
  await shot(page, 'cfr-document-marked');

  // Sharing it by link is refused; to a law-enforcement detective with a statement it is allowed.
  const refused = await gql(page.request, 'mutation($in: CreateShareInput!) { createShare(input: $in) { share { id } } }', { in: { documentIds: [docId] } });
  expect(refused.errors?.[0]?.extensions?.code).toBe('cji_not_permitted');
  // Two people: a member shares it, and it waits (serving nothing) until the admin approves it.
  const memberContext = await browser.newContext();
  const member = await memberContext.newPage();
  await signIn(member, 'member');
  const created = await gql(member.request, 'mutation($in: CreateShareInput!) { createShare(input: $in) { share { id url approvalState } } }', {
    in: { documentIds: [docId], audience: 'VERIFIED_EMAIL', recipients: ['det.hale@police.example'], needToKnow: NTK, allowDownload: true },
  });
  const share = created.data.createShare.share as { id: string; url: string; approvalState: string };
  expect(share.approvalState).toBe('PENDING');
  await memberContext.close();
  const pending = await gql(page.request, '{ approvals(state: PENDING) { id grantId reasons } }');
  const request = (pending.data.approvals as Array<{ id: string; grantId: string; reasons: string[] }>).find((a) => a.grantId === share.id)!;
  expect(request.reasons).toContain('criminal_intelligence');
  const approved = await gql(page.request, 'mutation($id: ID!) { approveGrant(id: $id, note: "Need to know confirmed") { state } }', { id: request.id });
  expect(approved.data.approveGrant.state).toBe('APPROVED');
  await page.goto(`/shares/${share.id}`);
  await expect(page.getByTestId('share-cji')).toBeVisible();
  await shot(page, 'cfr-share-marked');

  // Editing the share shows its need-to-know statement: it may change, not be emptied.
  await page.getByRole('button', { name: 'Edit conditions' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit share conditions' });
  const statement = edit.getByLabel('Need-to-know and right-to-know statement');
  await expect(statement).toHaveValue(NTK);
  await statement.fill('');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(edit).toContainText('the statement cannot be emptied');
  await statement.scrollIntoViewIfNeeded();
  await shot(page, 'cfr-share-edit-need-to-know');
  await statement.fill(`${NTK} Extended to the surveillance team.`);
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(edit).toBeHidden();
  await expect(page.getByTestId('share-cji')).toContainText('Extended to the surveillance team.');

  // The detective opens it with a code and sees the marking above the viewer.
  const guest = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const g = await guest.newPage();
  await g.goto(share.url);
  await g.getByLabel('Work email address').fill('det.hale@police.example');
  await g.getByRole('button', { name: 'Send me a code' }).click();
  await expect(g.getByRole('heading', { name: 'Check your email' })).toBeVisible();
  const code = await readOutboxCode(page, 'det.hale@police.example');
  await g.getByLabel('6-digit code').fill(code);
  await g.getByRole('button', { name: 'Verify and continue' }).click();
  await g.getByRole('link', { name: /Informant report/ }).click();
  await expect(g.getByTestId('guest-cji')).toBeVisible();
  await expect(g.getByTestId('page-image').first()).toBeVisible();
  await shot(g, 'cfr-guest-viewer');
  await guest.close();

  // The dissemination log: the share and the view.
  await page.goto(`/documents/${docId}/dissemination`);
  await expect(page.getByTestId('dissemination-table').getByRole('row')).toHaveCount(3);
  await shot(page, 'cfr-dissemination-log');
  const csv = await page.request.get(`/documents/${docId}/dissemination/export`);
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toContain('det.hale@police.example');

  // The review page: the six-year-old record is overdue and first.
  await page.goto('/criminal-intelligence');
  await expect(page.getByTestId('cji-row').first()).toContainText('Surveillance log');
  await shot(page, 'cfr-review-due');
  // The documents list labels criminal intelligence in words, with the overdue review.
  await page.goto('/documents');
  const overdueRow = page.getByTestId('documents-table').locator('tr', { hasText: 'Surveillance log' });
  await expect(overdueRow.getByTestId('cji-badge')).toContainText('CJI · 28 CFR Part 23');
  await expect(overdueRow.getByTestId('cji-badge')).toContainText('Review overdue');
  await expect(page.getByTestId('documents-table').locator('tr', { hasText: 'Informant report' }).getByTestId('cji-badge')).toBeVisible();
  await shot(page, 'cfr-documents-cji');
  await page.goto('/criminal-intelligence?status=all');
  await shot(page, 'cfr-review-all');
  // Purge the overdue one from the review page.
  await page.goto('/criminal-intelligence');
  await page.getByTestId('cji-row').first().getByTestId('cji-purge').click();
  await page.getByLabel('Reason for the purge').fill('Five-year review: case 19-044 closed, no longer relevant.');
  await shot(page, 'cfr-purge-dialog');
  await page.getByRole('button', { name: 'Purge content' }).click();
  // The purge finishes (the dialog closes) before the page is left: leaving at once raced it.
  await expect(page.getByRole('dialog')).toHaveCount(0, { timeout: 20_000 });
  await expect(async () => {
    await page.goto('/criminal-intelligence?status=purged');
    await expect(page.getByTestId('cji-row')).toHaveCount(1, { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await shot(page, 'cfr-review-purged');
  await page.getByTestId('cji-row').getByRole('link').first().click();
  await expect(page.getByTestId('cji-banner')).toContainText('purged');
  await shot(page, 'cfr-document-purged');

  // An auditor sees the review page without the decisions.
  const aud = await browser.newContext();
  const a = await aud.newPage();
  await signIn(a, 'auditor', '/');
  await a.goto('/criminal-intelligence?status=all');
  await expect(a.getByTestId('cji-purge')).toHaveCount(0);
  await shot(a, 'cfr-review-auditor');
  await aud.close();
});
