import { errorResponse } from '@/lib/http/error-response';
import { hostFromHeaders } from '@/lib/http/request-facts';
import { assertSameOrigin } from '@/lib/http/same-origin';
import { shareSocketToken } from '@/lib/realtime/socket-token';

export const dynamic = 'force-dynamic';

/** POST /s/<link>/realtime-token: a short token for the socket handshake of this link's browser session (docs/REALTIME.md). */
export async function POST(req: Request, { params }: { params: Promise<{ token: string }> }): Promise<Response> {
  try {
    assertSameOrigin(req.headers.get('origin'), [req.headers.get('host'), hostFromHeaders(req.headers)]);
    const body = await shareSocketToken((await params).token, req);
    return Response.json(body, { headers: { 'cache-control': 'no-store' } });
  } catch (e) {
    return errorResponse(e);
  }
}
