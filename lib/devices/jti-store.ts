import { createHash } from 'node:crypto';
import { AppError } from '../errors';
import { redisClient } from '../auth/throttle';

/**
 * Remembers the proofs (jti) already used, so a captured DPoP proof cannot be played again. `claim`
 * is set-if-absent in one step: of two requests carrying the same proof, exactly one gets true.
 * Entries only need to live as long as a proof's iat is still inside the accepted window.
 */
export interface JtiStore {
  /** True when the jti was not seen before (it is now recorded for ttlMs); false on a replay. */
  claim(key: string, ttlMs: number): Promise<boolean>;
}

/** Scoped per key thumbprint, so one device's proofs can never burn another's jti; hashed to a fixed length. */
export const jtiKey = (thumbprint: string, jti: string) => createHash('sha256').update(`${thumbprint}\u0000${jti}`).digest('base64url');

export const MEMORY_JTI_LIMIT = 200_000;

/**
 * One process's store: a Map of key → expiry. Expired entries are swept every so often and whenever
 * the map is full. Full of live entries it refuses (rate_limited) rather than forget one: forgetting
 * would let that proof be replayed.
 */
export function createMemoryJtiStore(opts: { limit?: number; now?: () => number } = {}): JtiStore & { size(): number } {
  const limit = opts.limit ?? MEMORY_JTI_LIMIT;
  const now = opts.now ?? Date.now;
  const seen = new Map<string, number>();
  let nextSweep = 0;
  const sweep = (t: number) => {
    for (const [k, exp] of seen) if (exp <= t) seen.delete(k);
    nextSweep = t + 10_000;
  };
  return {
    async claim(key, ttlMs) {
      const t = now();
      if (t >= nextSweep || seen.size >= limit) sweep(t);
      const exp = seen.get(key);
      if (exp !== undefined && exp > t) return false;
      if (seen.size >= limit) throw new AppError('rate_limited', 'Too many requests. Try again shortly.', { retryAfterSeconds: 5 });
      seen.set(key, t + ttlMs);
      return true;
    },
    size: () => seen.size,
  };
}

/** The one Redis command the store needs; any node-redis client has it. */
interface RedisSetNx {
  set(key: string, value: string, options: { condition: 'NX'; expiration: { type: 'PX'; value: number } }): Promise<unknown>;
}
const REDIS_TIMEOUT_MS = 2_000;

/**
 * Shared by every instance: `SET liaison:dpop:<key> 1 NX PX <ttl>` is atomic in Redis. An unreachable
 * Redis fails closed (the error propagates, the request is refused), never open: answering "not seen"
 * without the store would accept replays.
 */
export function createRedisJtiStore(client: RedisSetNx): JtiStore {
  return {
    async claim(key, ttlMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('replay store (Redis) did not answer')), REDIS_TIMEOUT_MS);
      });
      try {
        const r = await Promise.race([client.set(`liaison:dpop:${key}`, '1', { condition: 'NX', expiration: { type: 'PX', value: Math.max(1, Math.ceil(ttlMs)) } }), timeout]);
        return r === 'OK';
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

const g = globalThis as unknown as { __liaisonJtiStore?: JtiStore };

/** The process's store: Redis when REDIS_URL is set (several instances share it), memory otherwise. */
export function jtiStore(): JtiStore {
  if (!g.__liaisonJtiStore) {
    const redis = redisClient();
    g.__liaisonJtiStore = redis ? createRedisJtiStore(redis) : createMemoryJtiStore();
  }
  return g.__liaisonJtiStore;
}
