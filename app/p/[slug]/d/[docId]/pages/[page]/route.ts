import { portalPageImageRoute } from '@/lib/http/portal-route';

export const dynamic = 'force-dynamic';

/** One page of a portal document as an image: the only form in which a view-only document leaves. */
export const GET = portalPageImageRoute();
