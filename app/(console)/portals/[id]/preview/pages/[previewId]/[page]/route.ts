import { previewPageRoute } from '@/lib/http/preview-page-route';

export const dynamic = 'force-dynamic';

/** One page image of the owner's preview of a portal document (lib/portals/preview-document.ts). */
export const GET = previewPageRoute();
