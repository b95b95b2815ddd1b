import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { createClient } from 'redis';
import { AppError } from '../errors';

type Limiter = { name: string; limiter: RateLimiterAbstract };
const g = globalThis as unknown as { __liaisonLimiters?: Map<string, Limiter>; __liaisonRedis?: ReturnType<typeof createClient> };

function redisClient() {
  if (!process.env.REDIS_URL) return undefined;
  if (!g.__liaisonRedis) {
    g.__liaisonRedis = createClient({ url: process.env.REDIS_URL });
    g.__liaisonRedis.on('error', () => { /* reconnects by itself; limiter falls back to memory meanwhile */ });
    void g.__liaisonRedis.connect().catch(() => undefined);
  }
  return g.__liaisonRedis;
}

/**
 * A named failure counter: `points` failures per `duration` seconds, then blocked for `blockSeconds`.
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

/** Refuses with 429 if any key is already spent, before any expensive work (hashing) happens. */
export async function assertNotThrottled(checks: Array<[RateLimiterAbstract, string]>): Promise<void> {
  for (const [limiter, key] of checks) {
    const res = await limiter.get(key);
    if (res && res.consumedPoints >= limiter.points) {
      throw new AppError('rate_limited', 'Too many attempts. Try again later.', { retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) });
    }
  }
}

export async function clearFailures(limiter: RateLimiterAbstract, key: string): Promise<void> {
  await limiter.delete(key).catch(() => undefined);
}

export async function countFailure(checks: Array<[RateLimiterAbstract, string]>): Promise<void> {
  // consume (not penalty) so that reaching the limit starts the block period.
  await Promise.all(checks.map(([l, k]) => l.consume(k, 1).catch(() => undefined)));
}
