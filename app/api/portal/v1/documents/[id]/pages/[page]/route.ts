import { guestRoute, parsePage } from '@/lib/http/guest-route';
import { pageImageResponse } from '@/lib/http/page-image-response';

export const dynamic = 'force-dynamic';

/** One page of a shared document as an image (Bearer access token of a share or a portal session). */
export const GET = guestRoute<{ id: string; page: string }>('view',
  (req, ctx, p) => pageImageResponse(req, ctx, parsePage(p.page)!),
  (req, ctx, p) => pageImageResponse(req, ctx, parsePage(p.page)!));
