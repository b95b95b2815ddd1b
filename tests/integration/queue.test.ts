import crypto from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { PrismaClient } from '../../lib/generated/prisma/client';
import { prisma } from '../../lib/db/client';
import { claimDue } from '../../lib/queue/claim';
import { enqueueJob } from '../../lib/queue/enqueue';
import { backoffDelay } from '../../lib/queue/backoff';
import { QueueWorker } from '../../lib/queue/worker';
import { PermanentError, type QueueHandler } from '../../lib/queue/types';
import { jobKind, registerScheduledJob, scheduleDueRuns } from '../../lib/jobs/registry';
import { queueHandlers } from '../../lib/queue/registry';
import { createOrg } from '../helpers/factory';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const uniqueKind = () => `test:${crypto.randomBytes(4).toString('hex')}`;

// A second client with its own connection pool, as a second instance would have.
const second = new PrismaClient({ adapter: new PrismaPg({ connectionString: inject('databaseUrl'), max: 5 }) });
afterAll(() => second.$disconnect());

describe('durable queue', () => {
  it('two claimers working the same queue at once process every item exactly once', async () => {
    const kind = uniqueKind();
    const N = 120;
    for (let i = 0; i < N; i += 40) {
      await prisma().queueItem.createMany({ data: Array.from({ length: Math.min(40, N - i) }, (_, j) => ({ kind, payload: { n: i + j } })) });
    }
    const seen: Array<{ worker: string; n: number }> = [];
    const handler = (worker: string): QueueHandler => ({
      kind,
      run: async (item) => {
        seen.push({ worker, n: (item.payload as { n: number }).n });
        await sleep(2); // the work happens outside any transaction, interleaved with the other claimer
      },
    });
    const a = new QueueWorker({ handlers: new Map([[kind, handler('a')]]), batchSize: 4, name: 'a' });
    const b = new QueueWorker({ handlers: new Map([[kind, handler('b')]]), batchSize: 4, name: 'b' });
    // Both claim through their own rounds, concurrently, until the queue is empty.
    const [na, nb] = await Promise.all([a.drain(), b.drain()]);
    expect(na + nb).toBe(N);
    expect(seen).toHaveLength(N);
    expect(new Set(seen.map((s) => s.n)).size).toBe(N);
    expect(na).toBeGreaterThan(0);
    expect(nb).toBeGreaterThan(0);
    const rows = await prisma().queueItem.groupBy({ by: ['status'], where: { kind }, _count: { _all: true } });
    expect(rows).toEqual([{ status: 'DONE', _count: { _all: N } }]);
  });

  it('claims through two connection pools at once never hand out one row twice', async () => {
    const kind = uniqueKind();
    await prisma().queueItem.createMany({ data: Array.from({ length: 60 }, (_, n) => ({ kind, payload: { n } })) });
    const takes = await Promise.all(Array.from({ length: 12 }, (_, i) => claimDue({ kinds: [kind], limit: 8, leaseMs: 60_000, db: i % 2 ? second : prisma() })));
    const ids = takes.flat().map((t) => t.id);
    expect(ids).toHaveLength(60);
    expect(new Set(ids).size).toBe(60);
    expect(await prisma().queueItem.count({ where: { kind, status: 'RUNNING', attempts: 1 } })).toBe(60);
  });

  it('retries a failing item with growing delays, then marks it failed; a permanent error fails at once', async () => {
    const kind = uniqueKind();
    const flaky = await enqueueJob({ kind, maxAttempts: 3 });
    const broken = await enqueueJob({ kind, payload: { permanent: true } });
    const w = new QueueWorker({
      handlers: new Map([[kind, { kind, run: async (item) => { throw (item.payload as { permanent?: boolean }).permanent ? new PermanentError('bad address') : new Error('try later'); } }]]),
      backoff: { baseMs: 60, capMs: 1000 },
    });
    expect(await w.runOnce()).toBe(2);
    const b = await prisma().queueItem.findUniqueOrThrow({ where: { id: broken! } });
    expect(b).toMatchObject({ status: 'FAILED', attempts: 1, lastError: 'bad address' });
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const f = await prisma().queueItem.findUniqueOrThrow({ where: { id: flaky! } });
      if (f.status !== 'PENDING') break;
      delays.push(f.nextAttemptAt.getTime() - f.updatedAt.getTime());
      await sleep(f.nextAttemptAt.getTime() - Date.now() + 30);
      await w.runOnce();
    }
    const f = await prisma().queueItem.findUniqueOrThrow({ where: { id: flaky! } });
    expect(f).toMatchObject({ status: 'FAILED', attempts: 3, lastError: 'try later' });
    expect(delays).toHaveLength(2);
    // 30 to 60 ms after the first failure, 60 to 120 ms after the second (a few ms pass between the two clocks read).
    expect(delays[0]).toBeGreaterThanOrEqual(15);
    expect(delays[0]).toBeLessThanOrEqual(90);
    expect(delays[1]).toBeGreaterThanOrEqual(45);
    expect(delays[1]).toBeLessThanOrEqual(150);
  });

  it('backoff doubles from the base, is capped, and jitters between half and all of it', () => {
    const opts = { baseMs: 30_000, capMs: 3_600_000 };
    expect(backoffDelay(1, opts, () => 0)).toBe(15_000);
    expect(backoffDelay(1, opts, () => 1)).toBe(30_000);
    expect(backoffDelay(4, opts, () => 1)).toBe(240_000);
    expect(backoffDelay(20, opts, () => 1)).toBe(3_600_000);
    expect(backoffDelay(20, opts, () => 0)).toBe(1_800_000);
  });

  it('an item whose worker died on its last attempt is failed, not run again forever', async () => {
    const kind = uniqueKind();
    const id = await enqueueJob({ kind, maxAttempts: 1 });
    await claimDue({ kinds: [kind], limit: 1, leaseMs: 50 }); // claimed, then the worker "dies"
    await sleep(120);
    let ran = 0;
    const w = new QueueWorker({ handlers: new Map([[kind, { kind, run: async () => { ran++; } }]]) });
    expect(await w.runOnce()).toBe(1);
    expect(ran).toBe(0);
    expect(await prisma().queueItem.findUniqueOrThrow({ where: { id: id! } })).toMatchObject({ status: 'FAILED', attempts: 2 });
  });

  it('a started worker picks up work as soon as it is enqueued in this process, and stops cleanly', async () => {
    const kind = uniqueKind();
    const done: string[] = [];
    const w = new QueueWorker({ handlers: new Map([[kind, { kind, run: async (item) => { done.push(item.id); } }]]), pollMs: 60_000 }).start();
    try {
      const id = await enqueueJob({ kind });
      for (let i = 0; i < 50 && !done.length; i++) await sleep(20);
      expect(done).toEqual([id]);
    } finally {
      await w.stop();
    }
    // Stopped: nothing more is claimed.
    const later = await enqueueJob({ kind });
    await sleep(200);
    expect(done).not.toContain(later);
  });

  it('only an organisation-scoped worker’s organisations are claimed', async () => {
    const kind = uniqueKind();
    const [o1, o2] = [await createOrg(), await createOrg()];
    await enqueueJob({ kind, orgId: o1.id });
    await enqueueJob({ kind, orgId: o2.id });
    const got = await claimDue({ kinds: [kind], limit: 10, leaseMs: 1000, orgIds: [o1.id] });
    expect(got).toHaveLength(1);
  });
});

describe('scheduled jobs', () => {
  it('queue one run per interval across instances, run through the queue once', async () => {
    const name = `test-${crypto.randomBytes(3).toString('hex')}`;
    const runs: Date[] = [];
    registerScheduledJob(name, 60, async (run) => { runs.push(run.slotStart); });
    const handler = queueHandlers().get(jobKind(name))!;
    try {
      const now = new Date();
      // Three instances tick in the same minute: one run is queued.
      await Promise.all([scheduleDueRuns(now), scheduleDueRuns(now), scheduleDueRuns(new Date(now.getTime() + 1))]);
      expect(await prisma().queueItem.count({ where: { kind: jobKind(name) } })).toBe(1);
      const w = new QueueWorker({ handlers: new Map([[jobKind(name), handler]]) });
      await Promise.all([w.drain(), new QueueWorker({ handlers: new Map([[jobKind(name), handler]]) }).drain()]);
      expect(runs).toHaveLength(1);
      expect(runs[0].getTime() % 60_000).toBe(0);
      // The next minute is another run.
      await scheduleDueRuns(new Date(now.getTime() + 60_000));
      await w.drain();
      expect(runs).toHaveLength(2);
    } finally {
      queueHandlers().delete(jobKind(name));
    }
  });

  it('refuses bad names and intervals', () => {
    expect(() => registerScheduledJob('Bad Name', 60, async () => {})).toThrow();
    expect(() => registerScheduledJob('ok-name', 1, async () => {})).toThrow();
  });
});
