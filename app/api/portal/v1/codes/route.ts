import { requestEmailCode } from '@/lib/guest/email-codes';
import { requestPortalCode } from '@/lib/portals/codes';
import { errorResponse } from '@/lib/http/error-response';
import { guestRequest, readSmallJson } from '@/lib/http/guest-route';

export const dynamic = 'force-dynamic';

/** POST /api/portal/v1/codes {link, email}: 202 {"status":"sent"} for every well-formed address (docs/API.md). */
export async function POST(req: Request) {
  try {
    const body = await readSmallJson(req);
    // {"portal": "<slug>", "email": …}: a portal's code; a partner's address is pointed at its IdP.
    if (typeof body === 'object' && body !== null && 'portal' in body && !('link' in body)) {
      const r = await requestPortalCode(body, guestRequest(req));
      return Response.json(r.status === 'sso' ? { status: 'sso', sso_url: r.ssoUrl } : { status: 'sent' }, { status: 202, headers: { 'cache-control': 'no-store' } });
    }
    const r = await requestEmailCode(body, guestRequest(req));
    return Response.json({ status: r.status }, { status: 202, headers: { 'cache-control': 'no-store' } });
  } catch (e) {
    return errorResponse(e);
  }
}
