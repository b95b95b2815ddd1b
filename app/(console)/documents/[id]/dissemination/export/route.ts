import { releasesCsv } from '@/lib/cfr/dissemination';
import { attachmentDisposition } from '@/lib/http/content-disposition';
import { staffRoute } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

/** The document's dissemination log (28 CFR Part 23) as CSV (audit:read). */
export const GET = staffRoute<{ id: string }>(async (_req, p, params) => {
  const { document, csv } = await releasesCsv(p, params.id);
  return new Response(csv, {
    status: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': attachmentDisposition(`dissemination-${document.id}-${new Date().toISOString().slice(0, 10)}.csv`),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}, {
  where: 'GET /documents/{id}/dissemination/export',
  ids: (params) => ({ documentId: params.id }),
});
