import { requestEmailCode } from '@/lib/guest/email-codes';
import { errorResponse } from '@/lib/http/error-response';
import { guestRequest, readSmallJson } from '@/lib/http/guest-route';

export const dynamic = 'force-dynamic';

/** POST /api/portal/v1/codes {link, email}: 202 {"status":"sent"} for every well-formed address (docs/API.md). */
export async function POST(req: Request) {
  try {
    const r = await requestEmailCode(await readSmallJson(req), guestRequest(req));
    return Response.json({ status: r.status }, { status: 202, headers: { 'cache-control': 'no-store' } });
  } catch (e) {
    return errorResponse(e);
  }
}
