import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { createClient } from 'redis';
import { AppError } from '../errors';

type Limiter = { name: string; limiter: RateLimiterAbstract };
const g = globalThis as unknown as { __liaisonLimiters?: Map<string, Limiter>; __liaisonRedis?: ReturnType<typeof createClient> };

/** The process's one Redis client (REDIS_URL), or undefined without Redis; also used by lib/devices/jti-store.ts. */
export function redisClient() {
  if (!process.env.REDIS_URL) return undefined;
  if (!g.__liaisonRedis) {
    g.__liaisonRedis = createClient({ url: process.env.REDIS_URL });
    g.__liaisonRedis.on('error', () => { /* reconnects by itself; limiter falls back to memory meanwhile */ });
    void g.__liaisonRedis.connect().catch(() => undefined);
  }
  return g.__liaisonRedis;
}

/**
 * A named attempt counter: `points` attempts per `duration` seconds, then blocked for `blockSeconds`.
 * Shared through Redis when REDIS_URL is set, so several instances count together.
 */
export function failureLimiter(name: string, points: number, duration: number, blockSeconds = duration): RateLimiterAbstract {
  g.__liaisonLimiters ??= new Map();
  const existing = g.__liaisonLimiters.get(name);
  if (existing) return existing.limiter;
  const opts = { keyPrefix: `liaison:${name}`, points, duration, blockDuration: blockSeconds };
  const redis = redisClient();
  const limiter = redis
    ? new RateLimiterRedis({ ...opts, storeClient: redis, useRedisPackage: true, insuranceLimiter: new RateLimiterMemory(opts) })
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
