import { guestLinkRoute, parsePage } from '@/lib/http/guest-route';
import { pageImageResponse } from '@/lib/http/page-image-response';

export const dynamic = 'force-dynamic';

/** One page of a shared document as an image, for the browser viewer (session cookie of the link). */
export const GET = guestLinkRoute<{ token: string; docId: string; page: string }>('view', (req, ctx, p) =>
  pageImageResponse(req, ctx, parsePage(p.page)!));
