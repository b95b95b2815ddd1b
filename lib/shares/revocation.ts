import { prisma } from '../db/client';
import { log } from '../log';
import { revokeRooms, shareRoom } from '../realtime/revocation';

/**
 * Marks a share's open sessions revoked and disconnects their sockets on every instance (through the
 * Redis adapter when configured). Tokens die before this runs: the policy function compares epochs on
 * every request, so this is about prompt cleanup and live connections, not correctness.
 */
export async function endShareSessions(shareId: string, reason: 'revoked' | 'password_changed'): Promise<void> {
  await prisma().guestSession.updateMany({ where: { shareId, revokedAt: null }, data: { revokedAt: new Date() } });
  // Each socket is told why first: the share was revoked, or its session no longer holds (a new password).
  revokeRooms([shareRoom(shareId)], reason === 'revoked' ? 'revoked' : 'invalid_token');
  log.info({ shareId, reason }, 'share sessions ended');
}
