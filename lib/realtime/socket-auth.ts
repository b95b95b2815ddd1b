import type { Socket } from 'socket.io';
import { decodeJwt } from 'jose';
import { resolvePrincipal } from '../auth/resolve';
import { AppError } from '../errors';
import { clientIp } from '../http/client-ip';
import { requestHost, requestUrl } from '../http/request-host';
import { authorizeGuest } from '../guest/access';
import type { GuestRequest } from '../guest/facts';
import { authorizePortalGuest } from '../portals/guest-access';
import { findPortalById } from '../portals/portal-lookup';
import type { Principal } from '../auth/principal';
import { guestActorFromPortal, guestActorFromShare } from '../collab/actor';
import type { GuestCollabActor } from '../collab/types';
import { portalAccessEnds, shareAccessEnds } from './authorize';

/**
 * Who a socket is, made by the server at the handshake and kept in socket.data: never anything the
 * client claims. Plain data (it travels between instances with fetchSockets under the Redis adapter).
 */
export type SocketPrincipal = StaffSocketPrincipal | GuestSocketPrincipal;

export interface SocketRequest { ip: string | null; userAgent: string | null; host: string | null }

export interface StaffSocketPrincipal {
  kind: 'staff';
  orgId: string;
  /** A console user's id, or an API key's id (via says which). */
  staffId: string;
  via: 'cookie' | 'apikey';
  name: string;
  /** The console session, for a cookie; sign-out disconnects its sockets. */
  sessionId: string | null;
  scopes: string[];
  request: SocketRequest;
}

export interface GuestSocketPrincipal {
  kind: 'guest';
  orgId: string;
  guestId: string;
  sessionId: string;
  name: string;
  email: string | null;
  shareId: string | null;
  portalId: string | null;
  /** The device key proved at the handshake (its RFC 7638 thumbprint), on a device-bound grant. */
  deviceThumbprint: string | null;
  request: SocketRequest;
}

/** Query parameters that would carry a credential in the socket URL (logged by proxies, kept in history). */
const QUERY_CREDENTIALS = ['token', 'access_token', 'auth', 'proof'];

const GUEST_AUDIENCE = /^(share|portal):([A-Za-z0-9_-]{1,64})$/;

function guestAudience(token: string): { kind: 'share' | 'portal'; id: string } | null {
  try {
    const aud = decodeJwt(token).aud;
    const m = typeof aud === 'string' ? GUEST_AUDIENCE.exec(aud) : null;
    return m ? { kind: m[1] as 'share' | 'portal', id: m[2] } : null;
  } catch {
    return null;
  }
}

/**
 * The device key this handshake proved: the token's bound key (cnf.jkt), and only when the guest path
 * checked a proof by it (a device-bound grant) and found the device approved. A token alone proves no
 * device, so a socket that did not prove one can never pass a device-bound grant later.
 */
function provedDevice(key: { status: string } | null | undefined, token: string): string | null {
  if (key?.status !== 'APPROVED') return null;
  const cnf = decodeJwt(token).cnf as { jkt?: unknown } | undefined;
  return typeof cnf?.jkt === 'string' ? cnf.jkt : null;
}

/**
 * Authenticates a socket's handshake. `auth.token` is a guest access token (audience share:<id> or
 * portal:<id>), verified exactly as the HTTP guest paths verify one and allowed by the policy for
 * `list` (with `auth.proof`, a device proof for GET and the socket URL bound to the token, on
 * device-bound grants), or a staff API key; without a token, the console cookie. A credential in the
 * socket URL's query string is refused outright. Throws the refusal as an AppError.
 */
export interface Authenticated {
  principal: SocketPrincipal;
  /** A guest's collaborating identity as the handshake's decision allowed it, and when that access ends by itself. */
  guest?: { actor: GuestCollabActor; endsAt: Date };
}

export async function authenticateSocket(socket: Socket): Promise<Authenticated> {
  const req = socket.request;
  const query = socket.handshake.query ?? {};
  if (QUERY_CREDENTIALS.some((k) => k in query)) {
    throw new AppError('invalid_token', 'Credentials are not accepted in the socket URL; send them in the handshake auth.');
  }
  const auth = (socket.handshake.auth ?? {}) as { token?: unknown; proof?: unknown };
  const token = typeof auth.token === 'string' && auth.token ? auth.token : null;
  const request: SocketRequest = { ip: clientIp(req), userAgent: req.headers['user-agent']?.slice(0, 512) ?? null, host: requestHost(req) };
  const aud = token ? guestAudience(token) : null;
  if (token && aud) {
    const url = requestUrl(req);
    const guestRequest: GuestRequest = {
      ...request,
      proof: typeof auth.proof === 'string' && url ? { value: auth.proof, method: 'GET', url, bearer: true } : null,
    };
    if (aud.kind === 'share') {
      const ctx = await authorizeGuest(token, guestRequest, 'list', { expectedShareId: aud.id });
      const actor = guestActorFromShare(ctx);
      return {
        principal: {
          kind: 'guest', orgId: ctx.orgId, guestId: ctx.guestId, sessionId: ctx.sessionId, name: actor.name, email: ctx.email,
          shareId: ctx.share.id, portalId: null, deviceThumbprint: provedDevice(ctx.facts.request.deviceKey, token), request,
        },
        guest: { actor, endsAt: shareAccessEnds(ctx) },
      };
    }
    const portal = await findPortalById(aud.id);
    if (!portal) throw new AppError('invalid_token', 'Your session is no longer valid. Sign in again.');
    const ctx = await authorizePortalGuest(token, guestRequest, 'list', portal);
    const actor = guestActorFromPortal(ctx);
    return {
      principal: {
        kind: 'guest', orgId: ctx.orgId, guestId: ctx.guestId, sessionId: ctx.sessionId, name: actor.name, email: ctx.email,
        shareId: null, portalId: portal.id, deviceThumbprint: provedDevice(ctx.facts.request.deviceKey, token), request,
      },
      guest: { actor, endsAt: portalAccessEnds(ctx) },
    };
  }
  const principal = await resolvePrincipal(
    { authorization: token ? `Bearer ${token}` : undefined, cookie: req.headers.cookie },
    { ip: request.ip, userAgent: request.userAgent },
  );
  return { principal: staffPrincipal(principal, request) };
}

export function staffPrincipal(p: Principal, request: SocketRequest): StaffSocketPrincipal {
  return p.kind === 'staff'
    ? { kind: 'staff', orgId: p.orgId, staffId: p.userId, via: 'cookie', name: p.name || p.email, sessionId: p.sessionId ?? null, scopes: [...p.scopes], request }
    : { kind: 'staff', orgId: p.orgId, staffId: p.keyId, via: 'apikey', name: `API key ${p.name}`, sessionId: null, scopes: [...p.scopes], request };
}
