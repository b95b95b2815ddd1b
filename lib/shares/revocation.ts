import { prisma } from '../db/client';
import { log } from '../log';
import { realtime } from '../realtime/server';

/**
 * Marks a share's open sessions revoked and disconnects their sockets on every instance (through the
 * Redis adapter when configured). Tokens die before this runs: the policy function compares epochs on
 * every request, so this is about prompt cleanup and live connections, not correctness.
 */
export async function endShareSessions(shareId: string, reason: 'revoked' | 'password_changed'): Promise<void> {
  await prisma().guestSession.updateMany({ where: { shareId, revokedAt: null }, data: { revokedAt: new Date() } });
  realtime()?.in(`share:${shareId}`).disconnectSockets(true);
  log.info({ shareId, reason }, 'share sessions ended');
}
