import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { z } from 'zod';
import { config } from '../config';
import { log } from '../log';
import { redisClient } from '../auth/throttle';

/**
 * Cross-instance cache invalidation over one Redis pub/sub channel (docs/SCALING.md).
 *
 * A change made on one instance (a signing key rotated, a portal domain verified or removed) is applied
 * to this process's caches at once and published; every other instance applies it on receipt. Messages
 * are typed and validated with zod on receipt: anything else on the channel is counted and ignored.
 *
 * Correctness does not rest on delivery. A cache may keep an entry only while this process's
 * subscription is proven live (a probe it published came back), and only under the `cacheStamp()` that
 * was current when the entry was loaded. The stamp changes whenever the subscription goes down or comes
 * back, so an entry loaded before an outage is never used after it (invalidations may have been missed),
 * and while the subscription is down nothing is cached: every lookup goes to the database.
 * Without REDIS_URL there is one instance and local invalidation is all there is: caching is always on.
 */

export const INVALIDATION_CHANNEL = 'liaison:invalidate';

const from = z.string().min(1).max(64);
export const invalidationMessage = z.discriminatedUnion('type', [
  /** An organisation's signing keys changed (rotation): forget its signing key and its public keys. */
  z.object({ type: z.literal('signing-keys'), from, orgId: z.string().min(1).max(64) }),
  /** What a host serves changed (domain verified, lost, removed; portal archived): null means every host. */
  z.object({ type: z.literal('host-map'), from, host: z.string().min(1).max(255).nullable() }),
  /** The subscription's own liveness probe: an instance counts itself subscribed when its probe comes back. */
  z.object({ type: z.literal('probe'), from, nonce: z.string().min(1).max(64) }),
]);
export type InvalidationMessage = z.infer<typeof invalidationMessage>;
type Invalidation = Exclude<InvalidationMessage, { type: 'probe' }>;
type WithoutFrom<T> = T extends unknown ? Omit<T, 'from'> : never;
export type InvalidationInput = WithoutFrom<Invalidation>;
type Handler<T extends Invalidation['type']> = (m: Extract<Invalidation, { type: T }>) => void;

const newSubscriber = (url: string) => createClient({ url, disableOfflineQueue: true });

const PROBE_EVERY_MS = 5_000;
const PROBE_TIMEOUT_MS = 2_000;

export interface BusStats { received: number; rejected: number; published: number; publishFailures: number; outages: number }

interface BusState {
  instanceId: string;
  handlers: Map<string, (m: Invalidation) => void>;
  healthy: boolean;
  epoch: number;
  sub: ReturnType<typeof newSubscriber> | null;
  probe: { nonce: string; timer: NodeJS.Timeout } | null;
  interval: NodeJS.Timeout | null;
  listeners: Set<(healthy: boolean) => void>;
  stats: BusStats;
}

// On globalThis: Next's bundles and server.ts load their own copies of this module, and they must share
// one subscription, one health flag and one set of handlers.
const g = globalThis as unknown as { __liaisonBus?: BusState };
const bus = (): BusState => (g.__liaisonBus ??= {
  instanceId: randomUUID(), handlers: new Map(), healthy: false, epoch: 0, sub: null, probe: null, interval: null,
  listeners: new Set(), stats: { received: 0, rejected: 0, published: 0, publishFailures: 0, outages: 0 },
});

const redisConfigured = () => Boolean(config().REDIS_URL);

/** This process's id on the channel (its own messages are not applied twice). */
export const instanceId = () => bus().instanceId;

/** Registers what to do with one type of message; a later registration (another bundle's copy) replaces it. */
export function onInvalidation<T extends Invalidation['type']>(type: T, handler: Handler<T>): void {
  bus().handlers.set(type, handler as (m: Invalidation) => void);
}

/**
 * The stamp to store with a cache entry, or null when nothing may be cached now. An entry is usable
 * only while `cacheStamp()` still returns the stamp it was stored with.
 */
export function cacheStamp(): number | null {
  if (!redisConfigured()) return 0;
  const b = bus();
  return b.healthy ? b.epoch : null;
}

/** True while cross-instance invalidation is live (always true without REDIS_URL). */
export const invalidationLive = () => cacheStamp() !== null;

export const busStats = (): BusStats & { live: boolean; redis: boolean } => ({ ...bus().stats, live: invalidationLive(), redis: redisConfigured() });

/** Called with true when the subscription is proven live, false when it is lost. */
export function onBusHealth(listener: (healthy: boolean) => void): () => void {
  bus().listeners.add(listener);
  return () => bus().listeners.delete(listener);
}

function setHealthy(healthy: boolean) {
  const b = bus();
  if (b.healthy === healthy) return;
  b.healthy = healthy;
  // Every change of health starts a new generation of cache entries (see cacheStamp).
  b.epoch++;
  if (healthy) log.info({ instance: b.instanceId }, 'cache invalidation channel live: caching on');
  else { b.stats.outages++; log.warn({ instance: b.instanceId }, 'cache invalidation channel down: caches off, every lookup goes to the database'); }
  for (const l of b.listeners) {
    try { l(healthy); } catch (e) { log.warn({ err: e }, 'bus health listener failed'); }
  }
}

function apply(m: Invalidation) {
  const h = bus().handlers.get(m.type);
  if (!h) return;
  try { h(m); } catch (e) { log.error({ err: e, type: m.type }, 'cache invalidation handler failed'); }
}

/**
 * Applies an invalidation here at once, then publishes it to the other instances. A failed publish is
 * logged and counted; the other instances' subscriptions will have failed too unless the fault is this
 * instance's own link, which their caches' short lives then bound (docs/SCALING.md).
 */
export async function invalidate(input: InvalidationInput): Promise<void> {
  const b = bus();
  const m = { ...input, from: b.instanceId } as Invalidation;
  apply(m);
  if (!redisConfigured()) return;
  const client = redisClient();
  try {
    // A process that has just connected (the CLI rotating a key) waits a moment for its connection.
    if (client && !client.isReady) await readyWithin(client, 1000);
    if (!client?.isReady) throw new Error('Redis not connected');
    await client.publish(INVALIDATION_CHANNEL, JSON.stringify(m));
    b.stats.published++;
  } catch (e) {
    b.stats.publishFailures++;
    log.warn({ err: e instanceof Error ? e.message : String(e), type: m.type }, 'cache invalidation could not be published');
  }
}

function readyWithin(client: { once(ev: 'ready', f: () => void): unknown; off(ev: 'ready', f: () => void): unknown }, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => { clearTimeout(t); client.off('ready', done); resolve(); };
    const t = setTimeout(done, ms);
    client.once('ready', done);
  });
}

function receive(raw: string) {
  const b = bus();
  let parsed: ReturnType<typeof invalidationMessage.safeParse>;
  try {
    parsed = invalidationMessage.safeParse(JSON.parse(raw));
  } catch {
    parsed = { success: false } as ReturnType<typeof invalidationMessage.safeParse>;
  }
  if (!parsed.success) {
    b.stats.rejected++;
    log.warn({ bytes: raw.length }, 'malformed message on the cache invalidation channel ignored');
    return;
  }
  const m = parsed.data;
  if (m.type === 'probe') {
    if (m.from === b.instanceId && b.probe?.nonce === m.nonce) {
      clearTimeout(b.probe.timer);
      b.probe = null;
      setHealthy(true);
    }
    return;
  }
  b.stats.received++;
  if (m.from !== b.instanceId) apply(m);
}

/** Publishes a probe; the subscription counts as live only when it comes back within PROBE_TIMEOUT_MS. */
async function sendProbe() {
  const b = bus();
  if (b.probe) clearTimeout(b.probe.timer); // a newer probe replaces one in flight
  const nonce = randomUUID();
  const timer = setTimeout(() => { if (b.probe?.nonce === nonce) { b.probe = null; setHealthy(false); } }, PROBE_TIMEOUT_MS);
  timer.unref();
  b.probe = { nonce, timer };
  const client = redisClient();
  try {
    if (!client?.isReady || !b.sub?.isReady) throw new Error('Redis not connected');
    await client.publish(INVALIDATION_CHANNEL, JSON.stringify({ type: 'probe', from: b.instanceId, nonce }));
  } catch {
    clearTimeout(timer);
    if (b.probe?.nonce === nonce) b.probe = null;
    setHealthy(false);
  }
}

/**
 * Subscribes this instance to the channel (server start). Reconnects by itself; health follows the
 * probes. Returns a stop function. Without REDIS_URL it does nothing.
 */
export async function startInvalidationBus(): Promise<() => Promise<void>> {
  const b = bus();
  const url = config().REDIS_URL;
  if (!url || b.sub) return async () => undefined;
  redisClient(); // the publishing connection
  const sub = newSubscriber(url);
  b.sub = sub;
  sub.on('error', () => { /* logged through health changes; reconnects by itself */ });
  sub.on('end', () => setHealthy(false));
  sub.on('reconnecting', () => setHealthy(false));
  sub.on('ready', () => { setTimeout(() => void sendProbe(), 50).unref(); });
  // Not awaited: node-redis keeps retrying until Redis answers, and the server must start meanwhile
  // (with caches off). The subscription is restored by node-redis after each reconnect.
  void (async () => {
    await sub.connect();
    await sub.subscribe(INVALIDATION_CHANNEL, (raw) => receive(raw));
    await sendProbe();
  })().catch((e: unknown) => log.warn({ err: e instanceof Error ? e.message : String(e) }, 'cache invalidation channel could not subscribe; caches stay off'));
  b.interval = setInterval(() => void sendProbe(), PROBE_EVERY_MS);
  b.interval.unref();
  return async () => {
    if (b.interval) clearInterval(b.interval);
    if (b.probe) clearTimeout(b.probe.timer);
    b.interval = null;
    b.probe = null;
    b.sub = null;
    setHealthy(false);
    await sub.quit().catch(() => sub.destroy());
  };
}
