import { portalFormRoute } from '@/lib/http/portal-route';
import { readGateForm } from '@/lib/http/guest-gate';
import { portalCodeEmailCookieHeader, portalCookieHeader } from '@/lib/http/portal-cookie';
import { openPortalSession } from '@/lib/portals/open';
import { proofOfRequest } from '@/lib/http/request-proof';

export const dynamic = 'force-dynamic';

/** The browser form of POST /api/portal/v1/sessions {"portal": …}: the same call, answered with a cookie. */
export const POST = portalFormRoute(async (req, pc) => {
  const form = await readGateForm(req);
  const s = await openPortalSession({
    portal: pc.portal.slug, email: form.str('email') ?? '', code: form.str('code')?.replace(/\s+/g, ''),
    password: form.str('password'), totp: form.str('totp')?.replace(/\s+/g, ''),
  }, { ...pc.request, proof: proofOfRequest(req, form.str('dpop')) });
  return { cookies: [portalCookieHeader(pc.base, s.accessToken, s.expiresIn), portalCodeEmailCookieHeader(pc.base, null)] };
});
