/**
 * `amr` values (RFC 8176) that show more than a password: "mfa" itself, or a second factor.
 * A partner that requires MFA is satisfied by one of these, or by an `acr` the administrator listed.
 */
const SECOND_FACTORS = new Set(['mfa', 'otp', 'hwk', 'swk', 'sms', 'tel', 'fpt', 'face', 'iris', 'retina', 'vbm', 'sc', 'pop']);
const MFA_ACR = new Set(['http://schemas.openid.net/pape/policies/2007/06/multi-factor', 'urn:okta:loa:2fa:any', 'phrh']);

export function showsMfa(claims: { amr?: unknown; acr?: unknown }, acceptedAcr: readonly string[]): boolean {
  const amr = Array.isArray(claims.amr) ? claims.amr.filter((x): x is string => typeof x === 'string') : [];
  if (amr.some((m) => SECOND_FACTORS.has(m))) return true;
  const acr = typeof claims.acr === 'string' ? claims.acr : null;
  return acr !== null && (acceptedAcr.includes(acr) || MFA_ACR.has(acr));
}
