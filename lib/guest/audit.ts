import { recordAudit } from '../audit/record';
import type { Tx } from '../db/client';
import type { GuestRequest } from './facts';
import { portalGrantKey, shareGrantKey } from '../collab/types';
import { publishGuestAccess } from '../realtime/activity';

/** A guest as the trail names them: through a share link (shareId) or a portal (portalId, and the grants that allowed). */
export interface GuestActor { guestId: string | null; email: string | null; shareId: string | null; portalId?: string | null; grantIds?: string[] }

/** The identity a guest is known by in the trail and on watermarks. */
export const guestLabel = (a: { email: string | null; shareId: string | null; guestId?: string | null }) =>
  a.email ?? (a.shareId ? `link ${a.shareId}` : `guest ${a.guestId ?? '?'}`);

export function auditGuest(orgId: string, type: string, who: GuestActor, request: GuestRequest, extra: {
  documentId?: string | null; outcome?: 'success' | 'failure' | 'denied'; reason?: string | null; details?: Record<string, unknown>;
} = {}, tx?: Tx) {
  const appended = recordAudit({
    orgId, type, shareId: who.shareId, documentId: extra.documentId ?? null,
    actor: { type: who.guestId ? 'guest' : 'anonymous', id: who.guestId, label: guestLabel(who) },
    request, outcome: extra.outcome, reason: extra.reason,
    // Portal events carry the portal (and the grants that allowed) in their details: analytics read them there.
    details: who.portalId ? { portalId: who.portalId, ...(who.grantIds?.length ? { grantIds: who.grantIds } : {}), ...extra.details } : extra.details,
  }, tx);
  // The live feed hears of it once it is in the trail (in a transaction, the caller's commit decides:
  // those are staff actions on guests, not guest activity).
  if (!tx) void appended.then(() => publishGuestActivity(orgId, type, who, extra), () => undefined);
  return appended;
}

/** A guest's access as a line of the live feed (lib/realtime/activity.ts says who hears it). */
function publishGuestActivity(orgId: string, type: string, who: GuestActor, extra: { documentId?: string | null; outcome?: string; reason?: string | null; details?: Record<string, unknown> }) {
  const grantKeys = who.shareId ? [shareGrantKey(who.shareId)] : (who.grantIds ?? []).map(portalGrantKey);
  const page = typeof extra.details?.page === 'number' ? extra.details.page : null;
  const outcome = (extra.outcome ?? 'success') as 'success' | 'failure' | 'denied';
  publishGuestAccess(orgId, {
    type, at: new Date().toISOString(), actor: guestLabel(who), documentId: extra.documentId ?? null, page, outcome,
    ...(outcome === 'success' ? {} : { reason: extra.reason ?? null }),
  }, { guestId: who.guestId, grantKeys });
}
