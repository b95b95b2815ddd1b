import { z } from 'zod';
import { AppError } from '../errors';
import { staffFromCookie } from '../auth/resolve';
import { previewPage } from '../portals/preview-document';
import { CONTENT_LENGTH_HEADER } from './content-length';
import { errorResponse } from './error-response';
import { parsePage } from './guest-route';
import { isId } from './ids';
import { factsFromHeaders } from './request-facts';

type Params = { id: string; previewId: string; page: string };

const query = z.object({ w: z.coerce.number().int().min(1).max(4000).optional() });

/**
 * GET /portals/<id>/preview/pages/<previewId>/<page>: a page image of the owner's preview. The console
 * session cookie only (no API key, and a guest's portal cookie is no staff session), for the staff member
 * who opened the preview; served like a guest's page image (never cached, sandboxed if opened alone).
 */
export function previewPageRoute() {
  return async (req: Request, { params }: { params: Promise<Params> }): Promise<Response> => {
    try {
      const p = await params;
      const principal = await staffFromCookie(req.headers.get('cookie'), factsFromHeaders(req.headers));
      if (!principal) throw new AppError('unauthenticated', 'Sign in to the console to preview a portal.');
      const page = parsePage(p.page);
      if (!isId(p.id) || !isId(p.previewId) || page === null) throw new AppError('not_found', 'This preview does not exist or has ended.');
      const { w } = query.parse({ w: new URL(req.url).searchParams.get('w') ?? undefined });
      const img = await previewPage(principal, p.id, p.previewId, page, w ?? null);
      return new Response(new Uint8Array(img.body), {
        status: 200,
        headers: {
          'content-type': 'image/png',
          [CONTENT_LENGTH_HEADER]: String(img.body.length),
          'content-disposition': `inline; filename="preview-page-${img.page}.png"`,
          'cache-control': 'no-store, private',
          'x-content-type-options': 'nosniff',
          'content-security-policy': "sandbox; default-src 'none'",
          'cross-origin-resource-policy': 'same-origin',
        },
      });
    } catch (e) {
      return errorResponse(e);
    }
  };
}
