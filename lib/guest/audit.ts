import { recordAudit } from '../audit/record';
import type { Tx } from '../db/client';
import type { GuestRequest } from './facts';

export interface GuestActor { guestId: string | null; email: string | null; shareId: string }

/** The identity a guest is known by in the trail and on watermarks. */
export const guestLabel = (a: { email: string | null; shareId: string }) => a.email ?? `link ${a.shareId}`;

export function auditGuest(orgId: string, type: string, who: GuestActor, request: GuestRequest, extra: {
  documentId?: string | null; outcome?: 'success' | 'failure' | 'denied'; reason?: string | null; details?: Record<string, unknown>;
} = {}, tx?: Tx) {
  return recordAudit({
    orgId, type, shareId: who.shareId, documentId: extra.documentId ?? null,
    actor: { type: who.guestId ? 'guest' : 'anonymous', id: who.guestId, label: guestLabel(who) },
    request, outcome: extra.outcome, reason: extra.reason, details: extra.details,
  }, tx);
}
