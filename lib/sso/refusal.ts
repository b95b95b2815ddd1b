/**
 * Why a single sign-on did not complete. `reason` is public (the /sso/refused page explains it); `check`
 * names the exact test that failed and goes only to the audit trail.
 */
export const SSO_REASONS = [
  'provider_unavailable', // unknown or disabled provider, or it could not be reached
  'bad_request', // a start or callback without what it needs (return path, state)
  'sign_in_expired', // the sign-in was started more than 10 minutes ago, or never
  'replayed', // this answer was already used
  'state_mismatch', // the answer belongs to another browser or another sign-in
  'idp_error', // the identity provider refused or failed
  'invalid_response', // the answer failed a check (signature, issuer, audience, time, nonce…)
  'mfa_required', // the partner requires multi-factor sign-in and the answer does not show it
  'email_not_allowed', // no usable address, or one outside the partner's domains
  'unknown_account', // staff: no active console account with that address in this organisation
  'access_refused', // the share refused the guest (its own conditions)
  'rate_limited', // too many sign-ins or refused answers from this client address
] as const;
export type SsoReason = (typeof SSO_REASONS)[number];

export class SsoRefusal extends Error {
  constructor(readonly reason: SsoReason, readonly check: string, message?: string) {
    super(message ?? `${reason}: ${check}`);
  }
}

export const refuse = (reason: SsoReason, check: string, message?: string): never => {
  throw new SsoRefusal(reason, check, message);
};

export const isSsoReason = (v: unknown): v is SsoReason => typeof v === 'string' && (SSO_REASONS as readonly string[]).includes(v);
