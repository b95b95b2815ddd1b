import { staffRoute } from '@/lib/http/route';
import { previewBrandCss } from '@/lib/portals/preview-brand';

export const dynamic = 'force-dynamic';

/** The portal's colours for the owner's preview frame (lib/portals/preview-brand.ts). */
export const GET = staffRoute<{ id: string }>(async (_req, p, params) => new Response(await previewBrandCss(p, params.id), {
  status: 200,
  headers: { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'no-store, private', 'x-content-type-options': 'nosniff' },
}), {
  where: 'GET /portals/{id}/preview/brand.css',
  ids: (params) => ({ portalId: params.id }),
});
