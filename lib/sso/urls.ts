import { config } from '../config';
import { isLinkToken } from '../guest/link';

/**
 * The addresses of Liaison's side of single sign-on, all under /sso/<providerId>/. They are what an
 * administrator registers at the identity provider, so they depend only on the public URL and the id.
 */
const base = (providerId: string) => `${config().publicUrl}/sso/${encodeURIComponent(providerId)}`;

/** OIDC redirect_uri. */
export const oidcRedirectUri = (providerId: string) => `${base(providerId)}/callback`;
/** SAML Assertion Consumer Service (HTTP-POST). */
export const samlAcsUrl = (providerId: string) => `${base(providerId)}/acs`;
/** SAML SP metadata; also the SP's entity id, so the two never disagree. */
export const samlMetadataUrl = (providerId: string) => `${base(providerId)}/metadata`;
export const samlSpEntityId = samlMetadataUrl;

/** Where a partner user starts signing in on the way to the share `linkToken` names (the refusal's sso_url). */
export function ssoStartUrl(providerId: string, linkToken: string): string {
  if (!isLinkToken(linkToken)) throw new Error('not a link token');
  return `${base(providerId)}/start?return=${encodeURIComponent(`/s/${linkToken}`)}`;
}

/** Where a staff member starts signing in to the console through their organisation's provider. */
export const staffSsoStartUrl = (providerId: string) => `${base(providerId)}/start?purpose=staff`;

/** The neutral refusal page, with a stable reason code (never internals). */
export const refusedUrl = (reason: string) => `${config().publicUrl}/sso/refused?reason=${encodeURIComponent(reason)}`;

/**
 * The return path a guest start may carry: exactly `/s/<link token>`, nothing else (no other path,
 * query, fragment, host or scheme), so the start endpoint cannot be used as an open redirect.
 */
/** The portal slug of a return path /p/<slug>, or null. */
export function portalSlugFromReturn(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const m = /^\/p\/([a-z0-9](?:[a-z0-9-]{1,46}[a-z0-9]))$/.exec(raw);
  return m ? m[1] : null;
}

export function linkTokenFromReturn(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const m = /^\/s\/([A-Za-z0-9_-]{43})$/.exec(raw);
  return m && isLinkToken(m[1]) ? m[1] : null;
}
