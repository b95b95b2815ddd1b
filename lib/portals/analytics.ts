import { z } from 'zod';
import { Prisma } from '../generated/prisma/client';
import { prisma } from '../db/client';
import { AppError } from '../errors';
import { authorize, can, type Principal } from '../auth/principal';
import { idSchema } from '../http/ids';

/*
 * Portal analytics: what guests did on one portal over a date range, aggregated in the database.
 *
 * Sources:
 * - the audit trail: every guest event on a portal carries details.portalId and no shareId (share
 *   events never count here); views are `guest.view` (a document opened in the viewer), downloads
 *   `guest.download`, refusals any `guest.*` event with outcome `denied`, by its policy reason code.
 *   Only guest and anonymous actors count: a staff preview of the portal is audited as staff.
 * - GuestPageView rows of the portal's sessions for time per page: `dwellMs` is filled by
 *   lib/portals/page-timing.ts; a page's `views` is the number of sessions that read it.
 *
 * Days are UTC calendar days (the console shows UTC everywhere). Page rows count when their first and
 * last view overlap the range.
 */

const DAY_MS = 86_400_000;
export const DEFAULT_RANGE_DAYS = 30;
export const MAX_RANGE_DAYS = 366;
/** Guests listed with their daily activity, the most active first. */
export const TOP_GUESTS = 50;

export const analyticsRangeInput = z.object({
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
}).default({}).transform((r, c) => {
  const to = r.to ?? new Date();
  const from = r.from ?? new Date(to.getTime() - DEFAULT_RANGE_DAYS * DAY_MS);
  if (from.getTime() >= to.getTime()) c.addIssue({ code: 'custom', path: ['from'], message: 'The start of the range must be before its end.' });
  else if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) c.addIssue({ code: 'custom', path: ['to'], message: `A range may span at most ${MAX_RANGE_DAYS} days.` });
  return { from, to };
});
export type AnalyticsRange = z.input<typeof analyticsRangeInput>;

export interface DailyCount { date: string; views: number; downloads: number; uniqueGuests: number }
export interface PageTime { page: number; dwellMs: number; views: number }
export interface DocumentAnalytics { documentId: string; title: string; views: number; downloads: number; pages: PageTime[]; totalDwellMs: number }
export interface GuestAnalytics { guestId: string; label: string; daily: { date: string; events: number }[]; events: number; views: number; downloads: number; lastSeenAt: Date }
export interface PortalAnalytics {
  portal: { id: string; name: string; slug: string };
  from: Date; to: Date;
  totals: { views: number; downloads: number; uniqueGuests: number; refusals: number };
  daily: DailyCount[];
  documents: DocumentAnalytics[];
  guests: GuestAnalytics[];
  refusals: { reason: string; count: number }[];
}

/** Analytics are read by anyone who may see shares or the audit trail in the portal's organisation. */
function authorizeRead(p: Principal) {
  if (!can(p, 'audit:read')) authorize(p, 'shares:read');
}

/** The UTC days from `from` to `to` (exclusive), as YYYY-MM-DD. */
export function daysOf(from: Date, to: Date): string[] {
  const out: string[] = [];
  const last = new Date(to.getTime() - 1).toISOString().slice(0, 10);
  for (let t = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()); ; t += DAY_MS) {
    const d = new Date(t).toISOString().slice(0, 10);
    out.push(d);
    if (d >= last) return out;
  }
}

const num = (v: number | bigint | null) => Number(v ?? 0);

export async function portalAnalytics(p: Principal, portalId: string, range?: AnalyticsRange): Promise<PortalAnalytics> {
  authorizeRead(p);
  const id = idSchema.parse(portalId);
  const { from, to } = analyticsRangeInput.parse(range ?? {});
  const portal = await prisma().portal.findFirst({ where: { id, orgId: p.orgId }, select: { id: true, orgId: true, name: true, slug: true } });
  // Another organisation's portal is answered like one that does not exist.
  if (!portal) throw new AppError('not_found', 'Not found: this portal does not exist.');

  // The portal's guest events in the range; AuditEvent's (orgId, at) index narrows it first.
  const events = Prisma.sql`
    SELECT "at", "type", "outcome", "reason", "actorId", "documentId" FROM "AuditEvent"
    WHERE "orgId" = ${portal.orgId} AND "at" >= ${from}::timestamp(3) AND "at" < ${to}::timestamp(3)
      AND "shareId" IS NULL AND "type" LIKE 'guest.%' AND "actorType" IN ('guest', 'anonymous')
      AND "details"->>'portalId' = ${portal.id}`;
  const db = prisma();

  const [byDay, refusals, byDocument, pages, topGuests] = await Promise.all([
    // Days and the whole range in one pass: the row with a null date is the total (unique guests
    // over the range are not the sum of each day's).
    db.$queryRaw<Array<{ date: string | null; views: number; downloads: number; uniqueGuests: number; refusals: number }>>`
      WITH ev AS (${events})
      SELECT to_char(date_trunc('day', "at"), 'YYYY-MM-DD') AS "date",
        count(*) FILTER (WHERE "type" = 'guest.view' AND "outcome" = 'success')::int AS "views",
        count(*) FILTER (WHERE "type" = 'guest.download' AND "outcome" = 'success')::int AS "downloads",
        count(DISTINCT "actorId") FILTER (WHERE "outcome" = 'success')::int AS "uniqueGuests",
        count(*) FILTER (WHERE "outcome" = 'denied')::int AS "refusals"
      FROM ev GROUP BY GROUPING SETS ((date_trunc('day', "at")), ())`,
    db.$queryRaw<Array<{ reason: string; count: number }>>`
      WITH ev AS (${events})
      SELECT COALESCE("reason", 'unknown') AS "reason", count(*)::int AS "count"
      FROM ev WHERE "outcome" = 'denied' GROUP BY 1 ORDER BY 2 DESC, 1`,
    db.$queryRaw<Array<{ documentId: string; views: number; downloads: number }>>`
      WITH ev AS (${events})
      SELECT "documentId",
        count(*) FILTER (WHERE "type" = 'guest.view')::int AS "views",
        count(*) FILTER (WHERE "type" = 'guest.download')::int AS "downloads"
      FROM ev WHERE "outcome" = 'success' AND "documentId" IS NOT NULL GROUP BY 1`,
    db.$queryRaw<Array<{ documentId: string; page: number; dwellMs: bigint; views: number }>>`
      SELECT v."documentId", pv."page", sum(pv."dwellMs")::bigint AS "dwellMs", count(*)::int AS "views"
      FROM "GuestPageView" pv
      JOIN "GuestSession" s ON s."id" = pv."sessionId"
      JOIN "DocumentVersion" v ON v."id" = pv."versionId"
      WHERE s."portalId" = ${portal.id} AND pv."page" > 0
        AND pv."firstAt" < ${to}::timestamp(3) AND pv."lastAt" >= ${from}::timestamp(3)
      GROUP BY 1, 2 ORDER BY 1, 2`,
    db.$queryRaw<Array<{ guestId: string; events: number; views: number; downloads: number; lastSeenAt: Date }>>`
      WITH ev AS (${events})
      SELECT "actorId" AS "guestId", count(*)::int AS "events",
        count(*) FILTER (WHERE "type" = 'guest.view')::int AS "views",
        count(*) FILTER (WHERE "type" = 'guest.download')::int AS "downloads",
        max("at") AS "lastSeenAt"
      FROM ev WHERE "outcome" = 'success' AND "actorId" IS NOT NULL
      GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${TOP_GUESTS}`,
  ]);

  const guestIds = topGuests.map((g) => g.guestId);
  const docIds = [...new Set([...byDocument.map((d) => d.documentId), ...pages.map((x) => x.documentId)])];
  const [guestDays, guestRows, docRows] = await Promise.all([
    guestIds.length ? db.$queryRaw<Array<{ guestId: string; date: string; events: number }>>`
      WITH ev AS (${events})
      SELECT "actorId" AS "guestId", to_char(date_trunc('day', "at"), 'YYYY-MM-DD') AS "date", count(*)::int AS "events"
      FROM ev WHERE "outcome" = 'success' AND "actorId" IN (${Prisma.join(guestIds)})
      GROUP BY 1, 2` : [],
    guestIds.length ? db.guest.findMany({ where: { id: { in: guestIds }, orgId: portal.orgId }, select: { id: true, email: true } }) : [],
    docIds.length ? db.document.findMany({ where: { id: { in: docIds }, orgId: portal.orgId }, select: { id: true, title: true } }) : [],
  ]);

  const days = daysOf(from, to);
  const dayRows = new Map(byDay.filter((r) => r.date).map((r) => [r.date!, r]));
  const total = byDay.find((r) => r.date === null);

  const titles = new Map(docRows.map((d) => [d.id, d.title]));
  const docEvents = new Map(byDocument.map((d) => [d.documentId, d]));
  const documents = docIds.map((documentId): DocumentAnalytics => {
    const ps = pages.filter((x) => x.documentId === documentId).map((x) => ({ page: x.page, dwellMs: num(x.dwellMs), views: x.views }));
    const ev = docEvents.get(documentId);
    return {
      documentId, title: titles.get(documentId) ?? 'Deleted document',
      views: ev?.views ?? 0, downloads: ev?.downloads ?? 0, pages: ps, totalDwellMs: ps.reduce((a, x) => a + x.dwellMs, 0),
    };
  }).sort((a, b) => b.views - a.views || b.totalDwellMs - a.totalDwellMs || a.title.localeCompare(b.title));

  const emails = new Map(guestRows.map((g) => [g.id, g.email]));
  const perGuestDay = new Map(guestDays.map((r) => [`${r.guestId} ${r.date}`, r.events]));
  const guests = topGuests.map((g): GuestAnalytics => ({
    guestId: g.guestId, label: emails.get(g.guestId) ?? `guest ${g.guestId}`,
    daily: days.map((date) => ({ date, events: perGuestDay.get(`${g.guestId} ${date}`) ?? 0 })),
    events: g.events, views: g.views, downloads: g.downloads, lastSeenAt: new Date(g.lastSeenAt),
  }));

  return {
    portal: { id: portal.id, name: portal.name, slug: portal.slug },
    from, to,
    totals: { views: total?.views ?? 0, downloads: total?.downloads ?? 0, uniqueGuests: total?.uniqueGuests ?? 0, refusals: total?.refusals ?? 0 },
    daily: days.map((date) => {
      const r = dayRows.get(date);
      return { date, views: r?.views ?? 0, downloads: r?.downloads ?? 0, uniqueGuests: r?.uniqueGuests ?? 0 };
    }),
    documents, guests, refusals,
  };
}
