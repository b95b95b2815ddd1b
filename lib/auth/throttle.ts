import pg from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { createClient } from 'redis';
import { config } from '../config';
import { databaseUrl } from '../db/client';
import { AppError } from '../errors';
import { log } from '../log';

type Limiter = { name: string; limiter: RateLimiterAbstract };
interface FallbackStats { fallbacks: number; byLimiter: Record<string, number>; warnedAt: number }
const newClient = (url: string) => createClient({ url, disableOfflineQueue: true });
const g = globalThis as unknown as {
  __liaisonLimiters?: Map<string, Limiter>;
  __liaisonRedis?: ReturnType<typeof newClient>;
  __liaisonThrottleFallback?: FallbackStats;
  __liaisonLimiterPool?: pg.Pool;
};

/**
 * The process's one Redis client (REDIS_URL), or undefined without Redis; also used by the DPoP replay
 * store and the cache invalidation channel. The offline queue is off: while Redis is unreachable a
 * command fails at once (ClientOfflineError) instead of waiting for the reconnect, so a request is never
 * held hostage by an outage; each caller decides what a failure means (docs/SCALING.md).
 */
export function redisClient() {
  const url = config().REDIS_URL;
  if (!url) return undefined;
  if (!g.__liaisonRedis) {
    const client = newClient(url);
    g.__liaisonRedis = client;
    let down = false;
    client.on('error', (e: Error) => {
      if (down) return;
      down = true;
      log.warn({ err: e.message }, 'Redis unreachable: rate limits are counted in the database, DPoP proofs are refused, caches are off');
    });
    client.on('ready', () => {
      if (down) log.info('Redis reachable again: shared rate limits, replay store and caches resume');
      down = false;
    });
    void client.connect().catch(() => undefined);
  }
  return g.__liaisonRedis;
}

const fallbackStats = () => (g.__liaisonThrottleFallback ??= { fallbacks: 0, byLimiter: {}, warnedAt: 0 });

/** How often shared limits were counted in the database because Redis failed (health, tests). */
export function throttleFallbackStats(): { fallbacks: number; byLimiter: Record<string, number> } {
  const s = fallbackStats();
  return { fallbacks: s.fallbacks, byLimiter: { ...s.byLimiter } };
}

const fallbackPool = () => (g.__liaisonLimiterPool ??= new pg.Pool({
  connectionString: databaseUrl(), max: 3, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30_000, allowExitOnIdle: true, application_name: 'liaison-rate-limits',
}));

/**
 * rate-limiter-flexible's insuranceLimiter, answered by the database (the rate_limit_counters table)
 * while Redis fails: every instance still counts in one place, so a limit stays one limit and is not
 * multiplied by the number of instances. The counts start afresh when an outage begins (the Redis
 * counters cannot be read), which is at most one more window of attempts. Each fallback is counted and
 * logged at most once a minute; if the database fails too, the limiter's error refuses (takeAttempt).
 */
class DatabaseInsurance extends RateLimiterPostgres {
  constructor(private readonly limiterName: string, opts: { keyPrefix: string; points: number; duration: number; blockDuration: number }) {
    super({ ...opts, storeClient: fallbackPool(), storeType: 'pool', tableName: 'rate_limit_counters', tableCreated: true, clearExpiredByTimeout: false });
  }

  private note() {
    const s = fallbackStats();
    s.fallbacks++;
    s.byLimiter[this.limiterName] = (s.byLimiter[this.limiterName] ?? 0) + 1;
    if (Date.now() - s.warnedAt > 60_000) {
      s.warnedAt = Date.now();
      log.warn({ limiter: this.limiterName, fallbacks: s.fallbacks }, 'shared rate limit counted in the database: Redis failed');
    }
  }

  override consume(key: string | number, points?: number, options?: { [key: string]: unknown }) { this.note(); return super.consume(key, points, options); }
  override get(key: string | number, options?: { [key: string]: unknown }) { this.note(); return super.get(key, options); }
  override reward(key: string | number, points?: number, options?: { [key: string]: unknown }) { this.note(); return super.reward(key, points, options); }
  override penalty(key: string | number, points?: number, options?: { [key: string]: unknown }) { this.note(); return super.penalty(key, points, options); }
}

/**
 * A named attempt counter: `points` attempts per `duration` seconds, then blocked for `blockSeconds`.
 * Shared through Redis when REDIS_URL is set, so several instances count together; while Redis fails,
 * shared through the database instead (DatabaseInsurance).
 */
export function failureLimiter(name: string, points: number, duration: number, blockSeconds = duration): RateLimiterAbstract {
  g.__liaisonLimiters ??= new Map();
  const existing = g.__liaisonLimiters.get(name);
  if (existing) return existing.limiter;
  const opts = { keyPrefix: `liaison:${name}`, points, duration, blockDuration: blockSeconds };
  const redis = redisClient();
  const limiter = redis
    ? new RateLimiterRedis({ ...opts, storeClient: redis, useRedisPackage: true, insuranceLimiter: new DatabaseInsurance(name, opts) })
    : new RateLimiterMemory(opts);
  g.__liaisonLimiters.set(name, { name, limiter });
  return limiter;
}

export type ThrottleCheck = [RateLimiterAbstract, string];

/** What a caller holds after takeAttempt: give the points back when the check it guarded succeeded. */
export interface Attempt {
  /** The guarded check passed: the attempt does not count against the caller. */
  succeeded(): Promise<void>;
}

const retryAfter = (res: unknown) =>
  Math.max(1, Math.ceil((res instanceof RateLimiterRes ? res.msBeforeNext : 60_000) / 1000));

/**
 * Takes one point from every key *before* the expensive check (a PBKDF2 verification), so a burst
 * of N parallel attempts evaluates at most `points` of them: the counter is incremented atomically
 * by consume, never read first and written later. Throws rate_limited (429, Retry-After) when any
 * key is spent; the points already taken from the other keys are given back, so one limit does not
 * drain another. Call `succeeded()` when the guarded check passed, to give the points back.
 */
export async function takeAttempt(checks: ThrottleCheck[]): Promise<Attempt> {
  const results = await Promise.allSettled(checks.map(([l, k]) => l.consume(k, 1)));
  const refused = results.find((r) => r.status === 'rejected');
  if (refused) {
    await refund(checks.filter((_, i) => results[i].status === 'fulfilled'));
    const reason = (refused as PromiseRejectedResult).reason;
    // A store error (not a RateLimiterRes) also refuses: failing open would defeat the limit.
    throw new AppError('rate_limited', 'Too many attempts. Try again later.', { retryAfterSeconds: retryAfter(reason) });
  }
  let done = false;
  return {
    async succeeded() {
      if (done) return;
      done = true;
      await refund(checks);
    },
  };
}

async function refund(checks: ThrottleCheck[]) {
  await Promise.all(checks.map(([l, k]) => l.reward(k, 1).catch(() => undefined)));
}

/** Counts one event without guarding anything (for example a probe of an unknown link). */
export async function countAttempt(checks: ThrottleCheck[]): Promise<void> {
  await Promise.all(checks.map(([l, k]) => l.consume(k, 1).catch(() => undefined)));
}

/** Refuses with 429 if any key is already spent; for cheap paths that only count failures afterwards. */
export async function assertNotThrottled(checks: ThrottleCheck[]): Promise<void> {
  for (const [limiter, key] of checks) {
    const res = await limiter.get(key);
    if (res && res.consumedPoints >= limiter.points) {
      throw new AppError('rate_limited', 'Too many attempts. Try again later.', { retryAfterSeconds: retryAfter(res) });
    }
  }
}
