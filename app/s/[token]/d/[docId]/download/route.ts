import { guestLinkDownloadRoute } from '@/lib/http/guest-route';

export const dynamic = 'force-dynamic';

export const GET = guestLinkDownloadRoute();
