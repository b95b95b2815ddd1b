import { portalFormRoute } from '@/lib/http/portal-route';
import { portalCookieHeader } from '@/lib/http/portal-cookie';
import { redeemPortalHandoff } from '@/lib/portals/sso-handoff';

export const dynamic = 'force-dynamic';

/**
 * The end of a partner's single sign-on started on the portal's custom domain: the console host sent the
 * browser here with a one-time code (lib/portals/sso-handoff.ts), which opens the portal session on this
 * host. A refused code goes back to the portal's sign-in page with the reason.
 */
export const GET = portalFormRoute(async (req, pc) => {
  const opened = await redeemPortalHandoff(new URL(req.url).searchParams.get('code'), pc.portal, pc.request, pc.hosts);
  return { location: pc.base || '/', cookies: [portalCookieHeader(pc.base, opened.accessToken, opened.expiresIn)] };
});
