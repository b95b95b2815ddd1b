import * as client from 'openid-client';
import { discover } from './idp-input';
import { showsMfa } from './mfa';
import type { LoadedProvider } from './providers';
import { refuse, SsoRefusal } from './refusal';
import { openClientSecret } from './seal';
import { createState, type Purpose, type StateRow } from './state';
import { oidcRedirectUri } from './urls';

/** Discovery documents are kept for 5 minutes per provider version (an edit starts afresh). */
const CACHE_MS = 5 * 60 * 1000;
const cache = new Map<string, { at: number; config: Promise<client.Configuration> }>();

async function configFor(p: LoadedProvider): Promise<client.Configuration> {
  const key = `${p.id}:${p.updatedAt.getTime()}`;
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.config;
  const o = p.oidc!;
  const config = discover(o.issuer, o.clientId, openClientSecret(p.id, o.clientSecretSealed));
  cache.set(key, { at: Date.now(), config });
  try {
    return await config;
  } catch {
    cache.delete(key);
    return refuse('provider_unavailable', 'discovery');
  }
}

/** The authorization request: code flow with PKCE (S256), state and nonce, all recorded for the callback. */
export async function startOidc(p: LoadedProvider, purpose: Purpose, returnTo: string | null, loginHint?: string, returnHost?: string | null): Promise<{ location: string; state: string }> {
  const config = await configFor(p);
  const codeVerifier = client.randomPKCECodeVerifier();
  const nonce = client.randomNonce();
  const { state } = await createState({ providerId: p.id, purpose, nonce, codeVerifier, returnTo, returnHost });
  const params: Record<string, string> = {
    redirect_uri: oidcRedirectUri(p.id),
    scope: 'openid email profile',
    response_type: 'code',
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  };
  if (p.oidc!.requireMfa) {
    // Ask for the authentication methods in the ID token (some providers send them only when asked).
    params.claims = JSON.stringify({ id_token: { amr: { essential: true }, acr: { essential: true } } });
    if (p.oidc!.mfaAcrValues.length) params.acr_values = p.oidc!.mfaAcrValues.join(' ');
  }
  if (loginHint) params.login_hint = loginHint;
  return { location: client.buildAuthorizationUrl(config, params).href, state };
}

export interface OidcResult { subject: string; email: string | null; emailVerified: boolean; name: string | null; groups: string[]; mfa: boolean }

/**
 * The callback: openid-client checks the response's state and `iss`, redeems the code with the PKCE
 * verifier, and validates the ID token (signature, issuer, audience and azp, exp/iat, nonce). Then the
 * partner's MFA requirement. Every failure becomes an SsoRefusal naming the check.
 */
export async function completeOidc(p: LoadedProvider, row: StateRow, search: string): Promise<OidcResult> {
  const config = await configFor(p);
  const currentUrl = new URL(`${oidcRedirectUri(p.id)}${search}`);
  if (currentUrl.searchParams.has('error')) {
    return refuse('idp_error', `idp:${currentUrl.searchParams.get('error')!.slice(0, 60)}`);
  }
  let tokens;
  try {
    tokens = await client.authorizationCodeGrant(config, currentUrl, {
      pkceCodeVerifier: row.codeVerifier!,
      expectedState: currentUrl.searchParams.get('state') ?? '',
      expectedNonce: row.nonce!,
      idTokenExpected: true,
    });
  } catch (e) {
    throw oidcFailure(e);
  }
  const claims = tokens.claims();
  if (!claims) return refuse('invalid_response', 'id_token');
  const mfa = showsMfa(claims as { amr?: unknown; acr?: unknown }, p.oidc!.mfaAcrValues);
  if (p.oidc!.requireMfa && !mfa) refuse('mfa_required', 'amr');
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
  const groups = Array.isArray(claims.groups) ? claims.groups.filter((g): g is string => typeof g === 'string').slice(0, 200) : [];
  return {
    subject: claims.sub, email: str(claims.email), emailVerified: claims.email_verified !== false,
    name: str(claims.name) ?? ([str(claims.given_name), str(claims.family_name)].filter(Boolean).join(' ') || null), groups, mfa,
  };
}

/** openid-client's error, as the check that failed (the claim is named on the error or one of its causes). */
function oidcFailure(e: unknown): SsoRefusal {
  if (e instanceof SsoRefusal) return e;
  const err = e as { code?: string; error?: string; message?: string };
  if (e instanceof client.ResponseBodyError) return new SsoRefusal(err.error === 'invalid_grant' ? 'replayed' : 'idp_error', `token:${err.error ?? 'error'}`);
  if (e instanceof client.AuthorizationResponseError) return new SsoRefusal('idp_error', `idp:${err.error ?? 'error'}`);
  const chain: Array<{ code?: string; message?: string; claim?: string; cause?: unknown }> = [];
  for (let c: unknown = e; c && typeof c === 'object' && chain.length < 5; c = (c as { cause?: unknown }).cause) chain.push(c as never);
  const texts = chain.map((c) => `${c.message ?? ''} ${typeof c.claim === 'string' ? `"${c.claim}"` : ''}`).join(' | ');
  const claim = chain.map((c) => c.claim).find((c): c is string => typeof c === 'string')
    ?? /"(iss|aud|azp|nonce|exp|iat|nbf|auth_time|sub)"/.exec(texts)?.[1]
    ?? (/\bstate\b/i.test(texts) ? 'state' : /\biss(uer)?\b/i.test(texts) ? 'iss' : null);
  const detail = texts.slice(0, 200);
  if (claim === 'state') return new SsoRefusal('state_mismatch', 'state', detail);
  if (claim) return new SsoRefusal('invalid_response', claim === 'azp' ? 'aud' : claim === 'iat' || claim === 'nbf' ? 'exp' : claim, detail);
  if (/signature/i.test(texts)) return new SsoRefusal('invalid_response', 'signature', detail);
  if (chain.some((c) => /^OAUTH_/.test(c.code ?? ''))) return new SsoRefusal('invalid_response', `response:${(err.code ?? '').slice(0, 60)}`, detail);
  return new SsoRefusal('provider_unavailable', `oidc:${(err.code ?? 'error').slice(0, 60)}`, detail);
}
