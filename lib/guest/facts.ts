import type { Prisma } from '../generated/prisma/client';
import { countryOf } from '../geo/country';
import { tlpScope, type PartnerScopeFacts } from '../policy/tlp-scope';
import { deviceClass, type TlpLabel, type AuthMethod, type GrantFacts, type GuestFacts, type RequestFacts as PolicyRequest, type SessionFacts, type VersionFacts } from '../policy';

/**
 * The organisation's ceiling and its partner organisations as they are now: a share's TLP scope
 * (lib/policy/tlp-scope.ts) is worked out from them on every request, so a partner's lowered ceiling
 * or changed domains hold at once.
 */
export const orgTlpSelect = {
  tlpCeiling: true,
  partnerOrgs: { select: { id: true, domains: true, tlpCeiling: true, lawEnforcement: true }, orderBy: { id: 'asc' } },
} satisfies Prisma.OrganizationSelect;

/** What the policy needs from a share row: its documents, recipients and the organisation's ceiling and partners as they are now. */
export const shareWithDocs = {
  documents: { select: { documentId: true } },
  recipients: { select: { email: true } },
  org: { select: orgTlpSelect },
} satisfies Prisma.ShareInclude;
export type ShareRow = Prisma.ShareGetPayload<{ include: typeof shareWithDocs }>;

/** A share's TLP scope: who it reaches, against the organisation's and its partners' ceilings now. */
export function shareScope(s: Pick<ShareRow, 'audience' | 'allowedDomains'> & { recipients: Array<{ email: string }>; org: { tlpCeiling: TlpLabel; partnerOrgs: PartnerScopeFacts[] } }) {
  return tlpScope(s.org.tlpCeiling, s.org.partnerOrgs, {
    link: s.audience === 'ANYONE_WITH_LINK', recipients: s.recipients.map((r) => r.email.toLowerCase()), domains: s.allowedDomains,
  });
}

/**
 * The organisation's partners marked as law-enforcement agencies now, as the policy reads them (ids,
 * lower-case domains), for criminal intelligence (28 CFR Part 23). Partners not flagged are left out.
 */
export const lawEnforcementFacts = (partners: readonly { id: string; domains: readonly string[]; lawEnforcement: boolean }[]) => {
  const le = partners.filter((p) => p.lawEnforcement);
  return { partnerIds: le.map((p) => p.id), domains: le.flatMap((p) => p.domains.map((d) => d.toLowerCase())) };
};

/** A share as a grant. */
export function toShareFacts(s: ShareRow): GrantFacts {
  const scope = shareScope(s);
  return {
    kind: 'share', id: s.id, orgId: s.orgId, audience: s.audience,
    recipients: s.recipients.map((r) => r.email.toLowerCase()), allowedDomains: s.allowedDomains.map((d) => d.toLowerCase()), state: s.state, revokedAt: s.revokedAt, expiresAt: s.expiresAt,
    revocationEpoch: s.revocationEpoch, passwordEpoch: s.passwordEpoch, hasPassword: Boolean(s.passwordHash),
    termsVersionId: s.termsVersionId, allowedIpRanges: s.allowedIpRanges, allowedCountries: s.allowedCountries,
    allowedDevices: s.allowedDevices, permission: s.permission, allowDownload: s.allowDownload, allowPrint: s.allowPrint,
    watermark: s.watermark, documentIds: s.documents.map((d) => d.documentId), tlpCeiling: scope.ceiling,
    requireDevice: s.requireDevice, approval: s.approvalState, namedOrg: scope.namedOrg, namedOnly: scope.namedOnly,
    needToKnow: s.needToKnow, lawEnforcement: lawEnforcementFacts(s.org.partnerOrgs),
  };
}

export const sessionWithGuest = {
  guest: {
    select: {
      id: true, email: true, kind: true, revocationEpoch: true, disabledAt: true, expiresAt: true, partnerOrgId: true,
      acceptances: { select: { termsVersionId: true } },
    },
  },
} satisfies Prisma.GuestSessionInclude;
export type SessionRow = Prisma.GuestSessionGetPayload<{ include: typeof sessionWithGuest }>;

/** The grant key a session or token is bound to (the token's audience). */
export const grantKeyOf = (s: { shareId: string | null; portalId: string | null }): string | null =>
  s.shareId ? `share:${s.shareId}` : s.portalId ? `portal:${s.portalId}` : null;

/** A session exists only once `open` succeeded, so it proves what it recorded (the share's password, or not). */
export function toSessionFacts(s: SessionRow): SessionFacts {
  return {
    // A portal session's epoch is the portal's (compared with the portal grant's revocationEpoch).
    grant: grantKeyOf(s), shareEpoch: s.shareId ? s.shareEpoch : s.portalEpoch, passwordEpoch: s.passwordEpoch, guestEpoch: s.guestEpoch,
    guestRevocationEpoch: s.guest.revocationEpoch, passwordVerified: s.passwordVerified,
    acceptedTermsVersionIds: s.guest.acceptances.map((a) => a.termsVersionId),
    expiresAt: s.expiresAt, revokedAt: s.revokedAt, host: s.host,
  };
}

/** What is known about a guest beyond its row, loaded live with it: see ./guest-extras.ts. */
export interface GuestExtras {
  /** The guest's address is in a partner organisation's domains and that partner has an enabled IdP. */
  partnerSso: boolean;
  /** The guest accepted an invitation to this share, and it was not revoked since. */
  invited: boolean;
}

type GuestRow = { kind: GuestFacts['kind']; email: string | null; disabledAt: Date | null; expiresAt: Date | null; partnerOrgId: string | null; groups?: string[] };

export function toGuestFacts(g: GuestRow, authMethod: string, extras: GuestExtras): GuestFacts {
  return {
    kind: g.kind, email: g.email?.toLowerCase() ?? null, disabled: g.disabledAt != null, expiresAt: g.expiresAt,
    partnerOrgId: g.partnerOrgId, partnerSso: extras.partnerSso, authMethod: authMethod as AuthMethod, invited: extras.invited,
    groups: g.groups ?? [],
  };
}

/** The columns of a version that serving needs; the policy sees id, marking and page count. */
export const versionForServing = {
  id: true, documentId: true, number: true, blobKey: true, wrappedKey: true, sha256: true, size: true,
  mediaType: true, fileName: true, pages: true, tlp: true,
  document: { select: { title: true, criminalIntel: { select: { purgedAt: true } } } },
} satisfies Prisma.DocumentVersionSelect;
export type ServedVersion = Prisma.DocumentVersionGetPayload<{ select: typeof versionForServing }>;

export const toVersionFacts = (v: ServedVersion | null): VersionFacts | null =>
  v ? { id: v.id, tlp: v.tlp, pages: v.pages, criminalIntel: v.document.criminalIntel ? { purged: v.document.criminalIntel.purgedAt != null } : null } : null;

export interface GuestRequest {
  ip: string | null; userAgent: string | null;
  /** The host the request was made to (lib/http/request-host.ts); sessions are bound to it. */
  host?: string | null;
  /**
   * The device proof that came with the request (the DPoP header, or the sign-in form's field), with the
   * method and URL it must name; `bearer` when the token came in an Authorization header (the proof must
   * then carry its hash). Checked only where a grant requires a device, and at sign-in (registration).
   */
  proof?: { value: string | null; method: string; url: string; bearer: boolean } | null;
}

export async function toRequestFacts(r: GuestRequest, now = new Date()): Promise<PolicyRequest> {
  return { ip: r.ip, country: await countryOf(r.ip), device: deviceClass(r.userAgent), now, host: r.host ?? null };
}
