import type { Server } from 'socket.io';

// The same global that lib/realtime/server.ts sets; read here without importing the server (no cycle
// through lib/auth), as staff-rooms.ts does.
const g = globalThis as unknown as { __liaisonIo?: Server };

/** A guest socket joins the room of its session and the room of its guest when it connects. */
export const guestSessionRoom = (sessionId: string) => `guest-session:${sessionId}`;
export const guestRoom = (guestId: string) => `guest:${guestId}`;

/**
 * Cuts the live sockets of ended guest sessions, or of every session of a guest, on every instance
 * when the Redis adapter is on, after telling each why (`access:revoked {reason}`, a policy reason). The policy already refuses the next request; this stops a socket
 * opened before the revocation from receiving anything more.
 */
export function disconnectGuestSockets(opts: { sessionIds?: string[]; guestId?: string; reason?: string }): void {
  const io = g.__liaisonIo;
  if (!io) return;
  const rooms = [...(opts.sessionIds ?? []).map(guestSessionRoom), ...(opts.guestId ? [guestRoom(opts.guestId)] : [])];
  if (!rooms.length) return;
  io.in(rooms).emit('access:revoked', { reason: opts.reason ?? 'invalid_token' });
  io.in(rooms).disconnectSockets(true);
}
