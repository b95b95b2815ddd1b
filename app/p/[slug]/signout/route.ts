import { portalFormRoute } from '@/lib/http/portal-route';
import { portalCookieHeader } from '@/lib/http/portal-cookie';
import { signOutOfPortal } from '@/lib/portals/session-actions';

export const dynamic = 'force-dynamic';

export const POST = portalFormRoute(async (_req, pc) => {
  await signOutOfPortal(pc.portal, pc.request, pc.sessionToken);
  return { cookies: [portalCookieHeader(pc.base, '', 0)] };
});
