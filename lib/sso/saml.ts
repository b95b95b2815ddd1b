import crypto from 'node:crypto';
import { SAML, ValidateInResponseTo, type CacheProvider, type Profile } from '@node-saml/node-saml';
import { DOMParser } from '@xmldom/xmldom';
import * as xpath from 'xpath';
import type { LoadedProvider } from './providers';
import { refuse, SsoRefusal } from './refusal';
import { createState, type Purpose, type StateRow } from './state';
import { samlAcsUrl, samlSpEntityId } from './urls';

/** Accepted difference between our clock and the IdP's, for NotBefore and NotOnOrAfter. */
export const SAML_CLOCK_SKEW_MS = 60_000;
/** An assertion older than this is refused even when the IdP gave it a longer life. */
const MAX_ASSERTION_AGE_MS = 5 * 60_000;

/**
 * node-saml, configured strictly: signed assertions required, audience = our entity id, the IdP's
 * issuer, InResponseTo always required and looked up through `cache` (which knows only the one request
 * of the sign-in being completed), a small clock skew.
 */
function samlFor(p: LoadedProvider, cache: CacheProvider, requestId?: string): SAML {
  const s = p.saml!;
  return new SAML({
    callbackUrl: samlAcsUrl(p.id),
    entryPoint: s.ssoUrl,
    issuer: samlSpEntityId(p.id),
    audience: samlSpEntityId(p.id),
    idpIssuer: s.entityId,
    idpCert: s.certs,
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    acceptedClockSkewMs: SAML_CLOCK_SKEW_MS,
    maxAssertionAgeMs: MAX_ASSERTION_AGE_MS,
    validateInResponseTo: ValidateInResponseTo.always,
    requestIdExpirationPeriodMs: 10 * 60_000,
    cacheProvider: cache,
    identifierFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    disableRequestedAuthnContext: true,
    signatureAlgorithm: 'sha256',
    digestAlgorithm: 'sha256',
    ...(requestId ? { generateUniqueId: () => requestId } : {}),
  });
}

/** Nothing to remember: the request id is recorded with the sign-in's state (SsoState.requestId). */
const noCache: CacheProvider = { saveAsync: async () => null, getAsync: async () => null, removeAsync: async () => null };

/** The AuthnRequest, HTTP-Redirect binding, with the state as RelayState. */
export async function startSaml(p: LoadedProvider, purpose: Purpose, returnTo: string | null, returnHost?: string | null): Promise<{ location: string; state: string }> {
  const requestId = `_${crypto.randomBytes(20).toString('hex')}`;
  const { state } = await createState({ providerId: p.id, purpose, requestId, returnTo, returnHost });
  const location = await samlFor(p, noCache, requestId).getAuthorizeUrlAsync(state, undefined, {});
  return { location, state };
}

export interface SamlResult { subject: string; email: string | null; name: string | null; groups: string[]; mfa: boolean }

const EMAIL_ATTRS = ['email', 'mail', 'emailAddress', 'urn:oid:0.9.2342.19200300.100.1.3', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress'];
const NAME_ATTRS = ['displayName', 'name', 'urn:oid:2.16.840.1.113730.3.1.241', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name'];
const GIVEN_ATTRS = ['givenName', 'urn:oid:2.5.4.42', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname'];
const SURNAME_ATTRS = ['sn', 'surname', 'urn:oid:2.5.4.4', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname'];
const GROUP_ATTRS = ['groups', 'memberOf', 'urn:oid:1.3.6.1.4.1.5923.1.5.1.1', 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups'];
const MFA_CONTEXTS = ['urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract', 'urn:oasis:names:tc:SAML:2.0:ac:classes:TimeSyncToken', 'http://schemas.microsoft.com/claims/multipleauthn', 'https://refeds.org/profile/mfa'];

const values = (profile: Profile, names: string[]): string[] => {
  for (const n of names) {
    const v = (profile as Record<string, unknown>)[n];
    const list = (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim());
    if (list.length) return list;
  }
  return [];
};

/**
 * The ACS. node-saml verifies the signature (of the one assertion: a second assertion beside a signed one
 * is refused), the IdP's issuer, audience, NotBefore/NotOnOrAfter and InResponseTo, which must be the
 * request of THIS sign-in. Then what node-saml leaves to us: the Response's Destination and the
 * SubjectConfirmationData Recipient must both be our ACS URL.
 */
export async function completeSaml(p: LoadedProvider, row: StateRow, samlResponse: string): Promise<SamlResult> {
  const cache: CacheProvider = {
    saveAsync: async () => null,
    // node-saml reads the value as the instant the request was made.
    getAsync: async (key) => (row.requestId && key === row.requestId ? row.createdAt.toISOString() : null),
    removeAsync: async () => null,
  };
  let profile: Profile | null;
  try {
    ({ profile } = await samlFor(p, cache).validatePostResponseAsync({ SAMLResponse: samlResponse }));
  } catch (e) {
    throw samlFailure(e);
  }
  if (!profile) return refuse('invalid_response', 'no_assertion');
  checkAddressing(samlResponse, samlAcsUrl(p.id), p.saml!.entityId);
  const email = values(profile, EMAIL_ATTRS)[0] ?? (/emailAddress$/.test(profile.nameIDFormat ?? '') ? profile.nameID : null) ?? null;
  const name = values(profile, NAME_ATTRS)[0] ?? ([values(profile, GIVEN_ATTRS)[0], values(profile, SURNAME_ATTRS)[0]].filter(Boolean).join(' ') || null);
  const context = (profile.getAssertion?.() as { Assertion?: { AuthnStatement?: Array<{ AuthnContext?: Array<{ AuthnContextClassRef?: Array<{ _?: string } | string> }> }> } } | undefined)
    ?.Assertion?.AuthnStatement?.[0]?.AuthnContext?.[0]?.AuthnContextClassRef?.[0];
  const contextRef = typeof context === 'string' ? context : context?._ ?? '';
  return { subject: profile.nameID, email, name, groups: values(profile, GROUP_ATTRS).slice(0, 200), mfa: MFA_CONTEXTS.includes(contextRef) };
}

/**
 * What node-saml leaves to us (it checks the issuer of logout messages only): the Issuer of the one,
 * signed, assertion (and of the Response, when it names one) must be the IdP's entity ID; the
 * Response's Destination (when present) and the SubjectConfirmationData Recipient must be our ACS.
 */
function checkAddressing(samlResponse: string, acs: string, entityId: string) {
  const doc = new DOMParser().parseFromString(Buffer.from(samlResponse, 'base64').toString('utf8'), 'text/xml');
  const attr = (expr: string) => (xpath.select(expr, doc as unknown as Node) as Attr[]).map((a) => a.value);
  const text = (expr: string) => (xpath.select(expr, doc as unknown as Node) as Node[]).map((n) => (n.textContent ?? '').trim());
  const R = "/*[local-name()='Response']";
  const A = `${R}/*[local-name()='Assertion']`;
  const issuers = text(`${A}/*[local-name()='Issuer']`);
  const responseIssuer = text(`${R}/*[local-name()='Issuer']`);
  if (issuers.length !== 1 || issuers[0] !== entityId || responseIssuer.some((i) => i !== entityId)) refuse('invalid_response', 'issuer');
  const destination = attr(`${R}/@Destination`);
  if (destination.length && destination[0] !== acs) refuse('invalid_response', 'destination');
  const recipients = attr(`${A}/*[local-name()='Subject']/*[local-name()='SubjectConfirmation']/*[local-name()='SubjectConfirmationData']/@Recipient`);
  if (!recipients.length || recipients.some((r) => r !== acs)) refuse('invalid_response', 'recipient');
}

function samlFailure(e: unknown): SsoRefusal {
  if (e instanceof SsoRefusal) return e;
  const msg = (e as Error)?.message ?? '';
  const check =
    /multiple assertions/i.test(msg) ? 'multiple_assertions'
    : /signature/i.test(msg) ? 'signature'
    : /InResponseTo/i.test(msg) ? 'in_response_to'
    : /audience/i.test(msg) ? 'audience'
    // node-saml says "no valid subject confirmation" when SubjectConfirmationData's NotOnOrAfter has passed.
    : /expired|NotOnOrAfter|valid subject confirmation/i.test(msg) ? 'expired'
    : /NotBefore|not yet valid/i.test(msg) ? 'not_yet_valid'
    : /issuer/i.test(msg) ? 'issuer'
    : /SAML provider returned/i.test(msg) ? 'idp_status'
    : 'malformed';
  return new SsoRefusal(check === 'idp_status' ? 'idp_error' : 'invalid_response', check, msg.slice(0, 200));
}

/** Liaison's SP metadata for this provider: entity id, ACS (HTTP-POST), and that assertions must be signed. */
export function spMetadata(p: LoadedProvider): string {
  return samlFor(p, noCache).generateServiceProviderMetadata(null);
}
