import { errorResponse } from '@/lib/http/error-response';
import { hostFromHeaders } from '@/lib/http/request-facts';
import { assertSameOrigin } from '@/lib/http/same-origin';
import { portalSocketToken } from '@/lib/realtime/socket-token';

export const dynamic = 'force-dynamic';

/** POST /p/<slug>/realtime-token: a short token for the socket handshake of this portal's browser session (docs/REALTIME.md). */
export async function POST(req: Request, { params }: { params: Promise<{ slug: string }> }): Promise<Response> {
  try {
    assertSameOrigin(req.headers.get('origin'), [req.headers.get('host'), hostFromHeaders(req.headers)]);
    const body = await portalSocketToken((await params).slug, req);
    return Response.json(body, { headers: { 'cache-control': 'no-store' } });
  } catch (e) {
    return errorResponse(e);
  }
}
