import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { prisma } from '../../lib/db/client';
import { verifyApiKey } from '../../lib/auth/api-keys';
import { recordAudit } from '../../lib/audit/record';
import { SCOPES } from '../../lib/auth/scopes';
import { createOrg, createStaff } from '../helpers/factory';
import { signInStaff } from '../../lib/auth/staff-auth';
import { verifyAuditChain } from '../../lib/audit/verify';
import { currentSigningKey } from '../../lib/tokens';

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

  // Each case runs the real CLI in a child process (a few seconds each on a busy machine).
  describe('org', { timeout: 180_000 }, () => {
    const uniq = () => crypto.randomBytes(4).toString('hex');

    it('org create: makes the organisation and its admin, prints the slug and a one-time password that signs in', async () => {
      const slug = `acme-${uniq()}`;
      const email = `Root-${uniq()}@Acme.Example`;
      const r = await liaison('org', 'create', '--slug', slug, '--name', 'Acme LLP', '--admin-email', email);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`slug: ${slug}`);
      const password = /^password: (\S+)$/m.exec(r.stdout)?.[1];
      expect(password).toBeDefined();
      expect(password!.length).toBeGreaterThanOrEqual(16);
      const org = await prisma().organization.findUniqueOrThrow({ where: { slug }, include: { staff: true } });
      expect(org.name).toBe('Acme LLP');
      expect(org.staff).toHaveLength(1);
      expect(org.staff[0]).toMatchObject({ email: email.toLowerCase(), role: 'ADMIN', disabledAt: null });
      // Only the PBKDF2 hash is stored, and the printed password is the admin's.
      expect(org.staff[0].passwordHash).toMatch(/^pbkdf2-sha256\$600000\$/);
      expect(org.staff[0].passwordHash).not.toContain(password);
      const who = await signInStaff({ email, password }, { ip: '192.0.2.50', userAgent: 'vitest' });
      expect(who).toMatchObject({ orgId: org.id, role: 'ADMIN' });
      // The new organisation's chain opens with its creation and its admin, made by the CLI.
      const events = await prisma().auditEvent.findMany({ where: { orgId: org.id }, orderBy: { seq: 'asc' } });
      expect(events.slice(0, 2).map((e) => [e.seq, e.type, e.actorType, e.actor])).toEqual([
        [1, 'org.create', 'system', 'liaison cli'], [2, 'staff.create', 'system', 'liaison cli'],
      ]);
      expect(events[0].details).toMatchObject({ slug, name: 'Acme LLP' });
      expect(events[1].details).toMatchObject({ userId: org.staff[0].id, email: email.toLowerCase(), role: 'ADMIN' });
      expect(JSON.stringify(events.map((e) => e.details))).not.toContain(password);
      expect(await verifyAuditChain(org.id)).toMatchObject({ ok: true });
      // Two generated passwords are never the same.
      const r2 = await liaison('org', 'create', '--slug', `acme-${uniq()}`, '--name', 'Acme 2', '--admin-email', `root-${uniq()}@acme.example`);
      expect(r2.code, r2.stderr).toBe(0);
      expect(/^password: (\S+)$/m.exec(r2.stdout)?.[1]).not.toBe(password);
    });

    it('org create --admin-password: uses it and does not print it', async () => {
      const slug = `firm-${uniq()}`;
      const email = `boss-${uniq()}@firm.example`;
      const chosen = 'a long chosen passphrase';
      const r = await liaison('org', 'create', '--slug', slug, '--name', 'Firm', '--admin-email', email, '--admin-password', chosen);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(`slug: ${slug}`);
      expect(r.stdout).not.toContain(chosen);
      expect(r.stdout).not.toMatch(/^password:/m);
      expect(await signInStaff({ email, password: chosen }, { ip: '192.0.2.51', userAgent: 'vitest' })).toMatchObject({ role: 'ADMIN' });
    });

    it('org create: exit 2 and nothing written for a taken or malformed slug, a used email or a short password', async () => {
      const taken = await createOrg();
      const { user } = await createStaff(taken.id, 'MEMBER');
      const ok = { slug: `ok-${uniq()}`, email: `new-${uniq()}@example.test` };
      // The full list of refusals is checked against createOrganization (orgs.test.ts); here, that
      // each kind reaches the operator as exit status 2 with the reason.
      const cases: Array<[string[], RegExp]> = [
        [['--slug', taken.slug, '--name', 'X', '--admin-email', ok.email], /already exists/],
        [['--slug=-Bad_Slug', '--name', 'X', '--admin-email', ok.email], /lowercase letters, digits and hyphens/],
        [['--slug', 'admin', '--name', 'X', '--admin-email', ok.email], /reserved/],
        [['--slug', ok.slug, '--name', 'X', '--admin-email', user.email.toUpperCase()], /already used/],
        [['--slug', ok.slug, '--name', 'X', '--admin-email', ok.email, '--admin-password', 'elevenchars'], /at least 12 characters/],
        [['--slug', ok.slug, '--admin-email', ok.email], /needs --slug/],
        [['--slug', ok.slug, '--name', 'X', '--admin-email', ok.email, '--owner', 'me'], /Unknown option '--owner'/],
      ];
      for (const [args, message] of cases) {
        const r = await liaison('org', 'create', ...args);
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.stderr, args.join(' ')).toMatch(message);
        expect(r.stdout).not.toMatch(/password:/);
      }
      // Other test files write to the same database meanwhile, so "nothing written" is checked by name.
      expect(await prisma().organization.findUnique({ where: { slug: ok.slug } })).toBeNull();
      expect(await prisma().staffUser.findUnique({ where: { email: ok.email } })).toBeNull();
      expect(await prisma().staffUser.count({ where: { orgId: taken.id } })).toBe(1);
      expect(await prisma().organization.count({ where: { slug: { in: ['bad_slug', '-bad_slug', 'admin'] } } })).toBe(0);
    });

    it('org list: slug, name, creation date and staff count of every organisation', async () => {
      const slug = `listed-${uniq()}`;
      expect((await liaison('org', 'create', '--slug', slug, '--name', 'Listed & Co', '--admin-email', `a-${uniq()}@listed.example`, '--admin-password', 'twelve chars!')).code).toBe(0);
      const org = await prisma().organization.findUniqueOrThrow({ where: { slug } });
      await createStaff(org.id, 'MEMBER');
      await createStaff(org.id, 'AUDITOR');
      const before = await prisma().organization.findMany({ select: { slug: true } });
      const r = await liaison('org', 'list');
      expect(r.code, r.stderr).toBe(0);
      expect(r.lines[0]).toMatch(/^SLUG\s+NAME\s+CREATED\s+STAFF$/);
      const line = r.lines.find((l) => l.split(/\s{2,}/)[0] === slug);
      // Said in full when it fails: was the row missing from the query, or the output cut short?
      expect(line, `${r.lines.length} lines, ${r.stdout.length} bytes, slug in output: ${r.stdout.includes(slug)}, still in the database: ${Boolean(await prisma().organization.findUnique({ where: { slug } }))}; stderr: ${r.stderr.slice(0, 500)}`).toBeDefined();
      expect(line!.split(/\s{2,}/)).toEqual([slug, 'Listed & Co', org.createdAt.toISOString().slice(0, 10), '3']);
      const listed = new Set(r.lines.slice(1).map((l) => l.split(/\s{2,}/)[0]));
      for (const o of before) expect(listed.has(o.slug), o.slug).toBe(true);
    });
  });

  describe('keys rotate', { timeout: 180_000 }, () => {
    it('--org rotates that organisation only, audited in its chain', async () => {
      const [a, b] = [await createOrg(), await createOrg()];
      const [ka, kb] = [await currentSigningKey(a.id), await currentSigningKey(b.id)];
      const r = await liaison('keys', 'rotate', '--org', a.slug);
      expect(r.code, r.stderr).toBe(0);
      const rowA = await prisma().signingKey.findFirstOrThrow({ where: { orgId: a.id, rotatedAt: null } });
      expect(rowA.kid).not.toBe(ka.kid);
      expect(r.stdout).toContain(`${a.slug}: new signing key ${rowA.kid}; ${ka.kid} verify until`);
      expect(await prisma().signingKey.findUniqueOrThrow({ where: { kid: ka.kid } })).toMatchObject({ rotatedAt: expect.any(Date), retireAt: expect.any(Date) });
      expect(await prisma().signingKey.findUniqueOrThrow({ where: { kid: kb.kid } })).toMatchObject({ rotatedAt: null, retireAt: null });
      const ev = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: a.id, type: 'signing_key.rotate' } });
      expect(ev).toMatchObject({ actorType: 'system', actor: 'liaison cli', details: expect.objectContaining({ kid: rowA.kid, rotatedKids: [ka.kid] }) });
      expect(await prisma().auditEvent.count({ where: { orgId: b.id, type: 'signing_key.rotate' } })).toBe(0);
      expect((await liaison('keys', 'rotate', '--org', 'no-such-org-slug')).code).toBe(2);
    });

    it('without --org rotates every organisation that has a key, each with its own new key', async () => {
      const [a, b, keyless] = [await createOrg(), await createOrg(), await createOrg()];
      const [ka, kb] = [await currentSigningKey(a.id), await currentSigningKey(b.id)];
      const r = await liaison('keys', 'rotate');
      expect(r.code, r.stderr).toBe(0);
      const [na, nb] = await Promise.all([a, b].map((o) => prisma().signingKey.findFirstOrThrow({ where: { orgId: o.id, rotatedAt: null } })));
      expect(na.kid).not.toBe(ka.kid);
      expect(nb.kid).not.toBe(kb.kid);
      expect(na.kid).not.toBe(nb.kid);
      expect(r.stdout).toContain(`${a.slug}: new signing key ${na.kid}; ${ka.kid} verify until`);
      expect(r.stdout).toContain(`${b.slug}: new signing key ${nb.kid}; ${kb.kid} verify until`);
      for (const [o, k] of [[a, na], [b, nb]] as const) {
        const ev = await prisma().auditEvent.findFirstOrThrow({ where: { orgId: o.id, type: 'signing_key.rotate' } });
        expect(ev.details).toMatchObject({ kid: k.kid });
      }
      // Nothing to rotate: no key is made ahead of need, and nothing is audited.
      expect(r.stdout).toContain(`${keyless.slug}: no signing key yet`);
      expect(await prisma().signingKey.count({ where: { orgId: keyless.id } })).toBe(0);
      expect(await prisma().auditEvent.count({ where: { orgId: keyless.id, type: 'signing_key.rotate' } })).toBe(0);
    });
  });
});
