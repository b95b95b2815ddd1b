import type { GuestRequest } from '../guest/facts';
import { cookieFrom, GUEST_COOKIE } from './guest-cookie';
import { factsFromHeaders, hostFromHeaders } from './request-facts';
import { proofOfRequest } from './request-proof';

/**
 * Request facts and the guest session cookie of a route handler's request. Kept apart from
 * guest-page.ts (server components, next/headers) so code that server.ts runs ahead of Next can use it:
 * next/headers may only load once Next has set up its request storage.
 */
export function guestRouteContext(req: Request): { request: GuestRequest; sessionToken: string | null } {
  const f = factsFromHeaders(req.headers);
  const sessionToken = cookieFrom(req.headers.get('cookie'), GUEST_COOKIE);
  return { request: { ip: f.ip ?? null, userAgent: f.userAgent ?? null, host: hostFromHeaders(req.headers), proof: proofOfRequest(req) }, sessionToken };
}
