import type pg from 'pg';
import { AppError, isDatabaseDown } from '../errors';
import { log } from '../log';
import { appendBatch, type BatchPhase } from './append';
import type { Appended, Draft } from './draft';
import { auditPool } from './pool';

/*
 * Group commit. Events for one organisation that arrive while its previous batch is committing wait
 * together and are appended by the next batch, in arrival order, in one transaction; each caller's
 * promise then settles with its own {id, hash, seq}. Under a burst this turns N lock round trips and N
 * transactions into a handful, and keeps the audit off the connection pool everyone else queues for.
 * Batches of different organisations commit side by side, up to the audit pool's size.
 */

/** Most events in one batch (one multi-row insert of ≤ 500 rows stays a few milliseconds). */
export const MAX_BATCH = 500;
/** Most events waiting in this process, all organisations together. Past it, callers are refused at once. */
export const MAX_QUEUED = 10_000;
/** What a refused caller is told to wait before trying again. */
export const RETRY_AFTER_SECONDS = 2;

interface Pending { draft: Draft; resolve(a: Appended): void; reject(e: unknown): void }
interface OrgQueue { pending: Pending[]; running: boolean }
interface State { queues: Map<string, OrgQueue>; queued: number; stats: AuditPipelineStats }

/** Counters since the process started, for benchmarks, tests and diagnostics. */
export interface AuditPipelineStats { batches: number; events: number; largestBatch: number; retries: number; failedBatches: number; refused: number }

// On globalThis so that Next's bundles and server.ts feed one queue per organisation.
const g = globalThis as unknown as { __liaisonAuditQueue?: State };
const state = (): State => (g.__liaisonAuditQueue ??= {
  queues: new Map(), queued: 0, stats: { batches: 0, events: 0, largestBatch: 0, retries: 0, failedBatches: 0, refused: 0 },
});

export const auditPipelineStats = (): AuditPipelineStats & { queued: number } => ({ ...state().stats, queued: state().queued });

/** Joins the organisation's next batch; settles when that batch has committed or failed. */
export function enqueue(draft: Draft): Promise<Appended> {
  const s = state();
  if (s.queued >= MAX_QUEUED) {
    s.stats.refused++;
    log.warn({ orgId: draft.orgId, type: draft.type, queued: s.queued }, 'audit queue full: event refused');
    return Promise.reject(new AppError('audit_unavailable', 'The audit trail is busy and could not record this action, so it was not carried out. Try again shortly.', { retryAfterSeconds: RETRY_AFTER_SECONDS }));
  }
  let q = s.queues.get(draft.orgId);
  if (!q) s.queues.set(draft.orgId, (q = { pending: [], running: false }));
  s.queued++;
  const settled = new Promise<Appended>((resolve, reject) => q.pending.push({ draft, resolve, reject }));
  if (!q.running) {
    q.running = true;
    // Start on the next turn of the event loop, so that callers arriving in this one join the first batch.
    setImmediate(() => void drain(draft.orgId, q));
  }
  return settled;
}

/** Commits the organisation's queue batch after batch until it is empty. Never throws. */
async function drain(orgId: string, q: OrgQueue) {
  const s = state();
  try {
    while (q.pending.length) {
      const batch = q.pending.splice(0, MAX_BATCH);
      try {
        const appended = await commitWithRetry(orgId, batch.map((p) => p.draft));
        s.stats.batches++;
        s.stats.events += batch.length;
        s.stats.largestBatch = Math.max(s.stats.largestBatch, batch.length);
        batch.forEach((p, i) => p.resolve(appended[i]));
      } catch (e) {
        s.stats.failedBatches++;
        fail(orgId, batch, e);
      } finally {
        s.queued -= batch.length;
      }
    }
  } catch (e) {
    // Unreachable unless the code above has a bug; even then no caller is left waiting.
    const left = q.pending.splice(0);
    s.queued -= left.length;
    fail(orgId, left, e);
  } finally {
    // Same turn of the event loop as the loop's last check: no event can have arrived in between.
    q.running = false;
    if (s.queues.get(orgId) === q) s.queues.delete(orgId);
  }
}

// Lock or statement timeout, serialization failure, deadlock: the transaction was rolled back and
// nothing was written, so trying once more is safe. So is a unique violation, which would mean the
// head moved under the lock (it cannot).
const TRANSIENT = new Set(['55P03', '57014', '40001', '40P01', '23505']);

async function commitWithRetry(orgId: string, drafts: Draft[]): Promise<Appended[]> {
  const phase: BatchPhase = { at: 'connect' };
  try {
    return await commitOnce(orgId, drafts, phase);
  } catch (first) {
    const next = await afterFailure(first, phase, drafts);
    if (next === 'committed') return phase.appended!;
    if (next === 'fail') throw first;
    state().stats.retries++;
    log.warn({ orgId, events: drafts.length, phase: phase.at, err: (first as Error).message }, 'audit batch failed; retrying once');
    return commitOnce(orgId, drafts, { at: 'connect' });
  }
}

async function commitOnce(orgId: string, drafts: Draft[], phase: BatchPhase): Promise<Appended[]> {
  const client = await auditPool().connect();
  try {
    const out = await appendBatch(client, orgId, drafts, phase);
    client.release();
    return out;
  } catch (e) {
    await discard(client, e);
    throw e;
  }
}

/** Rolls back what can be rolled back; a connection in an unknown state is closed, not reused. */
async function discard(client: pg.PoolClient, e: unknown) {
  if (isDatabaseDown(e) || !isPgError(e)) { client.release(e instanceof Error ? e : true); return; }
  try {
    await client.query('ROLLBACK');
    client.release();
  } catch (rollbackError) {
    client.release(rollbackError instanceof Error ? rollbackError : true);
  }
}

const isPgError = (e: unknown): e is { code: string } =>
  typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' && /^[0-9A-Z]{5}$/.test((e as { code: string }).code);

const isPoolTimeout = (e: unknown) => e instanceof Error && /timeout exceeded when trying to connect/i.test(e.message);

/**
 * A retry must never write a batch twice. Before COMMIT was sent nothing can have been committed, so a
 * transient refusal or a lost connection may be retried. After it, the outcome is unknown: ask the
 * database whether the batch is there. Present means it committed, and its callers must not be told
 * it failed; absent means it did not, and one retry is safe; no answer means fail.
 */
async function afterFailure(e: unknown, phase: BatchPhase, drafts: Draft[]): Promise<'retry' | 'committed' | 'fail'> {
  if (phase.at !== 'commit') {
    return isDatabaseDown(e) || isPoolTimeout(e) || (isPgError(e) && TRANSIENT.has(e.code)) ? 'retry' : 'fail';
  }
  try {
    const { rows } = await auditPool().query<{ n: number }>('SELECT count(*)::int AS n FROM "AuditEvent" WHERE id = $1', [drafts[0].id]);
    return rows[0].n > 0 ? 'committed' : 'retry';
  } catch {
    return 'fail';
  }
}

/** Every caller in a failed batch gets an error of its own, and the loss is in the log. */
function fail(orgId: string, batch: Pending[], e: unknown) {
  const down = isDatabaseDown(e);
  log.error({ orgId, events: batch.length, err: (e as Error)?.message, code: (e as { code?: unknown })?.code },
    down ? 'audit batch failed: database unavailable' : 'audit batch failed');
  for (const p of batch) {
    // The event itself, so that what could not be recorded in the trail is at least in the log.
    log.warn({ orgId, type: p.draft.type, actor: p.draft.actor, shareId: p.draft.shareId, documentId: p.draft.documentId,
      outcome: p.draft.outcome, reason: p.draft.reason, at: p.draft.at }, 'audit event not recorded');
    p.reject(down
      ? new AppError('database_unavailable', 'The database is unavailable. Try again shortly.', { retryAfterSeconds: RETRY_AFTER_SECONDS, cause: e })
      : new AppError('audit_unavailable', 'The audit trail could not record this action, so it was not carried out. Try again shortly.', { retryAfterSeconds: RETRY_AFTER_SECONDS, cause: e }));
  }
}
