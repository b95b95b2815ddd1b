import { guestDocumentLayout } from '@/lib/guest/pages';
import { guestRoute } from '@/lib/http/guest-route';
import { mayDownload } from '@/lib/portals/decisions';

export const dynamic = 'force-dynamic';

/** A shared document's details and page layout, for clients that show pages (/pages/<n>). */
export const GET = guestRoute<{ id: string }>('view', async (_req, ctx) => {
  const v = ctx.version!;
  const viewer = await guestDocumentLayout(ctx);
  return Response.json({
    id: v.documentId, title: v.document.title, versionId: v.id, mediaType: v.mediaType, size: Number(v.size), fileName: v.fileName,
    permission: ctx.share.permission, allowDownload: ctx.share.allowDownload, allowPrint: ctx.share.allowPrint, watermark: ctx.share.watermark,
    ...(viewer.kind === 'pages'
      ? { pages: viewer.layout.pages, pageSizes: viewer.layout.sizes }
      : { pages: null, viewerUnsupported: viewer.message }),
  }, { headers: { 'cache-control': 'no-store' } });
}, async (_req, ctx) => {
  const v = ctx.version!;
  const viewer = await guestDocumentLayout(ctx);
  return Response.json({
    id: v.documentId, title: v.document.title, versionId: v.id, mediaType: v.mediaType, size: Number(v.size), fileName: v.fileName,
    allowDownload: mayDownload(ctx), allowPrint: ctx.obligations.allowPrint, watermark: ctx.obligations.watermark,
    ...(viewer.kind === 'pages' ? { pages: viewer.layout.pages, pageSizes: viewer.layout.sizes } : { pages: null, viewerUnsupported: viewer.message }),
  }, { headers: { 'cache-control': 'no-store' } });
});
