import pg from 'pg';
import { databaseUrl } from '../db/client';
import { log } from '../log';

/*
 * The audit pipeline's own few connections, beside Prisma's pool. A burst of requests can hold every
 * Prisma connection while each waits for its audit event; if the batch that would record those events
 * had to queue for one of the same connections, the burst would time out (the P2028 failures the pipeline
 * was built to end). Raw node-postgres also avoids Prisma's per-row cost when verifying a long chain.
 *
 * Kept on globalThis like the Prisma client: Next bundles route code apart from server.ts, and one
 * process should have one audit pool.
 */
const g = globalThis as unknown as { __liaisonAuditPool?: { url: string; pool: pg.Pool } };

/** Connections for batch commits (one per organisation at a time) and for verification. */
export const AUDIT_POOL_SIZE = 4;

export function auditPool(): pg.Pool {
  const url = databaseUrl();
  if (g.__liaisonAuditPool?.url === url) return g.__liaisonAuditPool.pool;
  // The database moved (a restarted embedded database gets a new port): drop the old pool.
  void g.__liaisonAuditPool?.pool.end().catch(() => undefined);
  const pool = new pg.Pool({
    connectionString: url,
    max: AUDIT_POOL_SIZE,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
    // A client-side bound as well as the server's statement_timeout: a database that stops answering
    // (a dead network, or the embedded database busy with another connection's long transaction) must
    // not hold callers forever.
    query_timeout: 20_000,
    // Idle audit connections never keep a CLI run or a test process alive.
    allowExitOnIdle: true,
    application_name: 'liaison-audit',
  });
  // An idle connection that breaks (database restarted) is dropped by the pool; without a listener the
  // 'error' event would crash the process.
  pool.on('error', (err) => log.warn({ err: err.message }, 'audit pool: idle connection lost'));
  // The pool listens only to idle connections. One that breaks while checked out also fails its query,
  // which the caller handles; this listener keeps the client's 'error' event from crashing the process.
  pool.on('connect', (client) => client.on('error', (err) => log.debug({ err: err.message }, 'audit pool: connection lost in use')));
  g.__liaisonAuditPool = { url, pool };
  return pool;
}

/** Closes the audit connections (server shutdown). The next audit call opens a new pool. */
export async function closeAuditPool(): Promise<void> {
  const cur = g.__liaisonAuditPool;
  g.__liaisonAuditPool = undefined;
  await cur?.pool.end();
}
