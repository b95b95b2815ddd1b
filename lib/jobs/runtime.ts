import '../mail/deliver';
import '../webhooks/deliver';
import { log } from '../log';
import { QueueWorker, type WorkerOptions } from '../queue/worker';
import { registerBuiltInJobs } from './builtin';
import { scheduleDueRuns } from './registry';

export interface BackgroundWork { worker: QueueWorker; stop(): Promise<void> }

/**
 * Starts this instance's share of the background work: a queue worker (mail, webhook deliveries,
 * scheduled runs) and the scheduler that queues each job's run once per interval. Every instance
 * runs both; the database decides who does what.
 */
export function startBackgroundWork(opts: WorkerOptions & { scheduleEveryMs?: number } = {}): BackgroundWork {
  registerBuiltInJobs();
  const worker = new QueueWorker({ name: 'liaison', ...opts }).start();
  const tick = async () => {
    try {
      if (await scheduleDueRuns()) worker.kick();
    } catch (e) {
      log.warn({ err: e }, 'scheduler: could not queue due runs; trying again later');
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), opts.scheduleEveryMs ?? 30_000);
  timer.unref();
  return {
    worker,
    async stop() {
      clearInterval(timer);
      await worker.stop();
    },
  };
}
