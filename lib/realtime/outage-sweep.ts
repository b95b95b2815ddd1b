import { invalidationLive, onBusHealth } from '../cluster/invalidation';
import { config } from '../config';
import { log } from '../log';
import { reevaluateLocalSockets } from './revocation';

/** How often this instance re-decides its own sockets while cross-instance messages may be lost. */
export const OUTAGE_SWEEP_MS = 1_000;

/**
 * With several instances, a revocation made on another instance reaches the sockets here through the
 * Redis adapter. While Redis is down those messages are lost, so this instance asks the policy again
 * about every socket it holds, once a second, until the invalidation channel is live again, and once
 * more when it is (what was revoked during the outage). Each socket event is a policy decision anyway;
 * this also stops broadcasts reaching a socket whose access ended elsewhere. Sweeps never overlap.
 * Without REDIS_URL there is one instance and nothing to do. Returns a stop function.
 */
export function startOutageSweep(): () => void {
  if (!config().REDIS_URL) return () => undefined;
  let running = false;
  const sweep = async (why: string) => {
    if (running) return;
    running = true;
    try {
      const r = await reevaluateLocalSockets();
      if (r.revoked) log.info({ ...r, why }, 'sockets ended by a re-check while the invalidation channel was down');
    } catch (e) {
      log.warn({ err: e }, 'socket re-check failed');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => { if (!invalidationLive()) void sweep('outage'); }, OUTAGE_SWEEP_MS);
  timer.unref();
  const off = onBusHealth((live) => { if (live) void sweep('recovered'); });
  return () => { clearInterval(timer); off(); };
}
