import { listGuestDocuments, openGuestDownload } from '../guest/content';
import { visibleSections } from '../portals/landing';
import { fileResponse, guestRoute } from './guest-route';

/**
 * The guest API's two busiest GETs. Their route files under app/api/portal/v1 export these, and
 * server.ts serves the same functions on the raw request ahead of Next (lib/http/hot-guest-gets.ts),
 * so both ways in run the same token check, policy decision and audit.
 */

/** GET /api/portal/v1/documents: what the guest may list (a link share's documents, or a portal's sections). */
export const listDocuments = guestRoute('list', async (_req, ctx) => {
  const docs = await listGuestDocuments(ctx);
  return Response.json(docs.map(({ id, title, permission, allowDownload, allowPrint, watermark, mediaType, size }) =>
    ({ id, title, permission, allowDownload, allowPrint, watermark, mediaType, size })), { headers: { 'cache-control': 'no-store' } });
}, async (_req, ctx) => {
  // A portal token: the documents of every section the guest may list, with the section's name.
  const sections = await visibleSections(ctx);
  return Response.json(sections.flatMap((s) => s.documents.map((d) => ({
    id: d.id, title: d.title, section: { id: s.id, name: s.name }, allowDownload: d.allowDownload, mediaType: d.mediaType, size: d.size,
  }))), { headers: { 'cache-control': 'no-store' } });
});

/** GET /api/portal/v1/documents/<id>/content: the file, when the grant allows download (watermarked if it says so). */
export const documentContent = guestRoute<{ id: string }>('download',
  async (_req, ctx) => fileResponse(await openGuestDownload(ctx), 'attachment'),
  async (_req, ctx) => fileResponse(await openGuestDownload(ctx), 'attachment'));
