import { openGuestSession } from '@/lib/guest/session';
import { errorResponse } from '@/lib/http/error-response';
import { guestRequest, readSmallJson } from '@/lib/http/guest-route';
import { termsRequiredBody } from '@/lib/guest/terms-info';

export const dynamic = 'force-dynamic';

export async function POST(req: Request) {
  let body: unknown;
  try {
    body = await readSmallJson(req);
    const s = await openGuestSession(body, guestRequest(req));
    return Response.json({ access_token: s.accessToken, token_type: 'Bearer', expires_in: s.expiresIn }, { status: 201, headers: { 'cache-control': 'no-store' } });
  } catch (e) {
    const res = errorResponse(e);
    // A guest asked to accept terms needs to know which version and what it says.
    return res.status === 403 ? termsRequiredBody(res, body) : res;
  }
}
