import pg from 'pg';
import { databaseUrl } from './client';
import { log } from '../log';

/*
 * A few connections for the queries every guest request makes (the session, its share, the current
 * version), run as named prepared statements: the database plans each once per connection instead of on
 * every call. Measured on the guarded path: 0.56 ms a call against 1.15 ms through Prisma's raw query on
 * PostgreSQL, and 1.1 ms against 3.3 ms on the embedded database (docs/BENCHMARKS.md, "Guarded path").
 *
 * Kept on globalThis like the Prisma client: Next bundles route code apart from server.ts.
 */
const g = globalThis as unknown as { __liaisonHotPool?: { url: string; pool: pg.Pool } };

// Prisma stores `timestamp(3)` columns in UTC without a zone; node-postgres would read them as local
// time. int8 comes back as a BigInt, as Prisma gives it. These parsers are this pool's own, not global.
const TIMESTAMP = 1114;
const INT8 = 20;
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === TIMESTAMP) return (s: string) => new Date(`${s.replace(' ', 'T')}Z`);
    if (oid === INT8) return (s: string) => BigInt(s);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export function hotPool(): pg.Pool {
  const url = databaseUrl();
  if (g.__liaisonHotPool?.url === url) return g.__liaisonHotPool.pool;
  void g.__liaisonHotPool?.pool.end().catch(() => undefined);
  const pool = new pg.Pool({
    connectionString: url, max: 6, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30_000, query_timeout: 20_000,
    allowExitOnIdle: true, application_name: 'liaison-guest', types,
  });
  pool.on('error', (err) => log.warn({ err: err.message }, 'guest pool: idle connection lost'));
  pool.on('connect', (client) => client.on('error', (err) => log.debug({ err: err.message }, 'guest pool: connection lost in use')));
  g.__liaisonHotPool = { url, pool };
  return pool;
}

/** Runs a named prepared statement (the name must always go with the same text). */
export async function preparedQuery<T>(name: string, text: string, values: unknown[]): Promise<T[]> {
  const res = await hotPool().query({ name, text, values });
  return res.rows as T[];
}

export async function closeHotPool(): Promise<void> {
  const cur = g.__liaisonHotPool;
  g.__liaisonHotPool = undefined;
  await cur?.pool.end();
}
