import type { Principal } from '../auth/principal';
import type { RequestFacts } from '../audit/record';
import type { GuestContext } from '../guest/access';
import type { PortalGuestContext } from '../portals/guest-access';
import { portalGrantKey, shareGrantKey, type GuestCollabActor, type StaffCollabActor } from './types';

/** The name a guest is shown by to others: their proved address, or a neutral label for a link guest. */
const guestName = (email: string | null) => email ?? 'Guest';

/**
 * The collaborating guest of a share request the policy has just allowed. One grant key (the share's);
 * it is open unless the share keeps its parties apart, and shows guest presence only when it is open and
 * the share asks for it.
 */
export function guestActorFromShare(ctx: GuestContext): GuestCollabActor {
  const key = shareGrantKey(ctx.share.id);
  const open = !ctx.share.keepPartiesApart;
  return {
    kind: 'guest', orgId: ctx.orgId, guestId: ctx.guestId, sessionId: ctx.sessionId, name: guestName(ctx.email), email: ctx.email,
    ip: ctx.request.ip, userAgent: ctx.request.userAgent, shareId: ctx.share.id, portalId: null,
    grantKeys: [key], openGrantKeys: open ? [key] : [], presenceGrantKeys: open && ctx.share.showGuestPresence ? [key] : [],
  };
}

/** The collaborating guest of a portal request the policy has just allowed: the grants that allowed it, with their flags. */
export function guestActorFromPortal(ctx: PortalGuestContext): GuestCollabActor {
  const flags = (id: string) => ctx.loaded.collabFlags.get(id) ?? { showGuestPresence: false, keepPartiesApart: true };
  const open = ctx.grantIds.filter((id) => !flags(id).keepPartiesApart);
  return {
    kind: 'guest', orgId: ctx.orgId, guestId: ctx.guestId, sessionId: ctx.sessionId, name: guestName(ctx.email), email: ctx.email,
    ip: ctx.request.ip, userAgent: ctx.request.userAgent, shareId: null, portalId: ctx.portal.id,
    grantKeys: ctx.grantIds.map(portalGrantKey), openGrantKeys: open.map(portalGrantKey),
    presenceGrantKeys: open.filter((id) => flags(id).showGuestPresence).map(portalGrantKey),
  };
}

/** Staff (a console user or an API key) as the author of collaboration items. */
export function staffActor(principal: Principal, request: RequestFacts): StaffCollabActor {
  return principal.kind === 'staff'
    ? { kind: 'staff', orgId: principal.orgId, staffId: principal.userId, name: principal.name || principal.email, ip: request.ip ?? null, userAgent: request.userAgent ?? null }
    : { kind: 'staff', orgId: principal.orgId, staffId: principal.keyId, name: `API key ${principal.name}`, ip: request.ip ?? null, userAgent: request.userAgent ?? null };
}
