import { prisma } from '../db/client';
import { log } from '../log';
import { backoffDelay, type BackoffOptions } from './backoff';
import { isPermanent, RetryLaterError, type ClaimedItem, type Outcome, type QueueHandler } from './types';

/** What the console shows of an error: one line, bounded, no stack. */
export function errorText(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.replace(/\s+/g, ' ').trim().slice(0, 500) || 'Unknown error';
}

export type Settled = 'done' | 'retry' | 'failed' | 'lease_lost';

/**
 * Stores a run's outcome, guarded by the lease: if the lease ran out and another worker claimed the
 * item meanwhile, this worker's late answer changes nothing (`lease_lost`). The handler's own record
 * (a mail's sentAt, a delivery's HTTP status) is written in the same short transaction.
 */
export async function settle<R>(handler: QueueHandler<R>, item: ClaimedItem, result: { ok: true; value: R } | { ok: false; error: unknown }, backoff: BackoffOptions): Promise<Settled> {
  const now = new Date();
  let outcome: Outcome<R>;
  let data: Record<string, unknown>;
  let settled: Settled;
  if (result.ok) {
    outcome = { ok: true, result: result.value };
    data = { status: 'DONE', finishedAt: now, lastError: null };
    settled = 'done';
  } else {
    const error = result.error instanceof Error ? result.error : new Error(String(result.error));
    const final = isPermanent(error) || item.attempts >= item.maxAttempts;
    outcome = { ok: false, error, final };
    if (final) {
      data = { status: 'FAILED', finishedAt: now, lastError: errorText(error) };
      settled = 'failed';
    } else {
      let delay = backoffDelay(item.attempts, backoff);
      if (error instanceof RetryLaterError) delay = Math.max(delay, Math.min(error.retryAfterMs, backoff.capMs));
      data = { status: 'PENDING', nextAttemptAt: new Date(now.getTime() + delay), lastError: errorText(error) };
      settled = 'retry';
    }
  }
  return prisma().$transaction(async (tx) => {
    const { count } = await tx.queueItem.updateMany({
      where: { id: item.id, leaseId: item.leaseId, status: 'RUNNING' },
      data: { ...data, leaseId: null, lockedUntil: null },
    });
    if (count === 0) {
      log.warn({ id: item.id, kind: item.kind }, 'queue: lease lost before the outcome was stored; another worker owns the item');
      return 'lease_lost' as const;
    }
    await handler.record?.(tx, item, outcome);
    return settled;
  });
}
