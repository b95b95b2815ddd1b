import { sessionsEndpoint } from '@/lib/guest/sessions-endpoint';
import { guestRequest, readSmallJson } from '@/lib/http/guest-route';

export const dynamic = 'force-dynamic';

/** The same endpoint as lib/http/sessions-handler.ts (which the server runs ahead of Next); kept for `next dev` and tests. */
export async function POST(req: Request) {
  const a = await sessionsEndpoint(() => readSmallJson(req), guestRequest(req));
  return new Response(JSON.stringify(a.body), { status: a.status, headers: a.headers });
}
