import { Readable } from 'node:stream';
import { openProposalContent } from '@/lib/collab/proposals';
import { attachmentDisposition } from '@/lib/http/content-disposition';
import { CONTENT_LENGTH_HEADER } from '@/lib/http/content-length';
import { staffRoute } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

/** Staff download of a guest's proposed version, to review it before deciding. The domain call audits it. */
export const GET = staffRoute<{ id: string }>(async (_req, p, params) => {
  const file = await openProposalContent(p, params.id);
  const body = Readable.toWeb(file.stream) as unknown as ReadableStream<Uint8Array>;
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': file.mediaType || 'application/octet-stream',
      [CONTENT_LENGTH_HEADER]: String(file.size),
      'content-disposition': attachmentDisposition(file.fileName),
      etag: `"${file.sha256}"`,
      'cache-control': 'no-store, no-transform',
      'x-content-type-options': 'nosniff',
      // A guest's file: opened in a tab anyway, it cannot run script or reach our origin.
      'content-security-policy': 'sandbox',
    },
  });
}, {
  where: 'GET /api/v1/proposals/{id}/content',
  ids: (params) => ({ proposalId: params.id }),
});
