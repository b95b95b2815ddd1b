import { preparedQuery } from '../db/hot-pool';
import type { GuestExtras, ServedVersion, SessionRow, ShareRow } from './facts';
import { PARTNER_SSO_SQL } from './guest-extras';

/**
 * The guarded path's one round trip: a guest session, its guest (with the terms they accepted) and its
 * share (with its documents and the organisation's ceiling as it is now), as the policy needs them.
 *
 * Hand-written SQL on purpose. Every guest request runs this, and Prisma's relation loading (a JSON
 * aggregate per include) cost 4.4 ms per call on the embedded database and 1.9 ms on PostgreSQL, against
 * 1.1 and 0.56 ms for this plain join as a prepared statement (docs/BENCHMARKS.md, "Guarded path").
 * The rows it returns have exactly the shapes of the Prisma includes in ./facts.ts, and a test holds the
 * two loaders equal (tests/integration/guest-context-loader.test.ts), so a schema change that this
 * query misses fails there rather than in production.
 */
interface Raw {
  // Share columns, unprefixed (sh.*)
  id: string; orgId: string; createdById: string | null; method: ShareRow['method']; permission: ShareRow['permission'];
  allowDownload: boolean; allowPrint: boolean; watermark: boolean; expiresAt: Date; passwordHash: string | null;
  passwordEpoch: number; termsVersionId: string | null; message: string | null; allowedIpRanges: string[];
  allowedCountries: string[]; allowedDevices: string[]; tokenHash: string | null; state: ShareRow['state'];
  revokedAt: Date | null; revokedReason: string | null; revocationEpoch: number; lastAccessAt: Date | null;
  accessCount: number; portalId: string | null; createdAt: Date; updatedAt: Date;
  audience: ShareRow['audience']; allowedDomains: string[]; linkSealed: string | null; requireDevice: boolean;
  showGuestPresence: boolean; keepPartiesApart: boolean;
  needToKnow: string | null;
  documentIds: string[]; recipients: string[]; tlpCeiling: ShareRow['org']['tlpCeiling']; partners: ShareRow['org']['partnerOrgs'];
  approvalState: ShareRow['approvalState'];
  // Session columns (s_)
  s_id: string; s_guestId: string; s_shareId: string | null; s_portalId: string | null; s_ip: string; s_country: string | null;
  s_device: string | null; s_userAgent: string | null; s_shareEpoch: number; s_passwordEpoch: number; s_guestEpoch: number;
  s_createdAt: Date; s_lastSeenAt: Date; s_expiresAt: Date; s_revokedAt: Date | null; s_authMethod: string; s_passwordVerified: boolean;
  s_host: string | null; s_portalEpoch: number; s_lastPageVersionId: string | null; s_lastPage: number | null; s_lastPageAt: Date | null;
  s_anonymisedAt: Date | null;
  // Guest columns (g_)
  g_id: string; g_email: string | null; g_kind: SessionRow['guest']['kind']; g_revocationEpoch: number; g_accepted: string[];
  g_disabledAt: Date | null; g_expiresAt: Date | null; g_partnerOrgId: string | null;
  // Live facts about the guest (see ./guest-extras.ts, which answers the same for the other paths)
  x_partnerSso: boolean; x_invited: boolean;
  // The current version of the asked-for document (v_), when it is one of the share's
  v_id: string | null; v_documentId: string; v_number: number; v_blobKey: string; v_wrappedKey: Uint8Array<ArrayBuffer>; v_sha256: string;
  v_size: bigint; v_mediaType: string; v_fileName: string; v_pages: number | null; v_tlp: ServedVersion['tlp']; v_title: string;
  v_ci: boolean; v_ciPurgedAt: Date | null;
}

// The share as the policy needs it (the shape of `shareWithDocs`), from `sh` joined to its organisation `o`.
const SHARE_COLUMNS = `
  sh.*,
  ARRAY(SELECT d."documentId" FROM "ShareDocument" d WHERE d."shareId" = sh."id") AS "documentIds",
  ARRAY(SELECT r."email" FROM "ShareRecipient" r WHERE r."shareId" = sh."id") AS "recipients",
  o."tlpCeiling"::text AS "tlpCeiling",
  (SELECT coalesce(json_agg(json_build_object('id', po."id", 'domains', po."domains", 'tlpCeiling', po."tlpCeiling", 'lawEnforcement', po."lawEnforcement") ORDER BY po."id"), '[]'::json)
     FROM "PartnerOrg" po WHERE po."orgId" = sh."orgId") AS "partners"`;

const COLUMNS = `${SHARE_COLUMNS},
  s."id" AS "s_id", s."guestId" AS "s_guestId", s."shareId" AS "s_shareId", s."portalId" AS "s_portalId",
  s."ip" AS "s_ip", s."country" AS "s_country", s."device" AS "s_device", s."userAgent" AS "s_userAgent",
  s."shareEpoch" AS "s_shareEpoch", s."passwordEpoch" AS "s_passwordEpoch", s."guestEpoch" AS "s_guestEpoch",
  s."createdAt" AS "s_createdAt", s."lastSeenAt" AS "s_lastSeenAt", s."expiresAt" AS "s_expiresAt", s."revokedAt" AS "s_revokedAt",
  s."authMethod" AS "s_authMethod", s."passwordVerified" AS "s_passwordVerified",
  s."host" AS "s_host", s."portalEpoch" AS "s_portalEpoch", s."lastPageVersionId" AS "s_lastPageVersionId", s."lastPage" AS "s_lastPage", s."lastPageAt" AS "s_lastPageAt",
  s."anonymisedAt" AS "s_anonymisedAt",
  g."id" AS "g_id", g."email" AS "g_email", g."kind"::text AS "g_kind", g."revocationEpoch" AS "g_revocationEpoch",
  g."disabledAt" AS "g_disabledAt", g."expiresAt" AS "g_expiresAt", g."partnerOrgId" AS "g_partnerOrgId",
  ARRAY(SELECT a."termsVersionId" FROM "TermsAcceptance" a WHERE a."guestId" = g."id") AS "g_accepted",
  ${PARTNER_SSO_SQL('sh."orgId"', 'g."email"')} AS "x_partnerSso",
  EXISTS (SELECT 1 FROM "GuestInvitation" i WHERE i."shareId" = sh."id" AND i."guestId" = g."id" AND i."state" = 'ACCEPTED') AS "x_invited"`;
const FROM = `
  FROM "GuestSession" s
  JOIN "Guest" g ON g."id" = s."guestId"
  JOIN "Share" sh ON sh."id" = s."shareId"
  JOIN "Organization" o ON o."id" = sh."orgId"`;

// The document's current version, only when the document is in this share and its organisation.
const VERSION = `
  LEFT JOIN LATERAL (
    SELECT v."id" AS "v_id", v."documentId" AS "v_documentId", v."number" AS "v_number", v."blobKey" AS "v_blobKey",
      v."wrappedKey" AS "v_wrappedKey", v."sha256" AS "v_sha256", v."size" AS "v_size", v."mediaType" AS "v_mediaType",
      v."fileName" AS "v_fileName", v."pages" AS "v_pages", v."tlp"::text AS "v_tlp", dd."title" AS "v_title",
      (ci."id" IS NOT NULL) AS "v_ci", ci."purgedAt" AS "v_ciPurgedAt"
    FROM "DocumentVersion" v
    JOIN "Document" dd ON dd."id" = v."documentId" AND dd."orgId" = sh."orgId"
    LEFT JOIN "CriminalIntelRecord" ci ON ci."documentId" = dd."id"
    JOIN "ShareDocument" sd ON sd."documentId" = dd."id" AND sd."shareId" = sh."id"
    WHERE v."documentId" = $2
    ORDER BY v."number" DESC LIMIT 1
  ) cv ON true`;

// Every shared document's current version, one row each (a list request's whole answer in the same round trip).
const ALL_VERSIONS = `
  LEFT JOIN LATERAL (
    SELECT DISTINCT ON (v."documentId") v."id" AS "v_id", v."documentId" AS "v_documentId", v."number" AS "v_number", v."blobKey" AS "v_blobKey",
      v."wrappedKey" AS "v_wrappedKey", v."sha256" AS "v_sha256", v."size" AS "v_size", v."mediaType" AS "v_mediaType",
      v."fileName" AS "v_fileName", v."pages" AS "v_pages", v."tlp"::text AS "v_tlp", dd."title" AS "v_title",
      (ci."id" IS NOT NULL) AS "v_ci", ci."purgedAt" AS "v_ciPurgedAt"
    FROM "ShareDocument" sd
    JOIN "Document" dd ON dd."id" = sd."documentId" AND dd."orgId" = sh."orgId"
    JOIN "DocumentVersion" v ON v."documentId" = dd."id"
    LEFT JOIN "CriminalIntelRecord" ci ON ci."documentId" = dd."id"
    WHERE sd."shareId" = sh."id"
    ORDER BY v."documentId", v."number" DESC
  ) cv ON true`;

export interface LoadedContext {
  session: SessionRow; share: ShareRow; version: ServedVersion | null; extras: GuestExtras;
  /** With `allVersions`: the current version of every shared document (unsorted). */
  versions?: ServedVersion[];
}

const versionOf = (r: Raw): ServedVersion | null => r.v_id ? {
  id: r.v_id, documentId: r.v_documentId, number: r.v_number, blobKey: r.v_blobKey, wrappedKey: r.v_wrappedKey,
  sha256: r.v_sha256, size: r.v_size, mediaType: r.v_mediaType, fileName: r.v_fileName, pages: r.v_pages, tlp: r.v_tlp,
  document: { title: r.v_title, criminalIntel: r.v_ci ? { purgedAt: r.v_ciPurgedAt } : null },
} : null;

/**
 * The session, guest and share; with `documentId`, also that document's current version in the same
 * round trip (null when the document is not in the share or its organisation).
 */
export async function loadSessionWithShare(sessionId: string, documentId?: string | null, opts: { allVersions?: boolean } = {}): Promise<LoadedContext | null> {
  const rows = documentId
    ? await preparedQuery<Raw>('guest_session_share_version', `SELECT ${COLUMNS}, cv.* ${FROM} ${VERSION} WHERE s."id" = $1`, [sessionId, documentId])
    : opts.allVersions
      ? await preparedQuery<Raw>('guest_session_share_versions', `SELECT ${COLUMNS}, cv.* ${FROM} ${ALL_VERSIONS} WHERE s."id" = $1`, [sessionId])
      : await preparedQuery<Raw>('guest_session_share', `SELECT ${COLUMNS} ${FROM} WHERE s."id" = $1`, [sessionId]);
  const r = rows[0];
  if (!r) return null;
  const share = toShareRow(r);
  const session: SessionRow = {
    id: r.s_id, guestId: r.s_guestId, shareId: r.s_shareId, portalId: r.s_portalId, ip: r.s_ip, country: r.s_country,
    device: r.s_device, userAgent: r.s_userAgent, shareEpoch: r.s_shareEpoch, passwordEpoch: r.s_passwordEpoch,
    guestEpoch: r.s_guestEpoch, createdAt: r.s_createdAt, lastSeenAt: r.s_lastSeenAt, expiresAt: r.s_expiresAt,
    revokedAt: r.s_revokedAt, authMethod: r.s_authMethod, passwordVerified: r.s_passwordVerified,
    host: r.s_host, portalEpoch: r.s_portalEpoch, lastPageVersionId: r.s_lastPageVersionId, lastPage: r.s_lastPage, lastPageAt: r.s_lastPageAt,
    anonymisedAt: r.s_anonymisedAt,
    guest: {
      id: r.g_id, email: r.g_email, kind: r.g_kind, revocationEpoch: r.g_revocationEpoch,
      disabledAt: r.g_disabledAt, expiresAt: r.g_expiresAt, partnerOrgId: r.g_partnerOrgId,
      acceptances: r.g_accepted.map((termsVersionId) => ({ termsVersionId })),
    },
  };
  const version = documentId ? versionOf(r) : null;
  const versions = opts.allVersions && !documentId ? rows.map(versionOf).filter((v): v is ServedVersion => v !== null) : undefined;
  return { session, share, version, versions, extras: { partnerSso: r.x_partnerSso, invited: r.x_invited } };
}

type ShareRaw = Pick<Raw, 'id' | 'orgId' | 'createdById' | 'method' | 'permission' | 'allowDownload' | 'allowPrint' | 'watermark' | 'expiresAt'
  | 'passwordHash' | 'passwordEpoch' | 'termsVersionId' | 'message' | 'allowedIpRanges' | 'allowedCountries' | 'allowedDevices' | 'tokenHash'
  | 'state' | 'revokedAt' | 'revokedReason' | 'revocationEpoch' | 'lastAccessAt' | 'accessCount' | 'portalId' | 'createdAt' | 'updatedAt'
  | 'audience' | 'allowedDomains' | 'linkSealed' | 'requireDevice' | 'showGuestPresence' | 'keepPartiesApart' | 'documentIds' | 'recipients' | 'tlpCeiling' | 'partners' | 'approvalState'
  | 'needToKnow'>;

function toShareRow(r: ShareRaw): ShareRow {
  return {
    id: r.id, orgId: r.orgId, createdById: r.createdById, method: r.method, permission: r.permission,
    allowDownload: r.allowDownload, allowPrint: r.allowPrint, watermark: r.watermark, expiresAt: r.expiresAt,
    passwordHash: r.passwordHash, passwordEpoch: r.passwordEpoch, termsVersionId: r.termsVersionId, message: r.message,
    allowedIpRanges: r.allowedIpRanges, allowedCountries: r.allowedCountries, allowedDevices: r.allowedDevices,
    tokenHash: r.tokenHash, state: r.state, revokedAt: r.revokedAt, revokedReason: r.revokedReason,
    revocationEpoch: r.revocationEpoch, lastAccessAt: r.lastAccessAt, accessCount: r.accessCount, portalId: r.portalId,
    createdAt: r.createdAt, updatedAt: r.updatedAt, audience: r.audience, allowedDomains: r.allowedDomains, linkSealed: r.linkSealed, requireDevice: r.requireDevice,
    showGuestPresence: r.showGuestPresence, keepPartiesApart: r.keepPartiesApart, approvalState: r.approvalState, needToKnow: r.needToKnow,
    documents: r.documentIds.map((documentId) => ({ documentId })),
    recipients: r.recipients.map((email) => ({ email })),
    org: { tlpCeiling: r.tlpCeiling, partnerOrgs: r.partners },
  };
}

/**
 * The share a link token opens, by the token's SHA-256, as one prepared statement: every open and every
 * code guess runs it, and Prisma's relation loading cost several times more on the embedded database.
 */
export async function loadShareByTokenHash(tokenHash: string): Promise<ShareRow | null> {
  const rows = await preparedQuery<ShareRaw>('guest_share_by_token', `SELECT ${SHARE_COLUMNS} FROM "Share" sh JOIN "Organization" o ON o."id" = sh."orgId" WHERE sh."tokenHash" = $1`, [tokenHash]);
  return rows[0] ? toShareRow(rows[0]) : null;
}
