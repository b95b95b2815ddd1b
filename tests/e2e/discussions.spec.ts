import crypto from 'node:crypto';
import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { tinyPdf } from '../helpers/tiny-pdf';
import { E2E_PORT } from './env';
import { shot, signIn, uploadDocument } from './helpers';
import { runFixtureScript } from './server-data';

test('staff read a guest\'s script payload as text, reply, resolve, answer under a barrier and export the discussion', async ({ page }) => {
  test.setTimeout(180_000);
  let pwned = false;
  page.on('dialog', async (d) => { pwned = true; await d.dismiss(); });
  await signIn(page, 'admin', '/documents');

  const title = `Share purchase agreement ${crypto.randomUUID().slice(0, 6)}`;
  await uploadDocument(page, title, tinyPdf(title), 'spa.pdf');

  // A COMMENT share whose guests are kept apart, from the share form's new real-time section.
  await page.getByRole('link', { name: title }).first().click();
  await page.getByTestId('share-document').click();
  await page.getByRole('radio', { name: /Comment/ }).check();
  await page.getByRole('checkbox', { name: /Keep parties apart/ }).check();
  await shot(page, 'discussions-share-form');
  await page.getByTestId('create-share').click();
  await expect(page.getByTestId('share-created')).toBeVisible();
  await page.getByTestId('open-share').click();
  await page.waitForURL(/\/shares\/[a-z0-9]+$/);
  const shareId = new URL(page.url()).pathname.split('/').pop()!;
  await expect(page.getByTestId('share-collaboration')).toContainText('Parties kept apart');

  const seeded = JSON.parse(runFixtureScript(E2E_PORT, 'tests/e2e/seed-discussions.ts', { args: [shareId] })) as { documentId: string; commentId: string; questionId: string };

  // The share's page holds its threads and questions with their forms (the staff-only thread lives in no grant).
  await page.goto(`/shares/${shareId}`);
  const threads = page.getByTestId('thread');
  await expect(threads).toHaveCount(2);
  const hostile = threads.filter({ hasText: 'Clause 4.2' });
  await expect(hostile.getByTestId('comment-body')).toHaveText('<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> Clause 4.2 conflicts with the indemnity.');
  await expect(hostile.locator('img')).toHaveCount(0);
  await expect(threads.filter({ hasText: 'This figure' }).getByTestId('comment-place')).toHaveText('Page 1 · highlight at 8%, 32% (70% × 4%)');

  // Reply and resolve.
  await hostile.getByRole('button', { name: 'Reply' }).click();
  await hostile.getByLabel('Reply').fill('We will align clause 4.2 with the indemnity.');
  await hostile.getByRole('button', { name: 'Send reply' }).click();
  await expect(hostile.getByRole('list', { name: 'Replies' })).toContainText('We will align clause 4.2');
  await hostile.getByRole('button', { name: 'Resolve' }).click();
  await expect(hostile.getByText('Resolved', { exact: true })).toBeVisible();

  // The question: publishing is not possible under the barrier; a private answer is.
  const question = page.getByTestId('question');
  await expect(question.getByTestId('question-body')).toHaveText('Will the other bidders see our mark-up?');
  await expect(question.getByRole('checkbox', { name: /Publish to every guest/ })).toBeDisabled();
  await question.getByRole('textbox', { name: 'Answer' }).fill('No. Each bidder sees only its own comments and questions.');
  await question.getByRole('button', { name: 'Send answer' }).click();
  await expect(question).toContainText('Answered privately');
  await shot(page, 'discussions-share-page');

  // The document's page: the live discussion shows the same threads as text; staff start a staff-only thread there.
  await page.goto(`/documents/${seeded.documentId}`);
  const live = page.getByTestId('staff-live');
  await expect(live.getByTestId('collab-thread').filter({ hasText: 'This figure' })).toHaveCount(1);
  await live.getByTestId('comment-on-page').click();
  await expect(live.getByLabel('Visible to')).toHaveValue('');
  await live.getByLabel('Comment on the document').fill('Internal: check the indemnity cap with the client.');
  await live.getByRole('button', { name: 'Comment', exact: true }).click();
  await expect(live.getByTestId('collab-thread').filter({ hasText: 'Internal: check' })).toHaveCount(1);
  await expect(live.locator('img')).toHaveCount(0);
  await shot(page, 'discussions-document-page');

  // The export carries the comment verbatim with the hash the trail holds, and the staff-only thread.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-export').click()]);
  const exported = JSON.parse(fs.readFileSync((await download.path())!, 'utf8')) as { comments: Array<{ id: string; body: string; bodySha256: string }>; events: Array<{ type: string; details: { commentId?: string; bodySha256?: string } }> };
  const c = exported.comments.find((x) => x.id === seeded.commentId)!;
  expect(c.body).toContain('<script>window.__pwned=1</script>');
  expect(exported.events.find((e) => e.type === 'comment.created' && e.details.commentId === c.id)?.details.bodySha256).toBe(c.bodySha256);
  expect(exported.comments.some((x) => x.body.startsWith('Internal: check'))).toBe(true);

  expect(pwned).toBe(false);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});
