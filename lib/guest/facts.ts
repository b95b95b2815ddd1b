import type { Prisma } from '../generated/prisma/client';
import { countryOf } from '../geo/country';
import { deviceClass, type RequestFacts as PolicyRequest, type SessionFacts, type ShareFacts, type VersionFacts } from '../policy';

/** What the policy needs from a share row: its documents and the organisation's ceiling as it is now. */
export const shareWithDocs = {
  documents: { select: { documentId: true } },
  org: { select: { tlpCeiling: true } },
} satisfies Prisma.ShareInclude;
export type ShareRow = Prisma.ShareGetPayload<{ include: typeof shareWithDocs }>;

export function toShareFacts(s: ShareRow): ShareFacts {
  return {
    id: s.id, orgId: s.orgId, state: s.state, revokedAt: s.revokedAt, expiresAt: s.expiresAt,
    revocationEpoch: s.revocationEpoch, passwordEpoch: s.passwordEpoch, hasPassword: Boolean(s.passwordHash),
    termsVersionId: s.termsVersionId, allowedIpRanges: s.allowedIpRanges, allowedCountries: s.allowedCountries,
    allowedDevices: s.allowedDevices, permission: s.permission, allowDownload: s.allowDownload, allowPrint: s.allowPrint,
    watermark: s.watermark, documentIds: s.documents.map((d) => d.documentId), tlpCeiling: s.org.tlpCeiling,
  };
}

export const sessionWithGuest = {
  guest: { select: { id: true, email: true, kind: true, revocationEpoch: true, acceptances: { select: { termsVersionId: true } } } },
} satisfies Prisma.GuestSessionInclude;
export type SessionRow = Prisma.GuestSessionGetPayload<{ include: typeof sessionWithGuest }>;

/** A session exists only once `open` succeeded, so it proves the password of its password epoch. */
export function toSessionFacts(s: SessionRow): SessionFacts {
  return {
    shareId: s.shareId, shareEpoch: s.shareEpoch, passwordEpoch: s.passwordEpoch, guestEpoch: s.guestEpoch,
    guestRevocationEpoch: s.guest.revocationEpoch, passwordVerified: true,
    acceptedTermsVersionIds: s.guest.acceptances.map((a) => a.termsVersionId),
    expiresAt: s.expiresAt, revokedAt: s.revokedAt,
  };
}

/** The columns of a version that serving needs; the policy sees id, marking and page count. */
export const versionForServing = {
  id: true, documentId: true, number: true, blobKey: true, wrappedKey: true, sha256: true, size: true,
  mediaType: true, fileName: true, pages: true, tlp: true, document: { select: { title: true } },
} satisfies Prisma.DocumentVersionSelect;
export type ServedVersion = Prisma.DocumentVersionGetPayload<{ select: typeof versionForServing }>;

export const toVersionFacts = (v: ServedVersion | null): VersionFacts | null =>
  v ? { id: v.id, tlp: v.tlp, pages: v.pages } : null;

export interface GuestRequest { ip: string | null; userAgent: string | null }

export async function toRequestFacts(r: GuestRequest, now = new Date()): Promise<PolicyRequest> {
  return { ip: r.ip, country: await countryOf(r.ip), device: deviceClass(r.userAgent), now };
}
