import { config } from '../config';
import { partnerProviderForEmail } from '../sso/partners';
import { isConsoleHost } from '../portals/site';

export { partnerProviderForEmail };

/**
 * Where a partner's people start signing in: the provider's start route, returning to the link when it
 * is known (a refusal on a token-only API request does not carry the link, so it comes back without),
 * or to a portal (`returnPath` /p/<slug>). `returnHost`: the portal's custom domain the sign-in started
 * on, where the callback hands the browser back to (lib/portals/sso-handoff.ts); the start route checks
 * that the portal is served there.
 */
export function ssoStartUrl(providerId: string, linkToken?: string | null, returnPath?: string, returnHost?: string | null): string {
  const u = new URL(`/sso/${encodeURIComponent(providerId)}/start`, config().publicUrl);
  if (linkToken) u.searchParams.set('return', `/s/${linkToken}`);
  else if (returnPath) u.searchParams.set('return', returnPath);
  if (!linkToken && returnPath && returnHost && !isConsoleHost(returnHost, config().publicUrl)) u.searchParams.set('host', returnHost);
  return u.toString();
}

/** The sso_url of an sso_required refusal (on a portal: `portal` gives its return path and the request's host). */
export async function ssoUrlForGuest(share: { orgId: string }, email: string | null | undefined, linkToken?: string | null,
  portal?: { slug: string; host: string | null }): Promise<string | undefined> {
  if (!email) return undefined;
  const p = await partnerProviderForEmail(share.orgId, email);
  return p ? ssoStartUrl(p.providerId, linkToken, portal ? `/p/${portal.slug}` : undefined, portal?.host) : undefined;
}
