import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { verifyApiKey } from '../../lib/auth/api-keys';
import { recordAudit } from '../../lib/audit/record';
import { SCOPES } from '../../lib/auth/scopes';
import { createOrg } from '../helpers/factory';

const root = path.resolve(import.meta.dirname, '../..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-cli-test-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

interface Run { code: number | null; stdout: string; stderr: string; lines: string[] }
/** Runs the real CLI entry (`npx liaison` = bin/liaison.mjs) against the test database. */
function liaison(...args: string[]): Promise<Run> {
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
    child.on('close', (code) => resolve({ code, stdout, stderr, lines: stdout.trimEnd().split('\n') }));
  });
}

describe('liaison CLI', () => {
  it('migrate: reports an up-to-date database', async () => {
    const r = await liaison('migrate');
    expect(r.code, r.stderr).toBe(0);
    const folders = fs.readdirSync(path.join(root, 'prisma/migrations'), { withFileTypes: true }).filter((d) => d.isDirectory()).length;
    expect(r.stdout.trim()).toBe(`database is up to date (${folders} migrations)`);
  });

  it('apikey create: prints the key alone on its last line, with every staff scope by default', async () => {
    const org = await createOrg();
    const r = await liaison('apikey', 'create', '--org', org.slug, '--name', 'ci');
    expect(r.code, r.stderr).toBe(0);
    const key = r.lines.at(-1)!;
    expect(key).toMatch(/^lsn_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
    const row = await verifyApiKey(key);
    expect(row).toMatchObject({ orgId: org.id, name: 'ci', revokedAt: null });
    expect([...row.scopes].sort()).toEqual([...SCOPES].sort());
    // The key is shown once and never stored: only its prefix appears elsewhere.
    expect(r.lines.slice(0, -1).join('\n')).not.toContain(key);
    expect(r.stdout).toContain(row.prefix);
    const ev = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: org.id, type: 'apikey.create' } });
    expect(ev).toMatchObject({ actorType: 'system', actor: 'liaison cli' });
    expect(ev.details).toMatchObject({ keyId: row.id, name: 'ci' });
  });

  it('apikey create --scopes limits the key', async () => {
    const org = await createOrg();
    const r = await liaison('apikey', 'create', '--org', org.slug, '--name', 'auditor bot', '--scopes', 'audit:read');
    expect(r.code, r.stderr).toBe(0);
    expect((await verifyApiKey(r.lines.at(-1)!)).scopes).toEqual(['audit:read']);
    const r2 = await liaison('apikey', 'create', '--org', org.slug, '--name', 'two', '--scopes', 'documents:read, documents:write');
    expect(r2.code, r2.stderr).toBe(0);
    expect((await verifyApiKey(r2.lines.at(-1)!)).scopes).toEqual(['documents:read', 'documents:write']);
  });

  it('apikey create: usage errors exit 2 and create nothing', async () => {
    const org = await createOrg();
    const unknownOrg = await liaison('apikey', 'create', '--org', 'no-such-org-slug', '--name', 'ci');
    expect(unknownOrg.code).toBe(2);
    expect(unknownOrg.stderr).toContain('No organisation with slug "no-such-org-slug"');
    const badScope = await liaison('apikey', 'create', '--org', org.slug, '--name', 'ci', '--scopes', 'root');
    expect(badScope.code).toBe(2);
    expect(badScope.stderr).toMatch(/Scopes must be among/);
    const missingName = await liaison('apikey', 'create', '--org', org.slug);
    expect(missingName.code).toBe(2);
    const unknownCmd = await liaison('frobnicate');
    expect(unknownCmd.code).toBe(2);
    expect(unknownCmd.stderr).toContain('Usage: liaison');
    expect(await prisma().apiKey.count({ where: { orgId: org.id } })).toBe(0);
  });

  it('audit verify: ok on an intact chain, exit 1 naming the first tampered event', async () => {
    const org = await createOrg();
    for (let i = 0; i < 4; i++) await recordAudit({ orgId: org.id, type: 'test.cli', actor: { type: 'system', label: 'test' }, details: { i } });
    const ok = await liaison('audit', 'verify', '--org', org.slug);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout.trim()).toBe('ok 4 events');

    const third = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: org.id, seq: 3 } });
    // Someone with direct database access disables the append-only trigger and edits a row.
    await prisma().$transaction([
      prisma().$executeRawUnsafe('ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_immutable"'),
      prisma().$executeRaw`UPDATE "AuditEvent" SET details = '{"i": 99}'::jsonb WHERE id = ${third.id}`,
      prisma().$executeRawUnsafe('ALTER TABLE "AuditEvent" ENABLE TRIGGER "AuditEvent_immutable"'),
    ]);
    const broken = await liaison('audit', 'verify', '--org', org.slug);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`broken at event ${third.id}`);
    expect(broken.stdout).toContain('seq 3');
    expect(broken.stdout).toContain('2 events verified before it');
  });

  it('audit verify: unknown organisation exits 2', async () => {
    const r = await liaison('audit', 'verify', '--org', 'no-such-org-slug');
    expect(r.code).toBe(2);
  });
});
