import { portalFormRoute } from '@/lib/http/portal-route';
import { readGateForm } from '@/lib/http/guest-gate';
import { acceptPortalTerms } from '@/lib/portals/session-actions';

export const dynamic = 'force-dynamic';

/** Accepting the terms the portal's grants ask for (every one shown must be ticked). */
export const POST = portalFormRoute(async (req, pc) => {
  const form = await readGateForm(req);
  if (!form.accepted) return { location: `${pc.base || '/'}?error=terms_required` };
  const ids = (form.str('termsVersionIds') ?? '').split(',').map((s) => s.trim()).filter(Boolean).slice(0, 20);
  await acceptPortalTerms(pc.portal, pc.request, pc.sessionToken, ids);
  return {};
});
