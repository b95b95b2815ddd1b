import { ipInRanges } from './cidr';
import { TLP_ORDER, type AccessInput, type Action, type Decision, type DenyReason, type GrantFacts, type GuestFacts } from './types';

/**
 * THE access decision for guests. Pages, viewer assets, downloads, the guest API, GraphQL fields and
 * socket events all call this, so a rule written here holds on every path. Pure: no I/O and no clock;
 * the caller loads the facts and passes the time. It decides for every kind of guest principal
 * (anonymous link, email-verified, registered, federated) on every kind of grant (a share; a portal).
 *
 * Checks run in this order and the first failure is the answer:
 *
 *  1. not_found      no such share, the document is not in it, it has no version to serve, or the page
 *                    is not one of its pages; or the request came to a host the grant is not served on
 *                    (another organisation's portal domain). First, so that a guest can never tell a
 *                    document of another share or organisation from one they may not use (never
 *                    forbidden, never revoked for someone else's document).
 *  2. revoked        before expiry: revocation is the deliberate act and the more useful answer.
 *  3. expired        expiresAt <= now (the boundary instant is already expired).
 *  3a. approval_pending  the grant awaits a second administrator's approval (two-person rule for
 *                    TLP:RED and whatever else lib/governance/approval.ts requires it for): nothing at
 *                    all is served, on any action, until it is approved; a refused grant never serves.
 *  4. invalid_token  the session is missing (any action but open), bound to another grant or another
 *                    host, revoked, past its expiry, or from an older share, password or guest epoch; or
 *                    it has no guest.
 *                    After 2 and 3 so that a guest whose share ended is told so rather than asked to sign
 *                    in again.
 *  5. guest_disabled the guest was disabled, or their own account expiry passed: at once, on every path.
 *  6. ip_denied      } where the request comes from: re-checked on every request, since a guest can
 *  7. geo_denied     } move. Before the identity, password and terms so that a request from outside the
 *  8. device_denied  } allowed conditions learns nothing more about the share, and cannot try passwords.
 *                    device_denied: the user agent's class is not allowed (advisory: the client names it),
 *                    or the grant requires a device and the request proved no approved device key.
 *  9. sso_required   the guest's address belongs to a partner organisation with an identity provider,
 *                    and they did not come through it: whatever the audience, only the partner's IdP may
 *                    vouch for its people (no email code, no invitation password, no anonymous link).
 * 10. email_required } the grant's audience: VERIFIED_EMAIL needs an address proved (code, invitation
 * 11. invitation_required } or IdP) that is a recipient or in an allowed domain; INVITED needs an invited,
 *                    registered guest who signed in with their password, or a federated invitee;
 *                    GRANTEES (portal grants) needs an identified guest the grant names (email_required).
 * 12. password_required
 * 13. terms_required
 * 14. tlp_denied     the version to be served is marked above the grant's ceiling as it stands now (the
 *                    organisation's, lowered by every partner organisation the grant reaches); or it is
 *                    TLP:AMBER+STRICT and the grant is not limited to one named partner organisation, or
 *                    the guest is not of it; or it is TLP:RED and the grant is not approved, reaches more
 *                    than named addresses, or the guest did not prove one of them (docs/CLASSIFICATION.md).
 *                    Checked at serve time, not only at creation: a TLP:RED version uploaded to a shared
 *                    document, or a lowered ceiling, stops the next request. After the password and terms
 *                    so that nobody learns a document's marking before passing the gate.
 * 15. cji_not_permitted  the document is marked criminal intelligence (28 CFR Part 23) and this release is
 *                    not one the rule allows (criminalIntelGrantProblem, criminalIntelGuestAllowed): the grant
 *                    must carry a need-to-know and right-to-know statement and name only people of partner
 *                    organisations marked as law-enforcement agencies (no link audience, no email domains),
 *                    and the guest must be of such a partner *now*. A partner that loses its flag stops
 *                    receiving at the next request. A purged record is not_found (nothing is left to serve).
 *                    After TLP so that the marking's own answer comes first.
 * 16. download_not_allowed / forbidden   what the action itself needs.
 *
 * Fail closed throughout: an invalid date counts as past, a malformed stored IP range or country
 * denies, an unknown country or device does not match a list, an unknown action is forbidden.
 */
export function decideAccess(input: AccessInput): Decision {
  const { grant } = input;
  if (!grant) return deny('not_found');
  const failed = firstFailure(input, grant);
  if (failed) return deny(failed.reason);
  return {
    allow: true,
    // Strictest reading when a caller built the facts sloppily: watermark unless explicitly off.
    obligations: { watermark: grant.watermark !== false, allowPrint: grant.allowPrint === true },
  };
}

function firstFailure(input: AccessInput, grant: GrantFacts): { reason: DenyReason; step: number } | null {
  for (let step = 0; step < CHECKS.length; step++) {
    const reason = CHECKS[step].run(input, grant);
    if (reason) return { reason, step };
  }
  return null;
}

export type GrantsDecision = (Decision & { allow: true; grantIds: string[] }) | (Decision & { allow: false; grantIds?: undefined });

/**
 * The decision for a guest of a portal, where several grants may name the same guest and reach the same
 * document. Every grant that names the guest (grantNamesGuest) and, for a document, contains it, is
 * decided by decideAccess with the same facts. Allowed when any of them allows; the obligations are then
 * the strictest of the allowing grants (a watermark if any of them wants one, printing only if all allow
 * it), so holding a second grant never weakens the first. Refused otherwise, with the reason of the
 * grant that got furthest through the checks (the most specific thing the guest could act on: a guest
 * whose one grant expired is told "expired", not "not found").
 *
 * A document that no grant naming the guest contains is not_found, whatever else is true, so a guest
 * learns nothing about documents of sections they were not given; a guest no grant names is told
 * email_required (they proved no address the portal knows) and sees nothing.
 */
export function decideAcrossGrants(grants: readonly GrantFacts[], input: Omit<AccessInput, 'grant'>): GrantsDecision {
  const named = (Array.isArray(grants) ? grants : []).filter((g) => g && grantNamesGuest(g, input.guest));
  const doc = input.documentId;
  const candidates = doc == null ? named : named.filter((g) => listOf(g.documentIds)?.includes(doc));
  if (!candidates.length) return { allow: false, reason: doc == null ? 'email_required' : 'not_found' };
  const allowing: GrantFacts[] = [];
  let best: { reason: DenyReason; step: number } | null = null;
  for (const grant of candidates) {
    const failed = firstFailure({ ...input, grant }, grant);
    if (!failed) allowing.push(grant);
    else if (!best || failed.step > best.step) best = failed;
  }
  if (allowing.length) {
    return {
      allow: true,
      obligations: { watermark: allowing.some((g) => g.watermark !== false), allowPrint: allowing.every((g) => g.allowPrint === true) },
      grantIds: allowing.map((g) => g.id),
    };
  }
  return { allow: false, reason: best!.reason };
}

/** An anonymous guest holding the link: what `open` assumes when no identity is being proved. */
export const LINK_GUEST: GuestFacts = Object.freeze({
  kind: 'ANONYMOUS', email: null, disabled: false, expiresAt: null, partnerOrgId: null, partnerSso: false, authMethod: 'link', invited: false,
});

const domainOf = (email: string): string => email.slice(email.lastIndexOf('@') + 1);

/** Methods by which a guest proves an address. A link proves nothing. */
const PROVES_EMAIL: ReadonlySet<string> = new Set(['code', 'password', 'sso']);

function emailRule(guest: GuestFacts, grant: GrantFacts): DenyReason | null {
  const email = typeof guest.email === 'string' ? guest.email.toLowerCase() : null;
  if (!email || guest.kind === 'ANONYMOUS' || !PROVES_EMAIL.has(guest.authMethod)) return 'email_required';
  const recipients = listOf(grant.recipients) ?? [];
  const domains = listOf(grant.allowedDomains) ?? [];
  return recipients.includes(email) || domains.includes(domainOf(email)) ? null : 'email_required';
}

function invitationRule(guest: GuestFacts, grant: GrantFacts): DenyReason | null {
  const email = typeof guest.email === 'string' ? guest.email.toLowerCase() : null;
  const named = email != null && (listOf(grant.recipients) ?? []).includes(email);
  if (guest.kind === 'REGISTERED' && guest.authMethod === 'password' && guest.invited === true && named) return null;
  // A partner's people sign in through their IdP instead of setting a password; being named is their invitation.
  if (guest.kind === 'FEDERATED' && guest.authMethod === 'sso' && named) return null;
  return 'invitation_required';
}

/**
 * Whether a portal grant names this guest: an address the guest proved (code, password or IdP) that
 * the grant lists or whose domain it lists; or a federated guest of the grant's partner organisation
 * (only those in the grant's groups, when it has groups); or, on a grant without a partner, a
 * federated guest in one of its groups. Groups count only as asserted by an IdP at sign-in.
 */
export function grantNamesGuest(grant: GrantFacts, guest: GuestFacts | null | undefined): boolean {
  const g = guest ?? LINK_GUEST;
  if (g.kind === 'ANONYMOUS' || !PROVES_EMAIL.has(g.authMethod)) return false;
  const email = typeof g.email === 'string' ? g.email.toLowerCase() : null;
  if (email && ((listOf(grant.recipients) ?? []).includes(email) || (listOf(grant.allowedDomains) ?? []).includes(domainOf(email)))) return true;
  if (g.kind !== 'FEDERATED' || g.authMethod !== 'sso') return false;
  const groups = listOf(grant.groups) ?? [];
  const inGroup = groups.length > 0 && (listOf(g.groups) ?? []).some((x) => groups.includes(x));
  if (grant.partnerOrgId) return g.partnerOrgId === grant.partnerOrgId && (groups.length === 0 || inGroup);
  return inGroup;
}

const deny = (reason: DenyReason): Decision => ({ allow: false, reason });

/** Past or unreadable: an Invalid Date compares false with everything, which must not mean "still valid". */
const notAfter = (at: Date | null | undefined, now: Date): boolean =>
  !(at instanceof Date) || !(now instanceof Date) || !(at.getTime() > now.getTime());

const listOf = (v: unknown): readonly string[] | null => (Array.isArray(v) ? v : null);

/** Actions that serve or change a document's content, and list entries: they need the version's facts. */
const CONTENT_ACTIONS: ReadonlySet<Action> = new Set(['list', 'view', 'download', 'comment', 'edit']);
const needsVersion = (action: Action, documentId: unknown) => documentId != null && CONTENT_ACTIONS.has(action);

/** Rank of a marking; an unknown marking ranks above RED, so it is never under any ceiling. */
const tlpRank = (t: unknown): number => {
  const i = TLP_ORDER.indexOf(t as (typeof TLP_ORDER)[number]);
  return i < 0 ? Number.POSITIVE_INFINITY : i;
};

/** The address the guest proved, lower-case, or null when they proved none (a link proves nothing). */
const provedEmail = (g: GuestFacts): string | null =>
  g.kind !== 'ANONYMOUS' && PROVES_EMAIL.has(g.authMethod) && typeof g.email === 'string' ? g.email.toLowerCase() : null;

/**
 * TLP:AMBER+STRICT: "restricted to the recipient's organisation only". The grant must be limited to one
 * named partner organisation, and the guest must be of it: a federated guest of that partner, or a
 * proved address in its domains.
 */
function strictRule(g: GuestFacts, grant: GrantFacts): boolean {
  const org = grant.namedOrg;
  if (!org || typeof org.id !== 'string' || !Array.isArray(org.domains)) return false;
  if (g.kind === 'FEDERATED' && g.authMethod === 'sso' && g.partnerOrgId === org.id) return true;
  const email = provedEmail(g);
  return email != null && org.domains.includes(domainOf(email));
}

/** TLP:RED: "for the eyes and ears of individual recipients only": an approved grant to named addresses, and a guest who proved one. */
function redRule(g: GuestFacts, grant: GrantFacts): boolean {
  if (grant.approval !== 'APPROVED' || grant.namedOnly !== true) return false;
  const email = provedEmail(g);
  return email != null && (listOf(grant.recipients) ?? []).includes(email);
}

interface Check { name: string; run(input: AccessInput, share: GrantFacts): DenyReason | null }

const CHECKS: readonly Check[] = [
  {
    name: 'host',
    run: ({ request }, share) => {
      if (share.hosts == null) return null;
      const hosts = listOf(share.hosts);
      return hosts && typeof request.host === 'string' && hosts.includes(request.host) ? null : 'not_found';
    },
  },
  {
    name: 'document',
    run: ({ documentId, action, version, page }, share) => {
      if (documentId === undefined || documentId === null) return page == null ? null : 'not_found';
      if (!listOf(share.documentIds)?.includes(documentId)) return 'not_found';
      if (needsVersion(action, documentId) && (!version || typeof version.id !== 'string')) return 'not_found';
      if (page != null) {
        if (action !== 'view' || !Number.isSafeInteger(page) || page < 1) return 'not_found';
        if (version?.pages != null && page > version.pages) return 'not_found';
      }
      return null;
    },
  },
  { name: 'revoked', run: (_, share) => (share.state !== 'ACTIVE' || share.revokedAt != null ? 'revoked' : null) },
  { name: 'expired', run: ({ request }, share) => (notAfter(share.expiresAt, request.now) ? 'expired' : null) },
  {
    name: 'approval',
    run: (_, share) => {
      const a = share.approval ?? 'NONE';
      if (a === 'PENDING') return 'approval_pending';
      // A refused or withdrawn grant is revoked at that moment; should one still be ACTIVE, it stays shut.
      return a === 'NONE' || a === 'APPROVED' ? null : 'revoked';
    },
  },
  {
    name: 'session',
    run: (input, share) => {
      const { session, action, request } = input;
      if (!session) return action === 'open' ? null : 'invalid_token';
      const dead =
        session.grant !== (share.sessionAudience ?? `${share.kind}:${share.id}`) ||
        (session.host != null && session.host !== request.host) ||
        input.guest == null ||
        session.revokedAt != null ||
        notAfter(session.expiresAt, request.now) ||
        session.shareEpoch !== share.revocationEpoch ||
        session.passwordEpoch !== share.passwordEpoch ||
        session.guestEpoch !== session.guestRevocationEpoch;
      return dead ? 'invalid_token' : null;
    },
  },
  {
    name: 'guest',
    run: ({ guest, request }) => {
      if (guest == null) return null; // open with no identity: the anonymous link guest
      if (guest.disabled !== false) return 'guest_disabled';
      if (guest.expiresAt != null && notAfter(guest.expiresAt, request.now)) return 'guest_disabled';
      return null;
    },
  },
  {
    name: 'ip',
    run: ({ request }, share) => {
      const ranges = listOf(share.allowedIpRanges);
      if (!ranges) return 'ip_denied';
      return ranges.length === 0 || ipInRanges(request.ip, ranges) ? null : 'ip_denied';
    },
  },
  {
    name: 'geo',
    run: ({ request }, share) => {
      const countries = listOf(share.allowedCountries);
      if (!countries) return 'geo_denied';
      if (countries.length === 0) return null;
      const c = typeof request.country === 'string' ? request.country.trim().toUpperCase() : '';
      if (!/^[A-Z]{2}$/.test(c)) return 'geo_denied';
      return countries.some((x) => typeof x === 'string' && x.trim().toUpperCase() === c) ? null : 'geo_denied';
    },
  },
  {
    name: 'device',
    run: ({ request }, share) => {
      const devices = listOf(share.allowedDevices);
      if (!devices) return 'device_denied';
      if (share.requireDevice !== undefined && share.requireDevice !== false && request.deviceKey?.status !== 'APPROVED') return 'device_denied';
      if (devices.length === 0) return null;
      return request.device && devices.includes(request.device) ? null : 'device_denied';
    },
  },
  {
    name: 'sso',
    run: ({ guest }) => {
      const g = guest ?? LINK_GUEST;
      return g.partnerSso !== false && g.authMethod !== 'sso' ? 'sso_required' : null;
    },
  },
  {
    name: 'audience',
    run: ({ guest }, share) => {
      const g = guest ?? LINK_GUEST;
      switch (share.audience) {
        case 'ANYONE_WITH_LINK': return null;
        case 'VERIFIED_EMAIL': return emailRule(g, share);
        case 'INVITED': return invitationRule(g, share);
        case 'GRANTEES': return grantNamesGuest(share, g) ? null : 'email_required';
        default: return 'forbidden'; // an audience this code does not know: fail closed
      }
    },
  },
  {
    name: 'password',
    run: ({ session, proof }, share) => {
      if (share.hasPassword === false) return null;
      return session?.passwordVerified === true || proof?.passwordVerified === true ? null : 'password_required';
    },
  },
  {
    name: 'terms',
    run: ({ session, proof }, share) => {
      const needed = share.termsVersionId;
      if (needed == null) return null;
      const accepted = [...(listOf(session?.acceptedTermsVersionIds) ?? []), ...(listOf(proof?.acceptedTermsVersionIds) ?? [])];
      return accepted.includes(needed) ? null : 'terms_required';
    },
  },
  {
    name: 'tlp',
    run: ({ action, documentId, version, guest }, share) => {
      if (!needsVersion(action, documentId)) return null;
      // An unreadable ceiling counts as the lowest (CLEAR), an unreadable marking as above RED.
      const ceiling = tlpRank(share.tlpCeiling);
      if (!(tlpRank(version?.tlp) <= (Number.isFinite(ceiling) ? ceiling : 0))) return 'tlp_denied';
      const g = guest ?? LINK_GUEST;
      if (version?.tlp === 'AMBER_STRICT' && !strictRule(g, share)) return 'tlp_denied';
      if (version?.tlp === 'RED' && !redRule(g, share)) return 'tlp_denied';
      return null;
    },
  },
  {
    name: 'criminal_intelligence',
    run: ({ action, documentId, version, guest }, share) => {
      if (!needsVersion(action, documentId)) return null;
      const cji = version?.criminalIntel;
      if (cji == null) return null;
      if (cji.purged !== false) return 'not_found';
      return criminalIntelGrantProblem(share) == null && criminalIntelGuestAllowed(share, guest) ? null : 'cji_not_permitted';
    },
  },
  { name: 'action', run: ({ action }, share) => actionRule(action, share) },
];

/** A grant's law-enforcement partners as the caller loaded them now; anything unreadable counts as none. */
function lawEnforcementOf(grant: GrantFacts): { partnerIds: readonly string[]; domains: readonly string[] } {
  const le = grant.lawEnforcement;
  return { partnerIds: listOf(le?.partnerIds) ?? [], domains: (listOf(le?.domains) ?? []).map((d) => String(d).toLowerCase()) };
}

/**
 * Why a grant may not release criminal intelligence, or null when it may (28 CFR 23.20(e): only to law-
 * enforcement agencies with a need to know and a right to know). The same rule refuses such a grant when
 * it is made (lib/cfr/sharing.ts) and every request under it, so it cannot drift between the two:
 *  - a need-to-know and right-to-know statement on the grant;
 *  - an identified audience: never anyone with the link, never a whole email domain;
 *  - every address it names is in the domains of a partner marked as a law-enforcement agency now;
 *  - its partner organisation, when it names one, is such a partner now; SSO groups only with one;
 *  - it names at least someone.
 */
export function criminalIntelGrantProblem(grant: GrantFacts): string | null {
  if (typeof grant.needToKnow !== 'string' || grant.needToKnow.trim().length === 0) return 'no need-to-know and right-to-know statement';
  if (grant.audience !== 'INVITED' && grant.audience !== 'VERIFIED_EMAIL' && grant.audience !== 'GRANTEES') return 'open to anyone with the link';
  if ((listOf(grant.allowedDomains) ?? [null]).length > 0) return 'open to a whole email domain';
  const le = lawEnforcementOf(grant);
  const recipients = listOf(grant.recipients) ?? [null];
  const outside = recipients.filter((r) => typeof r !== 'string' || !le.domains.includes(domainOf(r.toLowerCase())));
  if (outside.length) return `names ${outside.map(String).join(', ')}, not of a law-enforcement partner`;
  if (grant.partnerOrgId != null && !le.partnerIds.includes(grant.partnerOrgId)) return 'names a partner organisation that is not a law-enforcement agency';
  if ((listOf(grant.groups) ?? []).length > 0 && grant.partnerOrgId == null) return 'names SSO groups without a law-enforcement partner';
  if (recipients.length === 0 && grant.partnerOrgId == null) return 'names nobody';
  return null;
}

/** The guest is of a partner marked as a law-enforcement agency now: federated from it, or an address proved in its domains. */
export function criminalIntelGuestAllowed(grant: GrantFacts, guest: GuestFacts | null | undefined): boolean {
  const g = guest ?? LINK_GUEST;
  if (g.kind === 'ANONYMOUS' || !PROVES_EMAIL.has(g.authMethod)) return false;
  const le = lawEnforcementOf(grant);
  if (g.kind === 'FEDERATED' && g.partnerOrgId != null && le.partnerIds.includes(g.partnerOrgId)) return true;
  const email = typeof g.email === 'string' ? g.email.toLowerCase() : null;
  return email != null && le.domains.includes(domainOf(email));
}

/** One check of the policy as it went for a request: passed, or failed with the reason it gives. */
export interface CheckOutcome { name: string; passed: boolean; reason: DenyReason | null; decisive: boolean }
export interface Explanation { decision: Decision; checks: CheckOutcome[] }

/**
 * The same decision as decideAccess, with every check it runs, in order, each passed or failed on the
 * same facts ("why can this guest see this?"). It runs the one list of checks decideAccess runs, so an
 * explanation can never disagree with a decision. decideAccess stops at the first failure; here every
 * check is run so that a reviewer sees all that would stand in the way, and the first failure is marked
 * decisive: it is the answer the guest would get.
 */
export function explainAccess(input: AccessInput): Explanation {
  const decision = decideAccess(input);
  const { grant } = input;
  if (!grant) return { decision, checks: [{ name: 'grant', passed: false, reason: 'not_found', decisive: true }] };
  let decided = false;
  const checks = CHECKS.map((c): CheckOutcome => {
    const reason = c.run(input, grant);
    const decisive = reason != null && !decided;
    if (reason) decided = true;
    return { name: c.name, passed: reason == null, reason, decisive };
  });
  return { decision, checks };
}

/** The names of the checks, in the order they run (for documentation and tests). */
export const CHECK_ORDER: readonly string[] = CHECKS.map((c) => c.name);

function actionRule(action: Action, share: GrantFacts): DenyReason | null {
  switch (action) {
    case 'open':
    case 'list':
    case 'view':
      return null;
    case 'download':
      return share.allowDownload === true ? null : 'download_not_allowed';
    case 'comment':
      return share.permission === 'COMMENT' || share.permission === 'EDIT' ? null : 'forbidden';
    case 'edit':
      return share.permission === 'EDIT' ? null : 'forbidden';
    case 'manage_share':
      // Changing, extending or resharing belongs to staff; no guest permission grants it.
      return 'forbidden';
    default:
      return 'forbidden';
  }
}
