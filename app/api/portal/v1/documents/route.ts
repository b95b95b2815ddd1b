import { listGuestDocuments } from '@/lib/guest/content';
import { guestRoute } from '@/lib/http/guest-route';
import { visibleSections } from '@/lib/portals/landing';

export const dynamic = 'force-dynamic';

export const GET = guestRoute('list', async (_req, ctx) => {
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
