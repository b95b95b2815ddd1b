import { getPortalLogo, removePortalLogo, setPortalLogo } from '@/lib/portals/admin';
import { LOGO_MAX_BYTES } from '@/lib/portals/logo';
import { readSmallFile } from '@/lib/http/limited-form';
import { assertSameOrigin } from '@/lib/http/same-origin';
import { staffRoute } from '@/lib/http/route';
import { logoResponse } from '@/lib/http/logo-response';

export const dynamic = 'force-dynamic';

const ids = (params: { id: string }) => ({ portalId: params.id });

/** Staff view of the logo, archived portals included (the public route hides those). */
export const GET = staffRoute<{ id: string }>(async (req, p, params) => logoResponse(req, await getPortalLogo(p, params.id), 'private'),
  { where: 'GET /api/v1/portals/{id}/logo', ids });

/**
 * Uploads a logo: multipart/form-data with one "file" part, at most 1 MB. Answers 200 with the new
 * logo's URL. The image is checked and re-encoded in lib/portals/logo.ts.
 */
export const POST = staffRoute<{ id: string }>(async (req, p, params) => {
  if (p.kind === 'staff') assertSameOrigin(req.headers.get('origin'), req.headers.get('host'));
  const bytes = await readSmallFile(req, LOGO_MAX_BYTES, 'logo: the file is over the 1 MB limit.');
  const portal = await setPortalLogo(p, params.id, bytes);
  return Response.json({ id: portal.id, logoUrl: `/api/v1/portals/${portal.id}/logo?v=${portal.logoUpdatedAt!.getTime().toString(36)}` }, { headers: { 'cache-control': 'no-store' } });
}, { where: 'POST /api/v1/portals/{id}/logo', ids });

export const DELETE = staffRoute<{ id: string }>(async (req, p, params) => {
  if (p.kind === 'staff') assertSameOrigin(req.headers.get('origin'), req.headers.get('host'));
  await removePortalLogo(p, params.id);
  return new Response(null, { status: 204 });
}, { where: 'DELETE /api/v1/portals/{id}/logo', ids });
