import type { Tx } from '../db/client';

/** A row the worker claimed: it holds the lease until lockedUntil. */
export interface ClaimedItem {
  id: string;
  kind: string;
  /** Including this one: the first run has attempts = 1. */
  attempts: number;
  maxAttempts: number;
  payload: unknown;
  leaseId: string;
}

export type Outcome<R> =
  | { ok: true; result: R }
  | { ok: false; error: Error; final: boolean };

/** How one kind of work is done. `run` works outside any transaction; `record` runs inside the one that stores the outcome. */
export interface QueueHandler<R = unknown> {
  kind: string;
  run(item: ClaimedItem): Promise<R>;
  /** Writes the outcome's details (a mail's sentAt, a delivery's HTTP status) with the item's new state. */
  record?(tx: Tx, item: ClaimedItem, outcome: Outcome<R>): Promise<void>;
}

/**
 * A failure that retrying cannot fix (an SMTP 5xx, a webhook URL that now points at a private
 * address): the item is marked FAILED at once instead of being retried.
 */
export class PermanentError extends Error {
  readonly permanent = true;
  constructor(message: string, opts: { cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'PermanentError';
  }
}

/** A transient failure whose counterpart said when to come back (HTTP 429 Retry-After). */
export class RetryLaterError extends Error {
  constructor(message: string, readonly retryAfterMs: number) {
    super(message);
    this.name = 'RetryLaterError';
  }
}

export const isPermanent = (e: unknown) => e instanceof PermanentError || (typeof e === 'object' && e !== null && (e as { permanent?: unknown }).permanent === true);
