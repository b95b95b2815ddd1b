import { portalFormRoute } from '@/lib/http/portal-route';
import { portalCookieHeader } from '@/lib/http/portal-cookie';
import { readGateForm } from '@/lib/http/guest-gate';
import { proofOfRequest } from '@/lib/http/request-proof';
import { redeemPortalHandoff } from '@/lib/portals/sso-handoff';

export const dynamic = 'force-dynamic';

/**
 * The end of a partner's single sign-on that the console host handed over with a one-time code
 * (lib/portals/sso-handoff.ts), which opens the portal session on this host. A refused code goes back to
 * the portal's sign-in page with the reason.
 *
 * GET: a sign-in started on the portal's custom domain. POST: the device step's form (../device/page.tsx)
 * for a portal with a device-bound grant, with a proof of the browser's device key (field `dpop`).
 */
export const GET = portalFormRoute(async (req, pc) => {
  const opened = await redeemPortalHandoff(new URL(req.url).searchParams.get('code'), pc.portal, pc.request, pc.hosts);
  return { location: pc.base || '/', cookies: [portalCookieHeader(pc.base, opened.accessToken, opened.expiresIn)] };
});

export const POST = portalFormRoute(async (req, pc) => {
  const form = await readGateForm(req);
  const opened = await redeemPortalHandoff(form.str('code'), pc.portal, { ...pc.request, proof: proofOfRequest(req, form.str('dpop')) }, pc.hosts);
  return { location: pc.base || '/', cookies: [portalCookieHeader(pc.base, opened.accessToken, opened.expiresIn)] };
});
