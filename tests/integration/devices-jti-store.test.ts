import crypto from 'node:crypto';
import net from 'node:net';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../lib/errors';
import { verifyDeviceProof } from '../../lib/devices/dpop';
import { createMemoryJtiStore, createRedisJtiStore } from '../../lib/devices/jti-store';
import { nodeDevice, signProof } from '../helpers/dpop';

const REDIS_URL = 'redis://127.0.0.1:6379';
const key = () => crypto.randomBytes(12).toString('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('memory jti store', () => {
  it('claims once, forgets after the ttl, sweeps expired entries', async () => {
    let t = 1_000_000;
    const store = createMemoryJtiStore({ limit: 3, now: () => t });
    expect(await store.claim('a', 1000)).toBe(true);
    expect(await store.claim('a', 1000)).toBe(false);
    t += 1001;
    expect(await store.claim('a', 1000)).toBe(true);
    expect(await store.claim('b', 10)).toBe(true);
    expect(await store.claim('c', 10)).toBe(true);
    expect(store.size()).toBe(3);
    t += 11;
    // Full: the sweep drops b and c (expired), a stays.
    expect(await store.claim('d', 1000)).toBe(true);
    expect(store.size()).toBe(2);
  });

  it('refuses (rate_limited) rather than forget a live entry when full', async () => {
    const store = createMemoryJtiStore({ limit: 2 });
    await store.claim('a', 60_000);
    await store.claim('b', 60_000);
    const err = await store.claim('c', 60_000).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('rate_limited');
    expect(await store.claim('a', 60_000)).toBe(false);
  });
});

const redisUp = await new Promise<boolean>((resolve) => {
  const s = net.connect(6379, '127.0.0.1');
  s.once('connect', () => { s.destroy(); resolve(true); });
  s.once('error', () => resolve(false));
  s.setTimeout(1000, () => { s.destroy(); resolve(false); });
});
if (!redisUp) console.warn('SKIPPED: Redis is not reachable at 127.0.0.1:6379, so the Redis jti store was not tested.');

describe.skipIf(!redisUp)('Redis jti store (real Redis at 127.0.0.1:6379)', () => {
  const connect = () => createClient({ url: REDIS_URL }).connect();
  const clients: Awaited<ReturnType<typeof connect>>[] = [];
  beforeAll(async () => {
    // Two clients stand for two instances sharing one Redis.
    for (let i = 0; i < 2; i++) clients.push(await connect());
  });
  afterAll(async () => { await Promise.all(clients.map((c) => c.quit())); });

  it('claims once across instances, with the ttl set in Redis', async () => {
    const [a, b] = clients.map(createRedisJtiStore);
    const k = key();
    expect(await a.claim(k, 5_000)).toBe(true);
    expect(await b.claim(k, 5_000)).toBe(false);
    const ttl = await clients[0].pTTL(`liaison:dpop:${k}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(5_000);
  });

  it('forgets an entry when its ttl ends', async () => {
    const store = createRedisJtiStore(clients[0]);
    const k = key();
    expect(await store.claim(k, 150)).toBe(true);
    await sleep(300);
    expect(await store.claim(k, 150)).toBe(true);
  });

  it('lets exactly one of many parallel uses of one proof through, from two instances', async () => {
    const stores = clients.map(createRedisJtiStore);
    const d = await nodeDevice();
    const url = 'https://portal.example.test/api/portal/v1/documents';
    const proof = await signProof(d.privateKey, d.jwk, { htu: url });
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => verifyDeviceProof({ proof, method: 'GET', url, store: stores[i % 2] })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === 'replayed')).toHaveLength(29);
  });

  it('fails closed when Redis does not answer', async () => {
    // A client that never connects: commands wait in its offline queue; the store gives up and throws.
    const dead = createClient({ url: 'redis://127.0.0.1:1', socket: { reconnectStrategy: false } });
    dead.on('error', () => undefined);
    void dead.connect().catch(() => undefined);
    const err = await createRedisJtiStore(dead).claim(key(), 1000).catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    await dead.destroy?.();
  });
});
