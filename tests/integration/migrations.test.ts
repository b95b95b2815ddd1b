import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { migrate } from '../../lib/db/migrate';

const root = path.resolve(import.meta.dirname, '../..');
const migrationsDir = path.join(root, 'prisma/migrations');
const folders = fs.readdirSync(migrationsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

let db: pg.Client;
beforeAll(async () => {
  db = new pg.Client({ connectionString: inject('databaseUrl') });
  await db.connect();
});
afterAll(async () => { await db.end(); });

/** A scratch copy of prisma/migrations that a test may change. */
function copyMigrations(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-migrations-'));
  fs.cpSync(migrationsDir, dir, { recursive: true });
  return dir;
}

describe('migrations', () => {
  it('are laid out as Prisma expects', () => {
    expect(folders.length).toBeGreaterThan(0);
    for (const f of folders) {
      expect(f).toMatch(/^\d{14}_[a-z0-9_]+$/);
      expect(fs.existsSync(path.join(migrationsDir, f, 'migration.sql'))).toBe(true);
    }
    expect(fs.readFileSync(path.join(migrationsDir, 'migration_lock.toml'), 'utf8')).toMatch(/provider\s*=\s*"postgresql"/);
  });

  it('are recorded in _prisma_migrations the way prisma migrate deploy records them', async () => {
    const { rows } = await db.query('SELECT * FROM "_prisma_migrations" ORDER BY migration_name');
    const real = rows.filter((r) => folders.includes(r.migration_name));
    expect(real.map((r) => r.migration_name)).toEqual(folders);
    expect(real).toHaveLength(folders.length); // one row per folder, no duplicates
    for (const r of real) {
      expect(r.checksum).toBe(sha(path.join(migrationsDir, r.migration_name, 'migration.sql')));
      expect(r.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.finished_at).toBeInstanceOf(Date);
      expect(r.started_at).toBeInstanceOf(Date);
      expect(r.rolled_back_at).toBeNull();
      expect(r.applied_steps_count).toBe(1);
      expect(r.logs).toBeNull();
    }
    // The column layout Prisma's engine reads.
    const cols = await db.query(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '_prisma_migrations' AND table_schema = current_schema() ORDER BY column_name`);
    expect(cols.rows.map((c) => c.column_name)).toEqual(['applied_steps_count', 'checksum', 'finished_at', 'id', 'logs', 'migration_name', 'rolled_back_at', 'started_at']);
  });

  it('running migrate again applies nothing', async () => {
    const before = await db.query('SELECT count(*)::int AS n FROM "_prisma_migrations"');
    expect(await migrate(inject('databaseUrl'), migrationsDir)).toEqual({ applied: [], total: folders.length });
    const after = await db.query('SELECT count(*)::int AS n FROM "_prisma_migrations"');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('refuses a migration whose file changed after it was applied', async () => {
    const dir = copyMigrations();
    try {
      fs.appendFileSync(path.join(dir, folders[0], 'migration.sql'), '\n-- edited later\n');
      await expect(migrate(inject('databaseUrl'), dir)).rejects.toThrow(`Migration ${folders[0]} was changed after it was applied`);
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });

  it('applies a failing migration not at all: no table, no record', async () => {
    const dir = copyMigrations();
    const name = '29991231000000_broken_test';
    const table = `liaison_broken_${crypto.randomBytes(4).toString('hex')}`;
    try {
      fs.mkdirSync(path.join(dir, name));
      fs.writeFileSync(path.join(dir, name, 'migration.sql'), `CREATE TABLE "${table}" (id int);\nSELECT 1/0;\n`);
      await expect(migrate(inject('databaseUrl'), dir)).rejects.toThrow(`Migration ${name} failed`);
      const t = await db.query('SELECT to_regclass($1) AS t', [`"${table}"`]);
      expect(t.rows[0].t).toBeNull();
      expect((await db.query('SELECT count(*)::int AS n FROM "_prisma_migrations" WHERE migration_name = $1', [name])).rows[0].n).toBe(0);
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });

  it('applies a new migration once and records it', async () => {
    const dir = copyMigrations();
    const name = `29991231000001_added_${crypto.randomBytes(3).toString('hex')}`;
    const table = `liaison_added_${crypto.randomBytes(4).toString('hex')}`;
    const sql = `CREATE TABLE "${table}" (id int PRIMARY KEY);\n`;
    try {
      fs.mkdirSync(path.join(dir, name));
      fs.writeFileSync(path.join(dir, name, 'migration.sql'), sql);
      expect(await migrate(inject('databaseUrl'), dir)).toEqual({ applied: [name], total: folders.length + 1 });
      expect(await migrate(inject('databaseUrl'), dir)).toEqual({ applied: [], total: folders.length + 1 });
      const row = (await db.query('SELECT * FROM "_prisma_migrations" WHERE migration_name = $1', [name])).rows;
      expect(row).toHaveLength(1);
      expect(row[0].checksum).toBe(crypto.createHash('sha256').update(sql).digest('hex'));
      expect((await db.query('SELECT to_regclass($1) AS t', [`"${table}"`])).rows[0].t).not.toBeNull();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await db.query(`DROP TABLE IF EXISTS "${table}"`);
      await db.query('DELETE FROM "_prisma_migrations" WHERE migration_name = $1', [name]);
    }
  });

  it('applies a new migration exactly once when several instances start at the same time', async () => {
    const dir = copyMigrations();
    const name = `29991231000003_concurrent_${crypto.randomBytes(3).toString('hex')}`;
    const table = `liaison_concurrent_${crypto.randomBytes(4).toString('hex')}`;
    try {
      fs.mkdirSync(path.join(dir, name));
      fs.writeFileSync(path.join(dir, name, 'migration.sql'), `CREATE TABLE "${table}" (id int);\nSELECT pg_sleep(0.2);\n`);
      const results = await Promise.all([1, 2, 3].map(() => migrate(inject('databaseUrl'), dir)));
      expect(results.flatMap((r) => r.applied)).toEqual([name]);
      expect((await db.query('SELECT count(*)::int AS n FROM "_prisma_migrations" WHERE migration_name = $1', [name])).rows[0].n).toBe(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await db.query(`DROP TABLE IF EXISTS "${table}"`);
      await db.query('DELETE FROM "_prisma_migrations" WHERE migration_name = $1', [name]);
    }
  });

  it('refuses to start over a migration that failed earlier and was left unfinished', async () => {
    const dir = copyMigrations();
    const name = `29991231000002_unfinished_${crypto.randomBytes(3).toString('hex')}`;
    try {
      fs.mkdirSync(path.join(dir, name));
      fs.writeFileSync(path.join(dir, name, 'migration.sql'), 'SELECT 1;\n');
      // What `prisma migrate deploy` leaves after a failure: a row without finished_at.
      await db.query(`INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())`,
        [crypto.randomUUID(), crypto.createHash('sha256').update('SELECT 1;\n').digest('hex'), name]);
      await expect(migrate(inject('databaseUrl'), dir)).rejects.toThrow(/failed earlier and needs attention/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await db.query('DELETE FROM "_prisma_migrations" WHERE migration_name = $1', [name]);
    }
  });

  it('installs the append-only audit trigger', async () => {
    const { rows } = await db.query(`SELECT tgname FROM pg_trigger WHERE tgrelid = '"AuditEvent"'::regclass AND NOT tgisinternal ORDER BY tgname`);
    expect(rows.map((r) => r.tgname)).toEqual(['AuditEvent_immutable', 'AuditEvent_no_truncate']);
  });
});
