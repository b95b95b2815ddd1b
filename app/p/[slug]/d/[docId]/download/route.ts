import { portalDownloadRoute } from '@/lib/http/portal-route';

export const dynamic = 'force-dynamic';

export const GET = portalDownloadRoute();
