import { documentAuditExport } from '@/lib/collab/export';
import { attachmentDisposition } from '@/lib/http/content-disposition';
import { staffRoute } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

/** The document's audit trail with its comments, annotations and questions, as JSON (audit:read). */
export const GET = staffRoute<{ id: string }>(async (_req, p, params) => {
  const data = await documentAuditExport(p, params.id);
  return new Response(JSON.stringify(data, null, 2), {
    status: 200,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': attachmentDisposition(`audit-${data.document.id}-${data.exportedAt.slice(0, 10)}.json`),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}, {
  where: 'GET /documents/{id}/audit-export',
  ids: (params) => ({ documentId: params.id }),
});
