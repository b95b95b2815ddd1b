import { decodeJwt } from 'jose';
import type { Action } from '../policy';
import { authorizePortalGuest, type PortalGuestContext } from '../portals/guest-access';
import { findPortalById } from '../portals/portal-lookup';
import { AppError } from '../errors';
import type { GuestRequest } from '../guest/facts';

/** The portal a guest API token is for (its audience), read before verification only to pick the portal. */
export function portalOfToken(token: string): string | null {
  try {
    const aud = decodeJwt(token).aud;
    const m = typeof aud === 'string' ? /^portal:([A-Za-z0-9_-]{1,64})$/.exec(aud) : null;
    return m ? m[1] : null;
  } catch { return null; }
}

/** A portal token on the guest API: the portal it names (verified with the token), then the policy across its grants. */
export async function authorizePortalApi(token: string, request: GuestRequest, action: Action, opts: { documentId?: string; page?: number }): Promise<PortalGuestContext> {
  const portalId = portalOfToken(token);
  const portal = portalId ? await findPortalById(portalId) : null;
  if (!portal) throw new AppError('invalid_token', 'The access token is invalid.');
  return authorizePortalGuest(token, request, action, portal, opts);
}
