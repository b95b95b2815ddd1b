import { Readable } from 'node:stream';
import { openDocumentContent } from '@/lib/documents/service';
import { attachmentDisposition } from '@/lib/http/content-disposition';
import { CONTENT_LENGTH_HEADER } from '@/lib/http/content-length';
import { staffRoute } from '@/lib/http/route';

export const dynamic = 'force-dynamic';

/** Staff download of a document (latest version, or ?version=<versionId>). The domain call audits it. */
export const GET = staffRoute<{ id: string }>(async (req, p, params) => {
  const version = new URL(req.url).searchParams.get('version') ?? undefined;
  const file = await openDocumentContent(p, params.id, version);
  const body = Readable.toWeb(file.stream) as unknown as ReadableStream<Uint8Array>;
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': file.mediaType || 'application/octet-stream',
      // Next strips Content-Length from route responses; the server restores it from this header.
      [CONTENT_LENGTH_HEADER]: String(file.size),
      'content-disposition': attachmentDisposition(file.fileName),
      etag: `"${file.sha256}"`,
      // no-transform: no gzip on the way out (the declared length stays true) and no proxy rewriting.
      'cache-control': 'no-store, no-transform',
      'x-content-type-options': 'nosniff',
      // Opened directly in a tab anyway, the file cannot run script or reach our origin.
      'content-security-policy': 'sandbox',
    },
  });
}, {
  where: 'GET /api/v1/documents/{id}/content',
  ids: (params, url) => ({ documentId: params.id, versionId: url.searchParams.get('version') }),
});
