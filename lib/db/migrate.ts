import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

const MIGRATIONS_DIR = path.resolve(process.cwd(), 'prisma/migrations');

const LOCK = `SELECT pg_advisory_xact_lock(hashtextextended('liaison:migrate', 0))`;

export interface MigrationResult { applied: string[]; total: number }

/**
 * Applies prisma/migrations/<name>/migration.sql in order and records each in _prisma_migrations
 * exactly as `prisma migrate deploy` does (checksum = SHA-256 hex of the file), so that
 * `prisma migrate status` agrees wherever Prisma's schema engine is available.
 */
export async function migrate(url: string, dir = MIGRATIONS_DIR): Promise<MigrationResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Instances starting together take turns: each step holds a transaction-scoped advisory lock.
    await client.query('BEGIN');
    await client.query(LOCK);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    await client.query('COMMIT');
    const names = fs.readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, 'migration.sql')))
      .map((d) => d.name)
      .sort();
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`);
    const done = new Map(rows.map((r) => [r.migration_name, r]));
    const applied: string[] = [];
    for (const name of names) {
      const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      const checksum = crypto.createHash('sha256').update(sql).digest('hex');
      const prior = done.get(name);
      if (prior) {
        if (!prior.finished_at) throw new Error(`Migration ${name} failed earlier and needs attention before starting`);
        if (prior.checksum !== checksum) throw new Error(`Migration ${name} was changed after it was applied`);
        continue;
      }
      const id = crypto.randomUUID();
      // Each migration and its record commit together: a failure leaves nothing half-applied.
      await client.query('BEGIN');
      try {
        await client.query(LOCK);
        // Another instance may have applied it while we waited for the lock.
        const again = await client.query(`SELECT 1 FROM "_prisma_migrations" WHERE migration_name = $1 AND rolled_back_at IS NULL AND finished_at IS NOT NULL`, [name]);
        if (again.rowCount) { await client.query('COMMIT'); continue; }
        await client.query(sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), now(), 1)`, [id, checksum, name]);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK');
        throw new Error(`Migration ${name} failed: ${(e as Error).message}`, { cause: e });
      }
      applied.push(name);
    }
    return { applied, total: names.length };
  } finally {
    await client.end();
  }
}
