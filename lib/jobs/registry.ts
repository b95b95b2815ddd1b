import { prisma } from '../db/client';
import { log } from '../log';
import { registerQueueHandler } from '../queue/registry';

export interface JobRun {
  name: string;
  /** Start of the interval this run covers. */
  slotStart: Date;
  now: Date;
}

interface ScheduledJob { name: string; intervalSeconds: number; fn: (run: JobRun) => Promise<void> }

const g = globalThis as unknown as { __liaisonScheduledJobs?: Map<string, ScheduledJob> };
const jobs = () => (g.__liaisonScheduledJobs ??= new Map());

const NAME = /^[a-z][a-z0-9-]{1,62}$/;
export const jobKind = (name: string) => `job:${name}`;

/**
 * Registers recurring work. Every `intervalSeconds` one run is due, identified by its slot
 * (floor(unix time / interval)); it goes through the durable queue like mail, so with several
 * instances it runs once, and a run cut short by a crash is taken up again when its lease ends.
 * Runs should be idempotent (mail with a dedupe key, say): a failed run is retried twice.
 */
export function registerScheduledJob(name: string, intervalSeconds: number, fn: (run: JobRun) => Promise<void>): void {
  if (!NAME.test(name)) throw new Error(`scheduled job name "${name}": lower-case letters, digits and hyphens`);
  if (!Number.isInteger(intervalSeconds) || intervalSeconds < 10) throw new Error(`scheduled job ${name}: interval of at least 10 s`);
  jobs().set(name, { name, intervalSeconds, fn });
  registerQueueHandler({
    kind: jobKind(name),
    run: async (item) => {
      const slotStart = new Date(String((item.payload as { slotStart?: string }).slotStart ?? new Date().toISOString()));
      await fn({ name, slotStart, now: new Date() });
    },
  });
}

export const scheduledJobs = () => [...jobs().values()];

/**
 * Adds the current run of every registered job to the queue, once per slot across all instances
 * (the slot is the item's dedupe key). Called on the worker's timer.
 */
export async function scheduleDueRuns(now = new Date()): Promise<number> {
  const list = scheduledJobs();
  if (!list.length) return 0;
  const rows = list.map((j) => {
    const slot = Math.floor(now.getTime() / 1000 / j.intervalSeconds);
    return {
      kind: jobKind(j.name), maxAttempts: 3, dedupeKey: `${jobKind(j.name)}:${slot}`,
      payload: { slot, slotStart: new Date(slot * j.intervalSeconds * 1000).toISOString() },
    };
  });
  const { count } = await prisma().queueItem.createMany({ data: rows, skipDuplicates: true });
  if (count) log.debug({ count }, 'scheduled runs queued');
  return count;
}
