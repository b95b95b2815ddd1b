import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * The cross-instance invalidation channel (lib/cluster/invalidation.ts) against this test's own
 * redis-server, which it kills and starts again: typed messages only (anything else is counted and
 * ignored), caching only while the subscription is proven live, a new cache generation after every
 * outage, and the rate-limit fallback to the database while Redis is gone.
 */
const redisMissing = spawnSync('redis-server', ['--version']).status !== 0;
if (redisMissing) console.log('[invalidation-bus.test.ts] skipped: redis-server is not installed');

let port = 0;
let proc: ChildProcess | null = null;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const a = s.address() as net.AddressInfo;
      s.close(() => resolve(a.port));
    });
  });
}

function startRedis(): Promise<void> {
  proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const p = proc;
  return new Promise((resolve, reject) => {
    let out = '';
    p.stdout!.on('data', (d) => { out += d; if (out.includes('Ready to accept connections')) resolve(); });
    p.once('exit', (code) => reject(new Error(`redis-server exited ${code}`)));
  });
}

async function killRedis() {
  const p = proc;
  proc = null;
  if (!p || p.exitCode !== null) return;
  p.removeAllListeners('exit');
  const gone = new Promise((r) => p.once('exit', r));
  p.kill('SIGKILL');
  await gone;
}

async function until(check: () => boolean, ms: number, what: string) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

type Bus = typeof import('../../lib/cluster/invalidation');
let bus: Bus;
let stop: () => Promise<void>;

describe.skipIf(redisMissing)('cache invalidation channel', () => {
  beforeAll(async () => {
    port = await freePort();
    await startRedis();
    process.env.REDIS_URL = `redis://127.0.0.1:${port}`;
    bus = await import('../../lib/cluster/invalidation');
    stop = await bus.startInvalidationBus();
    await until(() => bus.invalidationLive(), 5000, 'channel live');
  });

  afterAll(async () => {
    await stop?.();
    const { redisClient } = await import('../../lib/auth/throttle');
    redisClient()?.destroy();
    await killRedis();
    delete process.env.REDIS_URL;
  });

  it('applies typed messages from other instances and ignores malformed ones', async () => {
    const seen: (string | null)[] = [];
    bus.onInvalidation('host-map', (m) => seen.push(m.host));
    const other = createClient({ url: process.env.REDIS_URL });
    await other.connect();
    try {
      const before = bus.busStats();
      // Another instance's message is applied; bad ones (not JSON, unknown type, wrong field types) are not.
      await other.publish(bus.INVALIDATION_CHANNEL, JSON.stringify({ type: 'host-map', from: 'instance-b', host: 'portal.example.test' }));
      await other.publish(bus.INVALIDATION_CHANNEL, 'not json');
      await other.publish(bus.INVALIDATION_CHANNEL, JSON.stringify({ type: 'flush-everything', from: 'x' }));
      await other.publish(bus.INVALIDATION_CHANNEL, JSON.stringify({ type: 'host-map', from: 'x', host: 42 }));
      await other.publish(bus.INVALIDATION_CHANNEL, JSON.stringify({ type: 'signing-keys', from: 'x' }));
      await until(() => bus.busStats().rejected - before.rejected === 4, 3000, 'four rejections');
      expect(seen).toEqual(['portal.example.test']);
      // Our own message is applied once, locally, not again when it comes back over the channel.
      await bus.invalidate({ type: 'host-map', host: 'own.example.test' });
      await until(() => bus.busStats().received - before.received === 2, 3000, 'own message back');
      expect(seen).toEqual(['portal.example.test', 'own.example.test']);
    } finally {
      await other.quit();
    }
  });

  it('caches nothing while Redis is down, starts a new generation when it is back, and keeps rate limits shared in the database meanwhile', async () => {
    const stampBefore = bus.cacheStamp();
    expect(stampBefore).not.toBeNull();
    const { failureLimiter, takeAttempt, throttleFallbackStats } = await import('../../lib/auth/throttle');
    const limiter = failureLimiter('bus-test', 2, 60);
    const key = `k-${Date.now()}`;

    await killRedis();
    await until(() => !bus.invalidationLive(), 8000, 'channel down');
    expect(bus.cacheStamp()).toBeNull();

    // Redis gone: the limit is counted in the database (rate_limit_counters), and still holds.
    const fallbacks = throttleFallbackStats().fallbacks;
    await takeAttempt([[limiter, key]]);
    await takeAttempt([[limiter, key]]);
    await expect(takeAttempt([[limiter, key]])).rejects.toMatchObject({ code: 'rate_limited' });
    expect(throttleFallbackStats().fallbacks).toBeGreaterThan(fallbacks);
    const { prisma } = await import('../../lib/db/client');
    const row = await prisma().rateLimitCounter.findUnique({ where: { key: `liaison:bus-test:${key}` } });
    expect(row?.points).toBeGreaterThanOrEqual(2);

    // The DPoP replay store refuses rather than accept a proof it cannot check.
    const { jtiStore } = await import('../../lib/devices/jti-store');
    await expect(jtiStore().claim('some-proof', 60_000)).rejects.toThrow();

    await startRedis();
    await until(() => bus.invalidationLive(), 15_000, 'channel live again');
    const stampAfter = bus.cacheStamp();
    expect(stampAfter).not.toBeNull();
    expect(stampAfter).not.toBe(stampBefore); // entries from before the outage are never used again
    expect(bus.busStats().outages).toBeGreaterThanOrEqual(1);
    await until(() => Boolean(sharedClient()?.isReady), 5000, 'client ready');
    expect(await jtiStore().claim(`proof-${Date.now()}`, 60_000)).toBe(true);
  }, 60_000);
});

/** The process's shared Redis client (lib/auth/throttle.ts), read without creating it. */
const sharedClient = () => (globalThis as unknown as { __liaisonRedis?: { isReady: boolean } }).__liaisonRedis;
