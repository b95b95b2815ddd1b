import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { decodeJwt } from 'jose';
import { tinyPdf } from '../helpers/tiny-pdf';
import { E2E_PORT } from './env';
import { shot, signIn } from './helpers';

const BASE = `http://localhost:${E2E_PORT}`;

/** Runs tests/e2e/seed-editing.ts against the running server's database (see there). */
async function seed(...args: string[]) {
  const tsx = path.join(process.cwd(), 'node_modules', '.bin', 'tsx');
  const { stdout } = await promisify(execFile)(tsx, ['tests/e2e/seed-editing.ts', ...args], { env: { ...process.env, E2E_PORT: String(E2E_PORT) } });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, string>;
}

test.use({ deviceScaleFactor: 2 });

test('edit permission: a guest proposes a version, staff accept it; the share page shows the notes and their history', async ({ page, request }) => {
  const title = 'Master services agreement';
  const { documentId, shareId, link } = await seed('share', title);

  // The guest, through the guest API: a session, then the marked-up file.
  const session = await request.post(`${BASE}/api/portal/v1/sessions`, { data: { link } });
  expect(session.status()).toBe(201);
  const token = (await session.json()).access_token as string;
  const up = await request.post(`${BASE}/api/portal/v1/documents/${documentId}/proposals`, {
    headers: { authorization: `Bearer ${token}` },
    multipart: { note: 'Clause 4 struck; see the margin note on page 1.', file: { name: 'msa-marked-up.pdf', mimeType: 'application/pdf', buffer: tinyPdf('Master services agreement, marked up') } },
  });
  expect(up.status()).toBe(201);
  const proposal = await up.json();
  expect(proposal.state).toBe('PENDING');
  await seed('notes', shareId, String(decodeJwt(token).sub));

  await signIn(page, 'admin');
  await page.goto(`/documents/${documentId}#proposals`);
  const panel = page.getByRole('region', { name: /Proposed versions/ });
  await expect(panel).toContainText('msa-marked-up.pdf');
  await expect(panel).toContainText('Waiting for decision');
  await expect(panel).toContainText('Clause 4 struck');
  await panel.scrollIntoViewIfNeeded();
  await shot(page, 'editing-document-proposals');

  await panel.getByRole('button', { name: 'Accept' }).click();
  const dialog = page.getByRole('dialog', { name: 'Accept this version?' });
  await expect(dialog.getByLabel('Marking of the new version')).toHaveValue('AMBER');
  await expect(dialog.getByLabel('Marking of the new version')).toContainText('TLP:AMBER (unchanged)');
  await dialog.getByLabel(/Note to the guest/).fill('Agreed with the cap.');
  await shot(page, 'editing-accept-dialog');
  await dialog.getByRole('button', { name: 'Accept as new version' }).click();
  await expect(panel).toContainText('Accepted');
  await expect(panel).toContainText('as v2');
  await expect(page.getByTestId('versions-table')).toContainText('msa-marked-up.pdf');
  await expect(page.getByTestId('versions-table')).toContainText('proposed by the guest; accepted by admin@e2e.liaison.test');
  await shot(page, 'editing-document-accepted');

  // The guest sees the decision.
  const mine = await request.get(`${BASE}/api/portal/v1/documents/${documentId}/proposals`, { headers: { authorization: `Bearer ${token}` } });
  expect((await mine.json())[0]).toMatchObject({ state: 'ACCEPTED', decisionNote: 'Agreed with the cap.' });

  await page.goto(`/shares/${shareId}`);
  const notes = page.getByRole('region', { name: 'Working notes' });
  await expect(notes.getByTestId('note-text')).toContainText('Agreed, subject to a liability cap of <script>alert(1)</script> EUR 2m.');
  await expect(notes.getByTestId('note-history')).toContainText('Demo Admin');
  await expect(page.getByRole('region', { name: 'Proposed versions' })).toContainText('Accepted');
  await notes.getByRole('link', { name: /#1/ }).click();
  await expect(notes).toContainText('Text after update 1');
  await expect(notes.getByTestId('note-text')).toHaveText('Clause 4: we propose to strike the indemnity.');
  await notes.scrollIntoViewIfNeeded();
  await shot(page, 'editing-share-notes');
});
