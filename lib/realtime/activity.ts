import type { Server } from 'socket.io';
import type { Audience } from '../collab/types';
import { audienceRooms, grantGuestRoom, grantPresenceRoom, orgShareActivityRoom, orgStaffRoom } from './rooms';

// The same global that lib/realtime/server.ts sets; read here without importing the server, so the
// audit path (lib/guest/audit.ts) and Next's bundles can publish without an import cycle.
const g = globalThis as unknown as { __liaisonIo?: Server };

const isShareKey = (k: string) => k.startsWith('share:');

/** One line of the live activity feed: what happened, when, by whom, where. Nothing more. */
export interface ActivityEvent {
  /** The audit event type (guest.view, guest.download, comment.create, question.create...). */
  type: string;
  at: string;
  actor: string;
  documentId: string | null;
  page?: number | null;
  /** success, or denied with the policy's reason (staff only see refusals). */
  outcome?: 'success' | 'failure' | 'denied';
  reason?: string | null;
}

/**
 * Sends an activity event to the organisation's staff sockets that may read it (the whole trail with
 * audit:read; events about shares with shares:read) and to the guests whose
 * grant it concerns, by the same visibility rule as comments (audience rooms at grant level, not per
 * document: the feed is the share's or portal's). Across instances with the Redis adapter.
 */
export function publishActivity(orgId: string, event: ActivityEvent, audience: Omit<Audience, 'orgId' | 'documentId'> & { documentId?: string | null }): void {
  const io = g.__liaisonIo;
  if (!io) return;
  const rooms = audienceRooms({ ...audience, orgId, documentId: null });
  if (audience.grantKeys.some(isShareKey)) rooms.push(orgShareActivityRoom(orgId));
  io.to(rooms).emit('activity', { event });
}

/**
 * A guest's own access (opening, viewing a page, downloading) as a line of the feed: staff of the
 * organisation; the guest themselves; and the other guests of the grant only where they already see each
 * other (the grant shows guest presence and does not keep its parties apart). Refusals: staff only.
 */
export function publishGuestAccess(orgId: string, event: ActivityEvent, who: { guestId: string | null; grantKeys: string[] }): void {
  const io = g.__liaisonIo;
  if (!io) return;
  const rooms = [orgStaffRoom(orgId), ...(who.grantKeys.some(isShareKey) ? [orgShareActivityRoom(orgId)] : [])];
  if (event.outcome === 'success' && who.guestId) {
    for (const k of who.grantKeys) rooms.push(grantGuestRoom(k, who.guestId), grantPresenceRoom(k));
  }
  io.to(rooms).emit('activity', { event });
}
