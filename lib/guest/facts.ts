import type { Prisma } from '../generated/prisma/client';
import { countryOf } from '../geo/country';
import { deviceClass, type AuthMethod, type GrantFacts, type GuestFacts, type RequestFacts as PolicyRequest, type SessionFacts, type VersionFacts } from '../policy';

/** What the policy needs from a share row: its documents, recipients and the organisation's ceiling as it is now. */
export const shareWithDocs = {
  documents: { select: { documentId: true } },
  recipients: { select: { email: true } },
  // The partners marked as law-enforcement agencies now (criminal intelligence, 28 CFR Part 23).
  org: { select: { tlpCeiling: true, partnerOrgs: { where: { lawEnforcement: true }, select: { id: true, domains: true } } } },
} satisfies Prisma.ShareInclude;
export type ShareRow = Prisma.ShareGetPayload<{ include: typeof shareWithDocs }>;

/** The organisation's law-enforcement partners as the policy reads them (ids, lower-case domains). */
export const lawEnforcementFacts = (partners: readonly { id: string; domains: readonly string[] }[]) => ({
  partnerIds: partners.map((p) => p.id), domains: partners.flatMap((p) => p.domains.map((d) => d.toLowerCase())),
});

/** A share as a grant. */
export function toShareFacts(s: ShareRow): GrantFacts {
  return {
    kind: 'share', id: s.id, orgId: s.orgId, audience: s.audience,
    recipients: s.recipients.map((r) => r.email.toLowerCase()), allowedDomains: s.allowedDomains.map((d) => d.toLowerCase()), state: s.state, revokedAt: s.revokedAt, expiresAt: s.expiresAt,
    revocationEpoch: s.revocationEpoch, passwordEpoch: s.passwordEpoch, hasPassword: Boolean(s.passwordHash),
    termsVersionId: s.termsVersionId, allowedIpRanges: s.allowedIpRanges, allowedCountries: s.allowedCountries,
    allowedDevices: s.allowedDevices, permission: s.permission, allowDownload: s.allowDownload, allowPrint: s.allowPrint,
    watermark: s.watermark, documentIds: s.documents.map((d) => d.documentId), tlpCeiling: s.org.tlpCeiling,
    requireDevice: s.requireDevice, needToKnow: s.needToKnow,
    lawEnforcement: lawEnforcementFacts(s.org.partnerOrgs),
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
