import type { Principal } from '../auth/principal';
import type { GuestContext } from '../guest/access';
import type { PortalGuestContext } from '../portals/guest-access';
import { portalGrantKey, shareGrantKey, type GuestCollabActor, type StaffCollabActor } from './types';

interface GrantFlags { key: string; showGuestPresence: boolean; keepPartiesApart: boolean }

/**
 * A guest's display name for other participants. An anonymous link guest has no address: a short tag of
 * the guest id tells two of them apart without naming the share (which a label like "link <shareId>" would).
 */
export const guestDisplayName = (guestId: string, email: string | null) => email ?? `Guest ${guestId.slice(-6)}`;

function fromGrants(base: Omit<GuestCollabActor, 'grantKeys' | 'openGrantKeys' | 'presenceGrantKeys'>, grants: GrantFlags[]): GuestCollabActor {
  // A grant that keeps parties apart is never open, whatever its presence flag says: the barrier wins.
  const open = grants.filter((g) => !g.keepPartiesApart);
  return {
    ...base,
    grantKeys: grants.map((g) => g.key),
    openGrantKeys: open.map((g) => g.key),
    presenceGrantKeys: open.filter((g) => g.showGuestPresence).map((g) => g.key),
  };
}

/** The guest of a share, from the context authorizeGuest returned for an allowed decision. */
export function guestActorFromShare(ctx: GuestContext): GuestCollabActor {
  return fromGrants({
    kind: 'guest', orgId: ctx.orgId, guestId: ctx.guestId, sessionId: ctx.sessionId, name: guestDisplayName(ctx.guestId, ctx.email),
    email: ctx.email, ip: ctx.request.ip, userAgent: ctx.request.userAgent, shareId: ctx.share.id, portalId: null,
  }, [{ key: shareGrantKey(ctx.share.id), showGuestPresence: ctx.share.showGuestPresence, keepPartiesApart: ctx.share.keepPartiesApart }]);
}

/**
 * The guest of a portal, from the context authorizePortalGuest returned: the grants are exactly those
 * that allowed this request (decideAcrossGrants), never every grant naming the guest.
 */
export function guestActorFromPortal(ctx: PortalGuestContext): GuestCollabActor {
  const grants = ctx.grantIds.map((id) => {
    const flags = ctx.loaded.collabOfGrant.get(id);
    // Unknown flags fail closed: parties apart, no presence.
    return { key: portalGrantKey(id), showGuestPresence: flags?.showGuestPresence ?? false, keepPartiesApart: flags?.keepPartiesApart ?? true };
  });
  return fromGrants({
    kind: 'guest', orgId: ctx.orgId, guestId: ctx.guestId, sessionId: ctx.sessionId, name: guestDisplayName(ctx.guestId, ctx.email),
    email: ctx.email, ip: ctx.request.ip, userAgent: ctx.request.userAgent, shareId: null, portalId: ctx.portal.id,
  }, grants);
}

/**
 * Staff (or an API key) acting for the organisation. The caller has authenticated the principal and
 * checked its scope; `request` is where the request came from (the principal's own when omitted).
 * An API key has no staff user: it acts as "API key <name>" with its key id (apiKey: true).
 */
export function staffActor(principal: Principal, request?: { ip?: string | null; userAgent?: string | null } | null): StaffCollabActor {
  const req = request ?? principal.request;
  return principal.kind === 'staff'
    ? { kind: 'staff', orgId: principal.orgId, staffId: principal.userId, name: principal.name, ip: req.ip ?? null, userAgent: req.userAgent ?? null }
    : { kind: 'staff', orgId: principal.orgId, staffId: principal.keyId, name: `API key ${principal.name}`, ip: req.ip ?? null, userAgent: req.userAgent ?? null, apiKey: true };
}
