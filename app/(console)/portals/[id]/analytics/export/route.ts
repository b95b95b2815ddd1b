import { attachmentDisposition } from '@/lib/http/content-disposition';
import { staffRoute } from '@/lib/http/route';
import { portalAnalyticsCsv } from '@/lib/portals/analytics-csv';
import { consoleRange } from '@/lib/portals/analytics-range';

export const dynamic = 'force-dynamic';

/** CSV export of a portal's analytics, for the range the console page shows (same query string). */
export const GET = staffRoute<{ id: string }>(async (req, p, params) => {
  const range = consoleRange(Object.fromEntries(new URL(req.url).searchParams));
  const csv = await portalAnalyticsCsv(p, params.id, { from: range.from, to: range.to });
  return new Response(csv.body, {
    status: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8; header=present',
      'content-disposition': attachmentDisposition(csv.fileName),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}, {
  where: 'GET /portals/{id}/analytics/export',
  ids: (params) => ({ portalId: params.id }),
});
