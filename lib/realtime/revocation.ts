import type { Server } from 'socket.io';
import { toAppError } from '../errors';
import { log } from '../log';
import { authorizeSocketPrincipal, ENDING_REASONS } from './authorize';
import { schedulePresence, type RealtimeSocketData } from './presence';

// The same global that lib/realtime/server.ts sets; read without importing the server (lib/shares and
// lib/portals call in here, and the server imports lib/auth).
const g = globalThis as unknown as { __liaisonIo?: Server };

export const shareRoom = (shareId: string) => `share:${shareId}`;
export const portalRoom = (portalId: string) => `portal:${portalId}`;

/** Anything with emit and disconnect: a local socket or, under the Redis adapter, one on another instance. */
interface Cuttable { emit(ev: string, ...args: unknown[]): unknown; disconnect(close?: boolean): unknown }

/** Tells a socket why its access ended, then closes it: the client shows the reason and stops reconnecting. */
export function revokeSocket(socket: Cuttable, reason: string): void {
  socket.emit('access:revoked', { reason });
  socket.disconnect(true);
}

/** Ends every socket in these rooms, on every instance, with one reason (a share revoked, a password changed). */
export function revokeRooms(rooms: string[], reason: string): void {
  const io = g.__liaisonIo;
  if (!io || !rooms.length) return;
  io.in(rooms).emit('access:revoked', { reason });
  io.in(rooms).disconnectSockets(true);
}

const CONCURRENCY = 8;

/**
 * Asks the policy again, with live facts, about every socket in a room (on every instance): those whose
 * access has ended (a narrower share, a shorter expiry, new conditions, a revoked portal grant) are told
 * why and disconnected; those still in but no longer allowed to view a document they joined (it left
 * the share, or its marking is now above the ceiling) leave that document. Runs after the change is
 * committed; each refusal is audited like any other.
 */
export async function reevaluateRoom(room: string): Promise<{ checked: number; revoked: number }> {
  const io = g.__liaisonIo;
  if (!io) return { checked: 0, revoked: 0 };
  return reevaluateSockets(io, await io.in(room).fetchSockets());
}

/**
 * Every socket connected to this instance, asked again: what runs while cross-instance messages may be
 * lost (Redis down), so that a revocation made on another instance still ends the sockets here.
 */
export async function reevaluateLocalSockets(): Promise<{ checked: number; revoked: number }> {
  const io = g.__liaisonIo;
  if (!io) return { checked: 0, revoked: 0 };
  return reevaluateSockets(io, await io.local.fetchSockets());
}

type FetchedSocket = Awaited<ReturnType<Server['fetchSockets']>>[number];

async function reevaluateSockets(io: Server, sockets: FetchedSocket[]): Promise<{ checked: number; revoked: number }> {
  let revoked = 0;
  let i = 0;
  const worker = async () => {
    while (i < sockets.length) {
      const s = sockets[i++];
      const data = s.data as Partial<RealtimeSocketData>;
      if (!data.principal) continue;
      try {
        await authorizeSocketPrincipal(data.principal, 'list');
      } catch (e) {
        const code = toAppError(e).code;
        if (ENDING_REASONS.has(code)) { revokeSocket(s, code); revoked++; continue; }
      }
      for (const documentId of Object.keys(data.docs ?? {})) {
        try {
          await authorizeSocketPrincipal(data.principal, 'view', documentId);
        } catch (e) {
          const code = toAppError(e).code;
          if (ENDING_REASONS.has(code)) { revokeSocket(s, code); revoked++; break; }
          for (const r of s.rooms) if (r.startsWith(`doc:${documentId}:`)) s.leave(r);
          schedulePresence(io, documentId);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, sockets.length) }, worker));
  return { checked: sockets.length, revoked };
}

/**
 * After the real-time flags of a share or portal grant changed (parties now kept apart, guest presence
 * turned off or on): each guest socket's rooms were chosen under the old flags and would keep hearing
 * what the barrier now forbids. Its sockets are closed without access:revoked; the viewer reconnects at
 * once (a new handshake, rooms chosen under the new flags) and reads its lists again.
 */
export function rescopeRoom(room: string): void {
  g.__liaisonIo?.in(room).disconnectSockets(true);
}

/** After a share changed (narrowed, shortened, new conditions): re-decide its sockets. Never throws. */
export function reevaluateShareSockets(shareId: string): Promise<void> {
  return reevaluateRoom(shareRoom(shareId)).then(
    (r) => { if (r.revoked) log.info({ shareId, ...r }, 'share change ended live sockets'); },
    (e: unknown) => log.warn({ err: e, shareId }, 'could not re-check the sockets of a share'),
  );
}

/** After a portal grant was revoked or changed, or the portal's epoch moved: re-decide its sockets. Never throws. */
export function reevaluatePortalSockets(portalId: string): Promise<void> {
  return reevaluateRoom(portalRoom(portalId)).then(
    (r) => { if (r.revoked) log.info({ portalId, ...r }, 'portal change ended live sockets'); },
    (e: unknown) => log.warn({ err: e, portalId }, 'could not re-check the sockets of a portal'),
  );
}
