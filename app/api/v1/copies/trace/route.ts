import { traceCopies, MAX_TRACE_FILE_BYTES } from '@/lib/copies/trace';
import { readSmallJson } from '@/lib/http/guest-route';
import { readSmallFilePart } from '@/lib/http/limited-form';
import { staffRoute } from '@/lib/http/route';
import { assertSameOrigin } from '@/lib/http/same-origin';

export const dynamic = 'force-dynamic';

/**
 * Trace a leak: `{"code": "..."}` as JSON, or a leaked PDF, PNG, JPEG, WebP or Office file (docx, xlsx,
 * pptx) as the `file` part of a multipart form. Needs audit:read. Every trace is audited by traceCopies.
 */
export const POST = staffRoute(async (req, p) => {
  // The console posts with its cookie: only from our own pages.
  if (p.kind === 'staff') assertSameOrigin(req.headers.get('origin'), req.headers.get('host'));
  const multipart = /^multipart\/form-data/i.test(req.headers.get('content-type') ?? '');
  const part = multipart ? await readSmallFilePart(req, MAX_TRACE_FILE_BYTES, `Files up to ${MAX_TRACE_FILE_BYTES / 1024 / 1024} MB can be traced.`) : null;
  const result = part
    ? await traceCopies(p, { file: { bytes: Buffer.from(part.bytes), fileName: part.name } })
    : await traceCopies(p, { code: ((await readSmallJson(req)) as { code?: unknown } | null)?.code });
  return Response.json(result, { headers: { 'cache-control': 'no-store' } });
}, { where: 'POST /api/v1/copies/trace' });
