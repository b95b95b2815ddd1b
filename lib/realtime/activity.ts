import type { Server } from 'socket.io';
import type { Audience } from '../collab/types';
import { audienceRooms } from './rooms';

// The same global that lib/realtime/server.ts sets; read here without importing the server, so the
// audit path (lib/guest/audit.ts) and Next's bundles can publish without an import cycle.
const g = globalThis as unknown as { __liaisonIo?: Server };

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
 * Sends an activity event to the organisation's staff sockets (the console) and to the guests whose
 * grant it concerns, by the same visibility rule as comments (audience rooms at grant level, not per
 * document: the feed is the share's or portal's). Across instances with the Redis adapter.
 */
export function publishActivity(orgId: string, event: ActivityEvent, audience: Omit<Audience, 'orgId' | 'documentId'> & { documentId?: string | null }): void {
  const io = g.__liaisonIo;
  if (!io) return;
  const rooms = audienceRooms({ ...audience, orgId, documentId: null });
  io.to(rooms).emit('activity', { event });
}
