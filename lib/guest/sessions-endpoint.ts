import { describeError } from '../http/error-response';
import { openGuestSession } from './session';
import { openPortalSession } from '../portals/open';

const isPortalBody = (b: unknown): boolean => typeof b === 'object' && b !== null && 'portal' in b && !('link' in b);
import { termsRequiredBody } from './terms-info';
import type { GuestRequest } from './facts';

export interface EndpointAnswer { status: number; headers: Record<string, string>; body: unknown }

/**
 * POST /api/portal/v1/sessions, whoever carries the request: the raw server (./sessions-handler.ts in
 * lib/http, ahead of Next.js routing) or the Next route. `readBody` parses the JSON body (and may throw
 * a typed error); refusals are described in the one error mapping, terms_required with the terms.
 */
export async function sessionsEndpoint(readBody: () => Promise<unknown>, request: GuestRequest): Promise<EndpointAnswer> {
  let body: unknown;
  try {
    body = await readBody();
    // {"portal": "<slug>", …} signs in to a portal (CONTRACT: same identity fields, aud=portal:<id>).
    const s = isPortalBody(body) ? await openPortalSession(body, request) : await openGuestSession(body, request);
    return { status: 201, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }, body: { access_token: s.accessToken, token_type: 'Bearer', expires_in: s.expiresIn } };
  } catch (e) {
    const d = describeError(e);
    // A guest asked to accept terms needs to know which version and what it says.
    const withTerms = d.status === 403 && d.body.error === 'terms_required' ? await termsRequiredBody(d.body, body) : d.body;
    return { status: d.status, headers: d.headers, body: withTerms };
  }
}
