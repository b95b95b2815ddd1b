/**
 * Inputs and outputs of the one access decision (decideAccess). Every field is a plain fact the caller
 * has already loaded, so the decision itself is pure and can be tested exhaustively.
 */

export type ShareState = 'ACTIVE' | 'REVOKED';
/** TLP 2.0 markings, lowest to highest. */
export const TLP_ORDER = ['CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT', 'RED'] as const;
export type TlpLabel = (typeof TLP_ORDER)[number];
export type SharePermission = 'VIEW' | 'COMMENT' | 'EDIT';
export const DEVICE_CLASSES = ['desktop', 'mobile', 'tablet'] as const;
export type DeviceClass = (typeof DEVICE_CLASSES)[number];

export type GrantKind = 'share' | 'portal';
/**
 * Who may get in. The first three are a share's; GRANTEES is a portal grant's: identified guests it names
 * by address, domain, partner organisation or IdP group (see grantNamesGuest).
 */
export const AUDIENCES = ['ANYONE_WITH_LINK', 'VERIFIED_EMAIL', 'INVITED', 'GRANTEES'] as const;
export type Audience = (typeof AUDIENCES)[number];

/**
 * A grant: what a guest may reach and under which conditions. A share is a grant over its documents
 * (issue 5 adds portal grants over sections). Every field is the grant's state *now*.
 */
export interface GrantFacts {
  kind: GrantKind;
  id: string;
  orgId: string;
  state: ShareState;
  revokedAt: Date | null;
  expiresAt: Date;
  revocationEpoch: number;
  passwordEpoch: number;
  hasPassword: boolean;
  /** The terms version a guest must have accepted, or null when the share has no terms. */
  termsVersionId: string | null;
  /** CIDR strings as stored (validated by parseCidrList at creation). Empty means any address. */
  allowedIpRanges: readonly string[];
  /** ISO 3166-1 alpha-2 codes. Empty means any country. */
  allowedCountries: readonly string[];
  /** Device classes. Empty means any device. */
  allowedDevices: readonly string[];
  permission: SharePermission;
  allowDownload: boolean;
  allowPrint: boolean;
  watermark: boolean;
  documentIds: readonly string[];
  /**
   * The highest marking that may reach this share's guests *now*: the organisation's ceiling as it
   * stands at the time of the request (later also capped by a partner's), never the value at creation.
   */
  tlpCeiling: TlpLabel;
  /** Who may get in: anyone with the link, a proved address, or invited guests only. */
  audience: Audience;
  /** Lower-case addresses named on the grant: for VERIFIED_EMAIL they may prove themselves, for INVITED they are the invitees. */
  recipients: readonly string[];
  /** Lower-case domains whose addresses may prove themselves (VERIFIED_EMAIL), or whom a portal grant names. */
  allowedDomains: readonly string[];
  /**
   * The audience a session must carry to act on this grant. A share's sessions are its own
   * (`share:<id>`, the default); a portal grant's are the portal's (`portal:<portalId>`), since one
   * portal session works under every grant that names the guest.
   */
  sessionAudience?: string;
  /** Requests must prove possession of an approved device key bound to the session (RequestFacts.deviceKey). */
  requireDevice?: boolean;
  /** GRANTEES: the partner organisation whose federated guests the grant names (with `groups`, only those in them). */
  partnerOrgId?: string | null;
  /** GRANTEES: IdP groups whose federated members the grant names. */
  groups?: readonly string[];
  /**
   * Hosts the grant may be reached on (the console host and the portal's verified domains), or
   * null/absent for any. Anything else is not_found: a portal is not served through another's domain.
   */
  hosts?: readonly string[] | null;
  /**
   * 28 CFR Part 23: the grant's need-to-know and right-to-know statement (blank or absent: none). A
   * criminal-intelligence document is released only under a grant that has one.
   */
  needToKnow?: string | null;
  /**
   * The organisation's partner organisations marked as law-enforcement agencies *now* (their ids and
   * lower-case domains). Absent or empty: there are none, and criminal intelligence reaches nobody.
   */
  lawEnforcement?: { partnerIds: readonly string[]; domains: readonly string[] } | null;
  /**
   * Two-person approval (lib/governance/approval.ts): PENDING serves nothing on any path (approval_pending);
   * REFUSED and WITHDRAWN (revoked while it waited) never serve. Absent counts as NONE, which can never
   * release TLP:RED.
   */
  approval?: 'NONE' | 'PENDING' | 'APPROVED' | 'REFUSED' | 'WITHDRAWN';
  /**
   * The one partner organisation everyone this grant reaches belongs to (tlpScope in ./tlp-scope.ts), or
   * null: TLP:AMBER+STRICT is served only with one, and only to a guest of it.
   */
  namedOrg?: { id: string; domains: readonly string[] } | null;
  /** The grant reaches named addresses only (no link, domain, partner-wide or group grant): needed for TLP:RED. */
  namedOnly?: boolean;
}

/** @deprecated the name from before grants were generalised; a share is one kind of grant. */
export type ShareFacts = GrantFacts;

export const GUEST_KINDS = ['ANONYMOUS', 'EMAIL_VERIFIED', 'REGISTERED', 'FEDERATED'] as const;
export type GuestKind = (typeof GUEST_KINDS)[number];
/** How a guest proved themselves for a session: holding the link, a mailed code, their password, their IdP. */
export type AuthMethod = 'link' | 'code' | 'password' | 'sso';

/**
 * The guest principal, as it stands now (loaded on every request, so disabling or expiry stops the
 * next one), with what this session (or this open) proves about them.
 */
export interface GuestFacts {
  kind: GuestKind;
  /** The address the guest proved (code, invitation, IdP); null for an anonymous link guest. */
  email: string | null;
  disabled: boolean;
  /** The guest account's own expiry (registered guests); null when it has none. */
  expiresAt: Date | null;
  partnerOrgId: string | null;
  /** The address's domain belongs to a partner organisation with an identity provider: only its IdP may vouch for it. */
  partnerSso: boolean;
  authMethod: AuthMethod;
  /** The guest accepted an invitation to this grant (INVITED). */
  invited: boolean;
  /** Groups the guest's IdP asserted at their last sign-in (federated guests). */
  groups?: readonly string[];
}

/** The version an action would serve (the document's current version). */
export interface VersionFacts {
  id: string;
  tlp: TlpLabel;
  /** Page count when known (after the first render); pages beyond it are not_found. */
  pages: number | null;
  /**
   * The document is marked criminal intelligence (28 CFR Part 23); `purged` once its content was purged.
   * Absent or null: not marked. The loaders (lib/guest/facts.ts, versions.ts, context-loader.ts) always set it.
   */
  criminalIntel?: { purged: boolean } | null;
}

/** The guest session a token or cookie points at, with the guest's current epoch joined in. */
export interface SessionFacts {
  /** The grant this session was opened for, as `share:<id>` or `portal:<id>` (the token's audience). */
  grant: string | null;
  /** Epochs captured when the session was issued. */
  shareEpoch: number;
  passwordEpoch: number;
  guestEpoch: number;
  /** The guest's revocation epoch now. */
  guestRevocationEpoch: number;
  passwordVerified: boolean;
  acceptedTermsVersionIds: readonly string[];
  expiresAt: Date;
  revokedAt: Date | null;
  /** The host the session was opened on; a request to any other host is refused (invalid_token). Null: unbound (older sessions). */
  host?: string | null;
}

/**
 * A device key whose proof of possession came with this request, already checked by the caller: the
 * signature, method, URL, time, one-time jti and access-token hash of the proof, that the key belongs to
 * the session's guest and is the key the session was opened with. Only its approval is left to decide.
 */
export interface DeviceKeyFacts { status: 'APPROVED' | 'PENDING' | 'REVOKED' }

export interface RequestFacts {
  /** The client address as decided by server.ts (never a raw X-Forwarded-For). */
  ip: string | null;
  /** ISO alpha-2 from the GeoIP database, or null when unknown. */
  country: string | null;
  /** From deviceClass(userAgent); null when the user agent is not recognised. */
  device: DeviceClass | null;
  now: Date;
  /** The host the request was made to (normalised; see lib/http/request-host.ts). */
  host?: string | null;
  /** The proved device key, or null/absent when the request carried no valid proof. */
  deviceKey?: DeviceKeyFacts | null;
}

/**
 * What this very request proves, on top of the session: a password the caller has just checked
 * against the hash, or terms accepted in this request. Used mostly by `open`.
 */
export interface RequestProof {
  passwordVerified?: boolean;
  acceptedTermsVersionIds?: readonly string[];
}

export const ACTIONS = ['open', 'list', 'view', 'download', 'comment', 'edit', 'manage_share'] as const;
/**
 * - open: start a session (the only action that needs no session)
 * - list: the documents of the share; with a documentId and version, whether that entry may be listed
 * - view: the viewer page, and each page image (with `page`); never the original file
 * - download: the original file, including range requests and "download all"
 * - comment, edit: write to a document
 * - manage_share: change, extend or reshare; never a guest's right
 */
export type Action = (typeof ACTIONS)[number];

export interface AccessInput {
  /** null when the link or token pointed at no grant the caller could find. */
  grant: GrantFacts | null;
  /**
   * The guest principal. Required with a session; at `open`, the identity being proved (null for an
   * anonymous link, which then counts as an anonymous guest holding the link).
   */
  guest?: GuestFacts | null;
  session: SessionFacts | null;
  request: RequestFacts;
  action: Action;
  /** The document the action is about, when it is about one. */
  documentId?: string | null;
  /**
   * The version the action would serve. Required for view, download, comment and edit on a document
   * (and for a list entry): without it the answer is not_found, so a caller cannot skip the TLP check.
   */
  version?: VersionFacts | null;
  /** The 1-based page of a page-image request. */
  page?: number | null;
  proof?: RequestProof;
}

/** Reasons decideAccess can give. Password checking (invalid_password) and throttling happen before it. */
export const POLICY_DENY_REASONS = [
  'not_found',
  'revoked',
  'expired',
  'invalid_token',
  'guest_disabled',
  'ip_denied',
  'geo_denied',
  'device_denied',
  'sso_required',
  'email_required',
  'invitation_required',
  'password_required',
  'terms_required',
  'tlp_denied',
  'cji_not_permitted',
  'approval_pending',
  'download_not_allowed',
  'forbidden',
] as const;
export type DenyReason = (typeof POLICY_DENY_REASONS)[number];

export interface Obligations {
  /** Stamp the recipient's identity on what is served (viewer overlay, downloaded PDF). */
  watermark: boolean;
  allowPrint: boolean;
}

export type Decision =
  | { allow: true; obligations: Obligations }
  | { allow: false; reason: DenyReason };
