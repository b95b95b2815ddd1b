import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { verifyAuditChain } from '../../lib/audit/verify';
import { createDocument } from '../../lib/documents/service';
import { createShare, revokeShare } from '../../lib/shares/service';
import { updateRetentionPolicy } from '../../lib/retention/policy';
import { createOrg, createStaff, fileFrom, tinyPdf } from '../helpers/factory';

const root = path.resolve(import.meta.dirname, '../..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-retention-cli-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/** Runs the real CLI entry (`npx liaison` = bin/liaison.mjs) against the test database. */
function liaison(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = {
      NODE_ENV: 'test', PATH: process.env.PATH, HOME: process.env.HOME,
      DATABASE_URL: inject('databaseUrl'), LIAISON_MASTER_KEY: 'b'.repeat(64), LIAISON_DATA_DIR: dataDir, LIAISON_LOG_LEVEL: 'warn',
    };
    const child = spawn(process.execPath, [path.join(root, 'bin/liaison.mjs'), ...args], { cwd: os.tmpdir(), env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('liaison retention run', { timeout: 240_000 }, () => {
  it('--dry-run lists what would go and changes nothing; without it, the share is purged and recorded', async () => {
    const org = await createOrg('CLI Retention');
    const { principal } = await createStaff(org.id, 'ADMIN');
    const doc = await createDocument(principal, fileFrom(tinyPdf('x'), 'x.pdf', 'application/pdf'), { title: 'Tender dossier', tlp: 'GREEN' }, 1e7);
    const { share } = await createShare(principal, { documentIds: [doc.id] });
    await revokeShare(principal, share.id, 'done');
    await prisma().share.update({ where: { id: share.id }, data: { revokedAt: new Date(Date.now() - 3 * 86_400_000) } });
    await updateRetentionPolicy(principal, { enabled: true, tlpRules: { GREEN: { shareDays: 1 } } });
    const head = await prisma().auditEvent.count({ where: { orgId: org.id } });

    const dry = await liaison('retention', 'run', '--dry-run', '--org', org.slug);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`${org.slug}: dry run: would purge share ${share.id} "Tender dossier" (revoked`);
    expect(dry.stdout).toContain(`${org.slug}: dry run: 0 documents, 1 shares, 0 guests, 0 sessions; nothing was changed`);
    expect(await prisma().share.count({ where: { id: share.id } })).toBe(1);
    expect(await prisma().auditEvent.count({ where: { orgId: org.id } })).toBe(head);

    const real = await liaison('retention', 'run', '--org', org.slug);
    expect(real.code, real.stderr).toBe(0);
    expect(real.stdout).toContain(`${org.slug}: run: purge share ${share.id}`);
    expect(real.stdout).toContain('done: 0 documents and 1 shares purged');
    expect(await prisma().share.count({ where: { id: share.id } })).toBe(0);
    const ev = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: org.id, type: 'retention.purge', shareId: share.id } });
    expect(ev.actor).toBe('liaison cli (retention)');
    expect((await verifyAuditChain(org.id)).ok).toBe(true);

    const unknown = await liaison('retention', 'run', '--org', 'no-such-org-here');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No organisation with slug "no-such-org-here"');
  });
});
