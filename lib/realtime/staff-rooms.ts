import type { Server } from 'socket.io';

// The same global that lib/realtime/server.ts sets; read here without importing the server, so
// lib/auth can end sockets without an import cycle through resolvePrincipal.
const g = globalThis as unknown as { __liaisonIo?: Server };

/** Every socket opened with a console cookie joins the room of its staff session. */
export const staffSessionRoom = (sessionId: string) => `staff-session:${sessionId}`;

/**
 * Disconnects the sockets of ended console sessions, on every instance when the Redis adapter is on.
 * Without it a socket opened before sign-out would keep receiving events until it reconnected.
 */
export function disconnectStaffSessions(sessionIds: string[]): void {
  const io = g.__liaisonIo;
  if (!io || !sessionIds.length) return;
  io.in(sessionIds.map(staffSessionRoom)).disconnectSockets(true);
}
