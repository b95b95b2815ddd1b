import { prisma } from '../db/client';
import { Prisma } from '../generated/prisma/client';
import { AppError } from '../errors';
import { authorize, can, type Principal } from '../auth/principal';
import { GRANT_KINDS, listGrantsInput, type GrantFilters, type GrantKind } from './input';

const DAY = 86_400_000;

/** One row of the access-review page: one active grant of external access, whatever its kind. */
export interface ReviewGrant {
  kind: GrantKind;
  id: string;
  /** What it is, for people: the documents of a share, the portal and its grantees, the guest's address. */
  label: string;
  /** Who it reaches: addresses, domains, partner organisation. */
  who: string;
  ownerId: string | null;
  ownerName: string | null;
  /** The highest marking of the current versions it reaches (null: a guest account or device, which reach what their grants do). */
  classification: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  lastActivityAt: Date | null;
  accessCount: number | null;
  partnerOrgId: string | null;
}

interface Row {
  kind: GrantKind; id: string; createdAt: Date; expiresAt: Date | null; lastActivityAt: Date | null;
  accessCount: number | null; classification: string | null; ownerId: string | null; partnerOrgId: string | null;
}

/** Only admins and auditors see every grant of the organisation. */
export function authorizeReview(p: Principal): void {
  if (can(p, 'audit:read')) return;
  authorize(p, 'admin');
}

const domainOfEmail = (col: Prisma.Sql) => Prisma.sql`lower(split_part(${col}, '@', 2))`;

/**
 * The active grants of one organisation as one relation (kind, id, createdAt, expiresAt, last activity,
 * access count, classification, owner, partner), each kind from its own table through a partial index of
 * its active rows. Last activity and access counts come from the summaries kept on the rows (a share's
 * and a portal grant's counters, session and device last-seen times), never from the audit trail.
 * Classifications are computed once per request for the whole organisation, as grouped hash joins
 * (current marking per document, then per share, per portal section, per portal grant): a correlated
 * subquery per row would rescan them for each of ten thousand rows. Domain and partner filters go
 * inside each branch, where the grant's addresses are.
 */
function itemsSql(orgId: string, f: GrantFilters, now: Date): Prisma.Sql {
  const kinds = new Set<GrantKind>(f.kinds ?? GRANT_KINDS);
  const dom = f.domain ?? null;
  const partner = f.partnerOrgId ?? null;
  // COALESCE makes it an array expression (ANY over a bare subquery would compare with each row instead).
  const partnerDomains = partner ? Prisma.sql`COALESCE((SELECT po."domains" FROM "PartnerOrg" po WHERE po."id" = ${partner} AND po."orgId" = ${orgId}), '{}'::text[])` : null;
  const branches: Prisma.Sql[] = [];
  const guestMatches = (g: string) => Prisma.sql`${dom ? Prisma.sql`AND ${domainOfEmail(Prisma.raw(`${g}."email"`))} = ${dom}` : Prisma.empty}
      ${partner ? Prisma.sql`AND ${Prisma.raw(`${g}."partnerOrgId"`)} = ${partner}` : Prisma.empty}`;
  const ctes = Prisma.sql`
    doc_tlp AS (SELECT DISTINCT ON (v."documentId") v."documentId", v."tlp" FROM "DocumentVersion" v JOIN "Document" d ON d."id" = v."documentId"
      WHERE d."orgId" = ${orgId} ORDER BY v."documentId", v."number" DESC),
    share_tlp AS (SELECT sd."shareId", max(dt."tlp") AS "tlp" FROM "ShareDocument" sd JOIN doc_tlp dt ON dt."documentId" = sd."documentId"
      JOIN "Share" s ON s."id" = sd."shareId" WHERE s."orgId" = ${orgId} AND s."state" = 'ACTIVE' GROUP BY sd."shareId"),
    section_tlp AS (SELECT ps."id" AS "sectionId", ps."portalId", max(dt."tlp") AS "tlp" FROM "PortalSection" ps JOIN "Portal" p ON p."id" = ps."portalId"
      JOIN "PortalSectionDocument" psd ON psd."sectionId" = ps."id" JOIN doc_tlp dt ON dt."documentId" = psd."documentId"
      WHERE p."orgId" = ${orgId} GROUP BY ps."id", ps."portalId"),
    portal_tlp AS (SELECT "portalId", max("tlp") AS "tlp" FROM section_tlp GROUP BY "portalId"),
    grant_tlp AS (SELECT pg."id", max(st."tlp") AS "tlp" FROM "PortalGrant" pg JOIN section_tlp st ON st."portalId" = pg."portalId"
      LEFT JOIN "PortalGrantSection" gs ON gs."grantId" = pg."id" AND gs."sectionId" = st."sectionId"
      WHERE pg."orgId" = ${orgId} AND pg."state" = 'ACTIVE' AND (pg."allSections" OR gs."grantId" IS NOT NULL) GROUP BY pg."id")`;

  if (kinds.has('share')) {
    branches.push(Prisma.sql`SELECT 'share'::text AS "kind", s."id", s."createdAt", s."expiresAt", s."lastAccessAt" AS "lastActivityAt", s."accessCount",
        st."tlp"::text AS "classification", s."createdById" AS "ownerId", NULL::text AS "partnerOrgId"
      FROM "Share" s LEFT JOIN share_tlp st ON st."shareId" = s."id"
      WHERE s."orgId" = ${orgId} AND s."state" = 'ACTIVE' AND s."expiresAt" > ${now} AND s."method" <> 'PORTAL'
      ${dom ? Prisma.sql`AND (${dom} = ANY(s."allowedDomains") OR EXISTS (SELECT 1 FROM "ShareRecipient" r WHERE r."shareId" = s."id" AND ${domainOfEmail(Prisma.sql`r."email"`)} = ${dom}))` : Prisma.empty}
      ${partnerDomains ? Prisma.sql`AND (s."allowedDomains" && ${partnerDomains} OR EXISTS (SELECT 1 FROM "ShareRecipient" r WHERE r."shareId" = s."id" AND ${domainOfEmail(Prisma.sql`r."email"`)} = ANY(${partnerDomains})))` : Prisma.empty}`);
  }
  if (kinds.has('portal_grant')) {
    branches.push(Prisma.sql`SELECT 'portal_grant'::text, pg."id", pg."createdAt", pg."expiresAt", pg."lastAccessAt", pg."accessCount",
        gt."tlp"::text, pg."createdById", pg."partnerOrgId"
      FROM "PortalGrant" pg JOIN "Portal" p ON p."id" = pg."portalId" AND p."archivedAt" IS NULL LEFT JOIN grant_tlp gt ON gt."id" = pg."id"
      WHERE pg."orgId" = ${orgId} AND pg."state" = 'ACTIVE' AND pg."expiresAt" > ${now}
      ${dom ? Prisma.sql`AND (${dom} = ANY(pg."domains") OR EXISTS (SELECT 1 FROM unnest(pg."emails") e WHERE ${domainOfEmail(Prisma.sql`e`)} = ${dom}))` : Prisma.empty}
      ${partner ? Prisma.sql`AND (pg."partnerOrgId" = ${partner} OR pg."domains" && ${partnerDomains!})` : Prisma.empty}`);
  }
  if (kinds.has('guest')) {
    branches.push(Prisma.sql`SELECT 'guest'::text, g."id", g."createdAt", g."expiresAt", GREATEST(g."lastSeenAt", gs."lastSeenAt"), COALESCE(gs."n", 0),
        NULL::text, NULL::text, g."partnerOrgId"
      FROM "Guest" g LEFT JOIN (SELECT s."guestId", max(s."lastSeenAt") AS "lastSeenAt", count(*)::int AS "n" FROM "GuestSession" s JOIN "Guest" g2 ON g2."id" = s."guestId"
          WHERE g2."orgId" = ${orgId} AND g2."kind" <> 'ANONYMOUS' GROUP BY s."guestId") gs ON gs."guestId" = g."id"
      WHERE g."orgId" = ${orgId} AND g."disabledAt" IS NULL AND g."kind" <> 'ANONYMOUS' AND (g."expiresAt" IS NULL OR g."expiresAt" > ${now})
      ${guestMatches('g')}`);
  }
  if (kinds.has('session')) {
    branches.push(Prisma.sql`SELECT 'session'::text, gs."id", gs."createdAt", gs."expiresAt", gs."lastSeenAt",
        (SELECT COALESCE(sum(pv."views"), 0)::int FROM "GuestPageView" pv WHERE pv."sessionId" = gs."id"),
        COALESCE(st."tlp", pt."tlp")::text, COALESCE(sh."createdById", po."createdById"), g."partnerOrgId"
      FROM "GuestSession" gs JOIN "Guest" g ON g."id" = gs."guestId"
      LEFT JOIN "Share" sh ON sh."id" = gs."shareId" LEFT JOIN "Portal" po ON po."id" = gs."portalId"
      LEFT JOIN share_tlp st ON st."shareId" = gs."shareId" LEFT JOIN portal_tlp pt ON pt."portalId" = gs."portalId"
      WHERE g."orgId" = ${orgId} AND gs."revokedAt" IS NULL AND gs."expiresAt" > ${now} AND g."disabledAt" IS NULL
        AND gs."guestEpoch" = g."revocationEpoch"
        AND (sh."id" IS NULL OR (sh."state" = 'ACTIVE' AND sh."expiresAt" > ${now} AND gs."shareEpoch" = sh."revocationEpoch"))
        AND (po."id" IS NULL OR (po."archivedAt" IS NULL AND gs."portalEpoch" = po."revocationEpoch"))
      ${guestMatches('g')}`);
  }
  if (kinds.has('device')) {
    branches.push(Prisma.sql`SELECT 'device'::text, d."id", d."createdAt", NULL::timestamp, d."lastUsedAt", NULL::int, NULL::text,
        d."decidedById", g."partnerOrgId"
      FROM "GuestDevice" d JOIN "Guest" g ON g."id" = d."guestId"
      WHERE d."orgId" = ${orgId} AND d."status" = 'APPROVED' AND g."disabledAt" IS NULL
      ${guestMatches('g')}`);
  }
  const union = branches.length ? Prisma.join(branches, ' UNION ALL ') : Prisma.sql`SELECT NULL::text AS "kind", NULL::text AS "id", NULL::timestamp AS "createdAt", NULL::timestamp AS "expiresAt", NULL::timestamp AS "lastActivityAt", NULL::int AS "accessCount", NULL::text AS "classification", NULL::text AS "ownerId", NULL::text AS "partnerOrgId" WHERE false`;
  // Named here, not by the first branch: whichever kinds are chosen, the columns keep their names.
  return Prisma.sql`WITH ${ctes}, items ("kind", "id", "createdAt", "expiresAt", "lastActivityAt", "accessCount", "classification", "ownerId", "partnerOrgId") AS (${union})`;
}

const TLP_RANK = Prisma.sql`array_position(ARRAY['CLEAR','GREEN','AMBER','AMBER_STRICT','RED'], "classification")`;

function filtersSql(f: GrantFilters, now: Date): Prisma.Sql {
  const conds: Prisma.Sql[] = [Prisma.sql`true`];
  if (f.noAccessDays) conds.push(Prisma.sql`COALESCE("lastActivityAt", "createdAt") < ${new Date(now.getTime() - f.noAccessDays * DAY)}`);
  if (f.neverUsed) conds.push(Prisma.sql`"lastActivityAt" IS NULL AND COALESCE("accessCount", 0) = 0`);
  if (f.noExpiry) conds.push(Prisma.sql`"expiresAt" IS NULL`);
  if (f.expiringWithinDays) conds.push(Prisma.sql`"expiresAt" > ${now} AND "expiresAt" <= ${new Date(now.getTime() + f.expiringWithinDays * DAY)}`);
  if (f.minTlp) conds.push(Prisma.sql`${TLP_RANK} >= array_position(ARRAY['CLEAR','GREEN','AMBER','AMBER_STRICT','RED'], ${f.minTlp})`);
  if (f.ownerId) conds.push(Prisma.sql`"ownerId" = ${f.ownerId}`);
  return Prisma.join(conds, ' AND ');
}

/** A page position: createdAt, kind and id of the last row (newest first, then kind, then id). */
interface Cursor { at: Date; kind: string; id: string }
export const encodeCursor = (r: { createdAt: Date; kind: string; id: string }) => Buffer.from(`${r.createdAt.toISOString()}|${r.kind}|${r.id}`).toString('base64url');
function decodeCursor(raw: string): Cursor {
  const [at, kind, id] = Buffer.from(raw, 'base64url').toString().split('|');
  const d = new Date(at ?? '');
  if (Number.isNaN(d.getTime()) || !(GRANT_KINDS as readonly string[]).includes(kind) || !/^[A-Za-z0-9_-]{1,64}$/.test(id ?? '')) {
    throw new AppError('validation_failed', 'Invalid cursor: start again from the first page.');
  }
  return { at: d, kind, id };
}

/** The matching rows (ids and facts only), newest first, at most `limit`, after `cursor`. */
/** The page's query (exported for bench:reviews, which prints its plan). */
export function grantRowsSql(orgId: string, f: GrantFilters, opts: { limit: number; cursor?: Cursor | null; now?: Date }): Prisma.Sql {
  const now = opts.now ?? new Date();
  const c = opts.cursor;
  return Prisma.sql`${itemsSql(orgId, f, now)}
    SELECT * FROM items WHERE ${filtersSql(f, now)}
      ${c ? Prisma.sql`AND ("createdAt", "kind", "id") < (${c.at}::timestamp, ${c.kind}::text, ${c.id}::text)` : Prisma.empty}
    ORDER BY "createdAt" DESC, "kind" DESC, "id" DESC LIMIT ${opts.limit}`;
}

export async function queryGrantRows(orgId: string, f: GrantFilters, opts: { limit: number; cursor?: Cursor | null; now?: Date }): Promise<Row[]> {
  return prisma().$queryRaw<Row[]>(grantRowsSql(orgId, f, opts));
}

export async function countGrantRows(orgId: string, f: GrantFilters, now = new Date()): Promise<number> {
  const [r] = await prisma().$queryRaw<{ n: number }[]>`${itemsSql(orgId, f, now)} SELECT count(*)::int AS n FROM items WHERE ${filtersSql(f, now)}`;
  return r?.n ?? 0;
}

export interface ReviewGrantPage { nodes: ReviewGrant[]; hasNextPage: boolean; endCursor: string | null; totalCount: () => Promise<number> }

/** The access-review page: active external grants matching the filters, newest first, keyset-paged. */
export async function listReviewGrants(p: Principal, raw: unknown = {}): Promise<ReviewGrantPage> {
  authorizeReview(p);
  const { first, after, ...filters } = listGrantsInput.parse(raw ?? {});
  const now = new Date();
  const rows = await queryGrantRows(p.orgId, filters, { limit: first + 1, cursor: after ? decodeCursor(after) : null, now });
  const page = rows.slice(0, first);
  const nodes = await describeRows(p.orgId, page);
  return {
    nodes, hasNextPage: rows.length > first, endCursor: page.length ? encodeCursor(page[page.length - 1]) : null,
    totalCount: () => countGrantRows(p.orgId, filters, now),
  };
}

/** Every matching row's reference (bulk actions on "all matching", campaign scopes), up to `max`. */
export async function allMatching(orgId: string, f: GrantFilters, max: number): Promise<Row[]> {
  return queryGrantRows(orgId, f, { limit: max });
}

const titleOf = (docs: { document: { title: string } }[], n: number) => {
  const first = docs[0]?.document.title ?? 'no documents';
  return n > 1 ? `${first} and ${n - 1} more` : first;
};
const joinWho = (parts: (string | null | undefined)[]) => parts.filter(Boolean).join(', ') || 'nobody named';

/** Labels, addressees and owner names for a page of rows, a few queries per kind (never per row). */
export async function describeRows(orgId: string, rows: Row[]): Promise<ReviewGrant[]> {
  const ids = (k: GrantKind) => rows.filter((r) => r.kind === k).map((r) => r.id);
  const db = prisma();
  const [shares, grants, guests, sessions, devices, owners] = await Promise.all([
    ids('share').length ? db.share.findMany({ where: { orgId, id: { in: ids('share') } }, select: { id: true, audience: true, allowedDomains: true, recipients: { select: { email: true }, take: 5 }, documents: { take: 1, orderBy: { documentId: 'asc' }, select: { document: { select: { title: true } } } }, _count: { select: { documents: true, recipients: true } } } }) : [],
    ids('portal_grant').length ? db.portalGrant.findMany({ where: { orgId, id: { in: ids('portal_grant') } }, select: { id: true, emails: true, domains: true, groups: true, portal: { select: { name: true } }, partnerOrg: { select: { name: true } } } }) : [],
    ids('guest').length ? db.guest.findMany({ where: { orgId, id: { in: ids('guest') } }, select: { id: true, email: true, displayName: true, kind: true, partnerOrg: { select: { name: true } } } }) : [],
    ids('session').length ? db.guestSession.findMany({ where: { id: { in: ids('session') }, guest: { orgId } }, select: { id: true, ip: true, guest: { select: { email: true, partnerOrg: { select: { name: true } } } }, portal: { select: { name: true } }, share: { select: { documents: { take: 1, orderBy: { documentId: 'asc' }, select: { document: { select: { title: true } } } }, _count: { select: { documents: true } } } } } }) : [],
    ids('device').length ? db.guestDevice.findMany({ where: { orgId, id: { in: ids('device') } }, select: { id: true, label: true, guest: { select: { email: true, partnerOrg: { select: { name: true } } } } } }) : [],
    db.staffUser.findMany({ where: { orgId, id: { in: [...new Set(rows.map((r) => r.ownerId).filter((x): x is string => x != null))] } }, select: { id: true, name: true, email: true } }),
  ]);
  const text = new Map<string, { label: string; who: string }>();
  for (const s of shares) {
    const more = s._count.recipients > s.recipients.length ? `${s._count.recipients - s.recipients.length} more` : null;
    text.set(`share:${s.id}`, { label: titleOf(s.documents, s._count.documents), who: s.audience === 'ANYONE_WITH_LINK' && !s.recipients.length ? 'anyone with the link' : joinWho([...s.recipients.map((r) => r.email), ...s.allowedDomains.map((d) => `@${d}`), more]) });
  }
  for (const g of grants) text.set(`portal_grant:${g.id}`, { label: `Portal ${g.portal.name}`, who: joinWho([...g.emails, ...g.domains.map((d) => `@${d}`), g.partnerOrg ? `partner ${g.partnerOrg.name}` : null, ...g.groups.map((x) => `group ${x}`)]) });
  for (const g of guests) text.set(`guest:${g.id}`, { label: `${g.displayName ? `${g.displayName} ` : ''}${g.email ? `<${g.email}>` : g.id} (${g.kind.toLowerCase().replace('_', ' ')})`, who: joinWho([g.email, g.partnerOrg ? `partner ${g.partnerOrg.name}` : null]) });
  for (const s of sessions) text.set(`session:${s.id}`, { label: `Session on ${s.portal ? `portal ${s.portal.name}` : s.share ? titleOf(s.share.documents, s.share._count.documents) : 'a removed grant'} from ${s.ip}`, who: joinWho([s.guest.email ?? 'anonymous link guest', s.guest.partnerOrg ? `partner ${s.guest.partnerOrg.name}` : null]) });
  for (const d of devices) text.set(`device:${d.id}`, { label: `Device ${d.label || d.id}`, who: joinWho([d.guest.email, d.guest.partnerOrg ? `partner ${d.guest.partnerOrg.name}` : null]) });
  const names = new Map(owners.map((o) => [o.id, o.name || o.email]));
  return rows.map((r) => ({
    kind: r.kind, id: r.id, label: text.get(`${r.kind}:${r.id}`)?.label ?? r.id, who: text.get(`${r.kind}:${r.id}`)?.who ?? '',
    ownerId: r.ownerId && names.has(r.ownerId) ? r.ownerId : null, ownerName: r.ownerId ? names.get(r.ownerId) ?? null : null,
    classification: r.classification, createdAt: r.createdAt, expiresAt: r.expiresAt, lastActivityAt: r.lastActivityAt,
    accessCount: r.accessCount, partnerOrgId: r.partnerOrgId,
  }));
}

/** What the review page's filter and campaign forms offer: partner organisations and active staff. */
export async function reviewChoices(p: Principal) {
  authorizeReview(p);
  const [partners, staff] = await Promise.all([
    prisma().partnerOrg.findMany({ where: { orgId: p.orgId }, orderBy: [{ name: 'asc' }, { id: 'asc' }], select: { id: true, name: true } }),
    prisma().staffUser.findMany({ where: { orgId: p.orgId, disabledAt: null }, orderBy: [{ name: 'asc' }, { id: 'asc' }], select: { id: true, name: true, email: true, role: true } }),
  ]);
  return { partners, staff };
}
