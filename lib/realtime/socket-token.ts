import { decodeJwt } from 'jose';
import { AppError } from '../errors';
import { authorizeGuest } from '../guest/access';
import { isLinkToken } from '../guest/link';
import { findShareByToken } from '../guest/session';
import { authorizePortalGuest } from '../portals/guest-access';
import { signGuestToken } from '../tokens';
import { guestRouteContext } from '../http/guest-route-context';
import { portalRouteContext } from '../http/portal-page';

/**
 * Lifetime of the token a browser presents in the socket handshake. Only the handshake reads it; every
 * event after is decided from the session itself, so it may expire while the socket lives.
 */
export const SOCKET_TOKEN_TTL_SECONDS = 60;

export interface SocketToken { token: string; expiresIn: number }

/** The device key the cookie's session is bound to (cnf.jkt), read from the cookie token the policy just accepted. */
function boundKey(verifiedToken: string): string | null {
  const cnf = decodeJwt(verifiedToken).cnf as { jkt?: unknown } | undefined;
  return typeof cnf?.jkt === 'string' ? cnf.jkt : null;
}

const notShared = () => new AppError('not_found', 'This link or document does not exist, or is not shared with you.');

/**
 * A short access token for the socket handshake of the browser session of a share link (whose HttpOnly
 * cookie is scoped to /s/<link> and so never reaches /socket.io): the same session, the same audience,
 * the same device binding, decided by the policy for `list` first.
 */
export async function shareSocketToken(linkToken: string, req: Request): Promise<SocketToken> {
  const share = isLinkToken(linkToken) ? await findShareByToken(linkToken) : null;
  if (!share) throw notShared();
  const { request, sessionToken } = guestRouteContext(req);
  const ctx = await authorizeGuest(sessionToken, request, 'list', { share });
  const jkt = boundKey(sessionToken!);
  const token = await signGuestToken({ sub: ctx.guestId, sid: ctx.sessionId }, {
    audience: `share:${share.id}`, ttlSeconds: SOCKET_TOKEN_TTL_SECONDS, orgId: share.orgId,
    conditions: { host: request.host ?? null, ...(jkt ? { jkt } : {}) },
  });
  return { token, expiresIn: SOCKET_TOKEN_TTL_SECONDS };
}

/** The same for a portal's browser session (cookie scoped to the portal's path). */
export async function portalSocketToken(slug: string, req: Request): Promise<SocketToken> {
  const page = await portalRouteContext(req, slug);
  if (!page) throw notShared();
  const ctx = await authorizePortalGuest(page.sessionToken, page.request, 'list', page.portal, { hosts: page.hosts });
  const jkt = boundKey(page.sessionToken!);
  const token = await signGuestToken({ sub: ctx.guestId, sid: ctx.sessionId }, {
    audience: `portal:${page.portal.id}`, ttlSeconds: SOCKET_TOKEN_TTL_SECONDS, orgId: page.portal.orgId,
    conditions: { host: page.request.host ?? null, ...(jkt ? { jkt } : {}) },
  });
  return { token, expiresIn: SOCKET_TOKEN_TTL_SECONDS };
}
