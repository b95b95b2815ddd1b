import crypto from 'node:crypto';
import { isDatabaseDown } from '../errors';
import { log } from '../log';
import { DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import { claimDue } from './claim';
import { settle, type Settled } from './complete';
import { onEnqueue } from './enqueue';
import { queueHandlers } from './registry';
import { PermanentError, type ClaimedItem, type QueueHandler } from './types';

export interface WorkerOptions {
  /** The kinds this worker does; default every handler registered when it starts. */
  handlers?: Map<string, QueueHandler>;
  /** Poll interval when idle. */
  pollMs?: number;
  /** Items claimed and worked on at once. */
  batchSize?: number;
  /** How long a claim holds an item. A run must finish well within it (mail and webhooks time out after 60 s at most). */
  leaseMs?: number;
  backoff?: BackoffOptions;
  /** Name in logs. */
  name?: string;
  /** Only these organisations' work (a dedicated worker; tests that share one database). Default: all. */
  orgIds?: string[];
}

/**
 * Claims due items from the durable queue and works on them: on a timer (pollMs), at once when this
 * process enqueues something, and until nothing is due. Safe to run in several processes against
 * one PostgreSQL: claims never overlap (see claimDue), and each outcome is stored only by the claim
 * that still holds the lease.
 */
export class QueueWorker {
  readonly name: string;
  private readonly handlers: Map<string, QueueHandler>;
  private readonly pollMs: number;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly backoff: BackoffOptions;
  private readonly orgIds?: string[];
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private unsubscribe: (() => void) | null = null;

  constructor(opts: WorkerOptions = {}) {
    // The live registry: a kind registered after the worker started is picked up at its next claim.
    this.handlers = opts.handlers ?? queueHandlers();
    this.pollMs = opts.pollMs ?? 2_000;
    this.batchSize = opts.batchSize ?? 5;
    this.leaseMs = opts.leaseMs ?? 5 * 60_000;
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
    this.orgIds = opts.orgIds;
    this.name = opts.name ?? `worker-${crypto.randomBytes(3).toString('hex')}`;
  }

  start(): this {
    if (!this.stopped) return this;
    this.stopped = false;
    this.unsubscribe = onEnqueue(() => this.kick());
    this.schedule(0);
    return this;
  }

  /** Stops claiming, then waits for the items in hand (at most `graceMs`; unfinished ones are re-claimed when their lease runs out). */
  async stop(graceMs = 15_000): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.running) await Promise.race([this.running, new Promise((r) => setTimeout(r, graceMs).unref())]);
  }

  /** Work now rather than at the next poll (coalesced while a round runs). */
  kick() {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(20);
  }

  private schedule(ms: number) {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.round(), ms);
    this.timer.unref();
  }

  private async round() {
    this.timer = null;
    if (this.running) return;
    this.running = (async () => {
      try {
        do {
          this.again = false;
          while (!this.stopped && (await this.runOnce()) > 0) { /* keep going while items are due */ }
        } while (this.again && !this.stopped);
      } catch (e) {
        if (isDatabaseDown(e)) log.warn({ worker: this.name }, 'queue: database unavailable; retrying at the next poll');
        else log.error({ err: e, worker: this.name }, 'queue: round failed');
      }
    })();
    await this.running;
    this.running = null;
    this.schedule(this.pollMs);
  }

  /** Claims one batch and works on it; returns how many items it took. Tests call it directly. */
  async runOnce(): Promise<number> {
    const items = await claimDue({ kinds: [...this.handlers.keys()], limit: this.batchSize, leaseMs: this.leaseMs, orgIds: this.orgIds });
    await Promise.all(items.map((it) => this.work(it)));
    return items.length;
  }

  /** Runs until nothing is due (tests, the CLI). */
  async drain(maxRounds = 1000): Promise<number> {
    let total = 0;
    for (let i = 0; i < maxRounds; i++) {
      const n = await this.runOnce();
      if (!n) break;
      total += n;
    }
    return total;
  }

  private async work(item: ClaimedItem): Promise<Settled> {
    const handler = this.handlers.get(item.kind)!;
    let result: { ok: true; value: unknown } | { ok: false; error: unknown };
    if (item.attempts > item.maxAttempts) {
      // Only a run that never reported back gets here (its worker died holding the lease, maybe on
      // this very item): stop rather than crash every instance in turn.
      result = { ok: false, error: new PermanentError(`gave up after ${item.maxAttempts} attempts; the last one did not finish`) };
    } else {
      try {
        result = { ok: true, value: await handler.run(item) };
      } catch (error) {
        result = { ok: false, error };
      }
    }
    try {
      const settled = await settle(handler, item, result, this.backoff);
      const level = settled === 'failed' ? 'warn' : 'debug';
      log[level]({ id: item.id, kind: item.kind, attempt: item.attempts, settled, worker: this.name, ...(result.ok ? {} : { error: String((result.error as Error)?.message ?? result.error) }) }, 'queue item settled');
      return settled;
    } catch (e) {
      // The outcome could not be stored (database down): the lease runs out and the item is tried again.
      log.error({ err: e, id: item.id, kind: item.kind }, 'queue: could not store an outcome');
      return 'lease_lost';
    }
  }
}
