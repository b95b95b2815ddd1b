import { z } from 'zod';
import { errorResponse } from '@/lib/http/error-response';
import { isServedHost } from '@/lib/portals/host-map';

export const dynamic = 'force-dynamic';

const query = z.object({ domain: z.string().min(1).max(260) });

/**
 * GET /api/portal/v1/domains/check?domain=<host>: Caddy's on-demand TLS `ask` endpoint. 200 when the
 * name is the console host or a verified portal domain, 404 otherwise (README, "Custom domains and TLS").
 */
export async function GET(req: Request) {
  try {
    const parsed = query.safeParse({ domain: new URL(req.url).searchParams.get('domain') ?? undefined });
    const ok = parsed.success && (await isServedHost(parsed.data.domain));
    return Response.json(ok ? { status: 'ok' } : { error: 'not_found', error_description: 'Not a domain served here.' }, { status: ok ? 200 : 404, headers: { 'cache-control': 'no-store' } });
  } catch (e) {
    return errorResponse(e);
  }
}
