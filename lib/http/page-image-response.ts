import { z } from 'zod';
import type { ServingContext } from '../guest/access';
import { serveGuestPage } from '../guest/pages';
import { CONTENT_LENGTH_HEADER } from './content-length';

const query = z.object({ w: z.coerce.number().int().min(1).max(4000).optional() });

/**
 * The answer to a page-image request (browser viewer and guest API alike): `?w=` picks the rendered
 * width (rounded up to a fixed set of sizes). The image is never cached by the browser or a proxy, and
 * cannot be run as a document if opened on its own.
 */
export async function pageImageResponse(req: Request, ctx: ServingContext, page: number): Promise<Response> {
  const { w } = query.parse({ w: new URL(req.url).searchParams.get('w') ?? undefined });
  const img = await serveGuestPage(ctx, page, w ?? null);
  return new Response(new Uint8Array(img.body), {
    status: 200,
    headers: {
      'content-type': img.mediaType,
      [CONTENT_LENGTH_HEADER]: String(img.body.length),
      'content-disposition': `inline; filename="page-${img.page}.png"`,
      'cache-control': 'no-store, private',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "sandbox; default-src 'none'",
      'cross-origin-resource-policy': 'same-origin',
    },
  });
}
