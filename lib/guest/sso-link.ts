import { config } from '../config';
import { partnerProviderForEmail } from '../sso/partners';

export { partnerProviderForEmail };

/**
 * Where a partner's people start signing in: the provider's start route, returning to the link when it
 * is known (a refusal on a token-only API request does not carry the link, so it comes back without).
 */
export function ssoStartUrl(providerId: string, linkToken?: string | null, returnPath?: string): string {
  const u = new URL(`/sso/${encodeURIComponent(providerId)}/start`, config().publicUrl);
  if (linkToken) u.searchParams.set('return', `/s/${linkToken}`);
  else if (returnPath) u.searchParams.set('return', returnPath);
  return u.toString();
}

/** The sso_url of an sso_required refusal. */
export async function ssoUrlForGuest(share: { orgId: string }, email: string | null | undefined, linkToken?: string | null): Promise<string | undefined> {
  if (!email) return undefined;
  const p = await partnerProviderForEmail(share.orgId, email);
  return p ? ssoStartUrl(p.providerId, linkToken) : undefined;
}
