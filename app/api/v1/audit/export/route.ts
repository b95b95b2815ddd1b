import { exportAuditTrail } from '@/lib/feed/export';
import { staffRoute } from '@/lib/http/route';
import { log } from '@/lib/log';

export const dynamic = 'force-dynamic';

/**
 * The compliance feed: the caller's organisation's audit trail as NDJSON, oldest first, after ?after=<seq>.
 * Streamed page by page from the database (lib/feed/export.ts); needs audit:read.
 */
export const GET = staffRoute(async (req, p) => {
  const url = new URL(req.url);
  const exp = await exportAuditTrail(p, { after: url.searchParams.get('after'), org: url.searchParams.get('org') });
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await exp.lines.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (e) {
        // Headers are gone already: the response is aborted (the chunked body never ends), never a false end.
        log.error({ err: (e as Error)?.message, orgId: exp.orgId }, 'audit export failed mid-stream');
        controller.error(e);
      }
    },
    async cancel() { await exp.lines.return(undefined); },
  });
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': 'application/x-ndjson; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      // Where this export ends: the next one continues with ?after=<this>.
      'x-liaison-audit-through': String(exp.through),
    },
  });
});
