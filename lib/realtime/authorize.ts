import { prisma } from '../db/client';
import { AppError } from '../errors';
import { findLiveSession } from '../auth/sessions';
import type { Scope } from '../auth/scopes';
import { authorizeGuestSession, type GuestContext } from '../guest/access';
import { authorizePortalGuestSession, type PortalGuestContext } from '../portals/guest-access';
import { findPortalById } from '../portals/portal-lookup';
import { guestActorFromPortal, guestActorFromShare } from '../collab/actor';
import type { CollabActor, GuestCollabActor, StaffCollabActor } from '../collab/types';
import type { Action, DeviceKeyFacts } from '../policy';
import type { GuestSocketPrincipal, SocketPrincipal, StaffSocketPrincipal } from './socket-auth';

/**
 * Refusals after which this socket can never be allowed again: its session, grant, guest or device is
 * gone, or a condition it was opened under no longer holds (the socket's address and device are fixed).
 * The socket is told why (`access:revoked {reason}`) and disconnected. Any other refusal (forbidden,
 * not_found, tlp_denied...) concerns one event and only answers it.
 */
export const ENDING_REASONS: ReadonlySet<string> = new Set([
  'invalid_token', 'unauthenticated', 'revoked', 'expired', 'guest_disabled', 'device_denied', 'ip_denied', 'geo_denied',
  'sso_required', 'email_required', 'invitation_required', 'password_required', 'terms_required',
  // The grant went back to waiting for a second administrator: nothing of it serves until approved.
  'approval_pending',
]);

/** The device proved at the handshake, as it stands now: revoking it stops the next event. */
async function liveDeviceKey(p: GuestSocketPrincipal): Promise<DeviceKeyFacts | null> {
  if (!p.deviceThumbprint) return null;
  const d = await prisma().guestDevice.findUnique({ where: { guestId_thumbprint: { guestId: p.guestId, thumbprint: p.deviceThumbprint } }, select: { status: true } });
  return d ? { status: d.status } : null;
}

/**
 * The policy's decision for a guest socket's event, from its session id and live facts (the handshake's
 * short token is not looked at again). Returns the collaborating actor, or throws the refusal (audited).
 */
export async function authorizeGuestSocket(p: GuestSocketPrincipal, action: Action, documentId?: string | null): Promise<GuestCollabActor> {
  return (await decideGuestSocket(p, action, documentId)).actor;
}

/** As authorizeGuestSocket, with when this access ends by itself (the session's or the grant's expiry). */
export async function decideGuestSocket(p: GuestSocketPrincipal, action: Action, documentId?: string | null): Promise<{ actor: GuestCollabActor; endsAt: Date }> {
  const request = { ip: p.request.ip, userAgent: p.request.userAgent, host: p.request.host, proof: null };
  const deviceKey = await liveDeviceKey(p);
  const opts = { documentId: documentId ?? undefined, deviceKey };
  if (p.shareId) {
    const ctx = await authorizeGuestSession(p.sessionId, p.shareId, request, action, opts);
    return { actor: guestActorFromShare(ctx), endsAt: shareAccessEnds(ctx) };
  }
  const portal = p.portalId ? await findPortalById(p.portalId) : null;
  // An archived portal serves nothing: its sessions are over.
  if (!portal) throw new AppError('invalid_token', 'Your session is no longer valid. Sign in again.');
  const ctx = await authorizePortalGuestSession(p.sessionId, portal, request, action, opts);
  return { actor: guestActorFromPortal(ctx), endsAt: portalAccessEnds(ctx) };
}

const earliest = (a: Date, b: Date) => (a.getTime() < b.getTime() ? a : b);

/** When a share session's access ends by itself: the session's or the share's expiry. */
export const shareAccessEnds = (ctx: GuestContext) => earliest(ctx.facts.session.expiresAt, ctx.share.expiresAt);

/** A portal session's: its own expiry, or the latest of the allowing grants' (any one keeps the guest in). */
export function portalAccessEnds(ctx: PortalGuestContext): Date {
  const grantEnd = ctx.loaded.grants.filter((g) => ctx.grantIds.includes(g.id)).reduce((t, g) => Math.max(t, g.expiresAt.getTime()), 0);
  return earliest(ctx.facts.session.expiresAt, new Date(grantEnd || Date.now()));
}

const READ_ACTIONS: ReadonlySet<Action> = new Set(['open', 'list', 'view']);

/**
 * Staff: the console session (or API key) must still be live, the scope must allow the action (reading
 * for list and view, writing shares for comment and edit), and the document must be the organisation's.
 */
export async function authorizeStaffSocket(p: StaffSocketPrincipal, action: Action, documentId?: string | null): Promise<StaffCollabActor> {
  const scope: Scope = READ_ACTIONS.has(action) ? 'documents:read' : 'shares:write';
  if (!p.scopes.includes(scope)) throw new AppError('forbidden', 'Your role does not allow this action.');
  // Two independent lookups, in parallel: the credential is still live; the document is the organisation's.
  const [live, doc] = await Promise.all([
    p.via === 'cookie'
      ? (p.sessionId ? findLiveSession(p.sessionId, p.staffId).then(Boolean) : Promise.resolve(false))
      : prisma().apiKey.findFirst({ where: { id: p.staffId, orgId: p.orgId, revokedAt: null }, select: { id: true } }).then(Boolean),
    documentId ? prisma().document.findFirst({ where: { id: documentId, orgId: p.orgId }, select: { id: true } }) : Promise.resolve(true),
  ]);
  if (!live) throw p.via === 'cookie' ? new AppError('unauthenticated', 'Your console session has ended.') : new AppError('invalid_token', 'The API key is invalid or revoked.');
  if (!doc) throw new AppError('not_found', 'No such document.');
  return { kind: 'staff', orgId: p.orgId, staffId: p.staffId, name: p.name, ip: p.request.ip, userAgent: p.request.userAgent };
}

export const authorizeSocketPrincipal = (p: SocketPrincipal, action: Action, documentId?: string | null): Promise<CollabActor> =>
  p.kind === 'guest' ? authorizeGuestSocket(p, action, documentId) : authorizeStaffSocket(p, action, documentId);
