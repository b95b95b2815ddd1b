import { listGuestDocuments } from '@/lib/guest/content';
import { guestRoute } from '@/lib/http/guest-route';

export const dynamic = 'force-dynamic';

export const GET = guestRoute('list', async (_req, ctx) => {
  const docs = await listGuestDocuments(ctx);
  return Response.json(docs.map(({ id, title, permission, allowDownload, allowPrint, watermark, mediaType, size }) =>
    ({ id, title, permission, allowDownload, allowPrint, watermark, mediaType, size })), { headers: { 'cache-control': 'no-store' } });
});
