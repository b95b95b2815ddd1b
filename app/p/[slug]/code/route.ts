import { portalFormRoute } from '@/lib/http/portal-route';
import { readGateForm } from '@/lib/http/guest-gate';
import { portalCodeEmailCookieHeader } from '@/lib/http/portal-cookie';
import { requestPortalCode } from '@/lib/portals/codes';

export const dynamic = 'force-dynamic';

/** Step one of signing in: "send me a code". A partner's address is shown the way to its own sign-in instead. */
export const POST = portalFormRoute(async (req, pc) => {
  const form = await readGateForm(req);
  const email = form.str('email') ?? '';
  const r = await requestPortalCode({ portal: pc.portal.slug, email }, pc.request);
  // The sign-in page shows the way to the partner's IdP as a link (see portalSsoStep).
  if (r.status === 'sso') return { location: `${pc.base || '/'}?sso=${encodeURIComponent(r.providerId)}` };
  return { cookies: [portalCodeEmailCookieHeader(pc.base, email.trim().toLowerCase())] };
});
