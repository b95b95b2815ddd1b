import { prisma } from '../db/client';

/*
 * Time on a page, from the page images a portal guest requests. The viewer asks for one image per page
 * turn, so the time between two page-image requests on one session is the time spent on the earlier
 * page. The session row remembers the last page served (GuestSession.lastPageVersionId / lastPage /
 * lastPageAt); each new request adds the gap to that page's GuestPageView.dwellMs and becomes the last
 * page itself. The last page of a session gets no time: nothing tells us when the guest stopped reading.
 */

/**
 * The most one gap may add. A tab left open over lunch, or a guest who walked away, is not reading
 * time: without a cap one forgotten tab would outweigh every real reader in the per-page figures.
 * Five minutes is long enough for a dense page of a legal or intelligence document.
 */
export const MAX_PAGE_DWELL_MS = 5 * 60_000;

export interface PageDwell {
  /** The page the time was added to, or null when this was the session's first page image. */
  previous: { versionId: string; page: number; addedMs: number } | null;
}

/**
 * Records that `sessionId` was just shown `page` of `versionId` at `now`, and credits the time since the
 * previous page image to that previous page. Call it after the page view is recorded (lib/guest/pages.ts
 * recordPageView), for pages read in the viewer only: thumbnails (page 0) load in a burst and are ignored.
 *
 * One statement, so it is atomic without a transaction (PostgreSQL runs every data-modifying WITH part
 * exactly once, whether or not the final SELECT reads it). It is safe under concurrency:
 * - `FOR UPDATE` makes two requests of one session queue on the session row, and under READ COMMITTED
 *   the second one then reads the first one's new last page, so each gap is counted exactly once and
 *   none is lost;
 * - requests may commit out of order (a slow render finishes after a later page turn): the last-page
 *   time only moves forward and a negative gap counts as zero, so the total credited to a session never
 *   exceeds the wall-clock time between its first and last page image;
 * - the GuestPageView increment is `dwellMs + x`, which PostgreSQL re-reads after a row lock wait.
 */
export async function recordPageDwell(sessionId: string, versionId: string, page: number, now: Date): Promise<PageDwell> {
  if (!Number.isInteger(page) || page < 1) return { previous: null };
  const rows = await prisma().$queryRaw<Array<{ versionId: string | null; page: number | null; addedMs: number | null }>>`
    WITH prev AS (
      SELECT "id", "lastPageVersionId" AS v, "lastPage" AS p, "lastPageAt" AS at,
        CASE WHEN "lastPageAt" IS NULL THEN NULL
          ELSE LEAST(GREATEST(EXTRACT(EPOCH FROM (${now}::timestamp(3) - "lastPageAt")) * 1000, 0), ${MAX_PAGE_DWELL_MS})::int END AS gap
      FROM "GuestSession" WHERE "id" = ${sessionId} FOR UPDATE
    ),
    moved AS (
      -- A request older than the last page served (it committed late) changes nothing on the session.
      UPDATE "GuestSession" s SET "lastPageVersionId" = ${versionId}, "lastPage" = ${page}, "lastPageAt" = ${now}::timestamp(3)
      FROM prev WHERE s."id" = prev."id" AND (prev.at IS NULL OR prev.at <= ${now}::timestamp(3))
      RETURNING s."id"
    ),
    credited AS (
      UPDATE "GuestPageView" g SET "dwellMs" = g."dwellMs" + prev.gap
      FROM prev WHERE prev.gap > 0 AND g."sessionId" = prev."id" AND g."versionId" = prev.v AND g."page" = prev.p
      RETURNING g."page"
    )
    SELECT prev.v AS "versionId", prev.p AS "page", prev.gap AS "addedMs"
    FROM prev`;
  const r = rows[0];
  if (!r || r.versionId == null || r.page == null || r.addedMs == null) return { previous: null };
  return { previous: { versionId: r.versionId, page: r.page, addedMs: r.addedMs } };
}
