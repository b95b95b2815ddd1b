import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import type { Server } from 'socket.io';
import { log } from '../log';

/**
 * With REDIS_URL, socket.io rooms span instances: a revocation on one instance disconnects the share's
 * sockets on all of them (io.in(room).disconnectSockets()).
 */
export async function useRedisAdapter(io: Server, url = process.env.REDIS_URL): Promise<() => Promise<void>> {
  if (!url) return async () => undefined;
  const pub = createClient({ url });
  const sub = pub.duplicate();
  for (const c of [pub, sub]) c.on('error', (e: Error) => log.warn({ err: e.message }, 'socket.io redis adapter connection error'));
  await Promise.all([pub.connect(), sub.connect()]);
  io.adapter(createAdapter(pub, sub));
  log.info('socket.io uses the Redis adapter');
  return async () => { await Promise.all([pub.quit(), sub.quit()].map((p) => p.catch(() => undefined))); };
}
