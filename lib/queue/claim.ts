import crypto from 'node:crypto';
import { prisma, type Tx } from '../db/client';
import { Prisma } from '../generated/prisma/client';
import type { ClaimedItem } from './types';

// Timestamps are stored without a time zone, in UTC (as Prisma writes them); compare in UTC whatever
// the session's TimeZone. The database's clock decides leases, so instances agree on them.
const NOW = Prisma.sql`(now() AT TIME ZONE 'UTC')`;

/**
 * Claims up to `limit` due items of the given kinds: pending ones whose time has come, and running
 * ones whose lease ran out (their worker crashed or stalled). One statement, so one short
 * transaction: FOR UPDATE SKIP LOCKED makes concurrent claimers (threads, instances) take disjoint
 * rows without waiting for each other, and the UPDATE marks them in flight with a fresh lease and
 * one more attempt before the row lock is released.
 */
export async function claimDue(opts: { kinds: string[]; limit: number; leaseMs: number; orgIds?: string[]; db?: Tx }): Promise<ClaimedItem[]> {
  if (!opts.kinds.length || opts.limit < 1) return [];
  const leaseId = crypto.randomBytes(12).toString('base64url');
  const rows = await (opts.db ?? prisma()).$queryRaw<Array<Omit<ClaimedItem, 'leaseId'>>>`
    WITH due AS (
      SELECT "id" FROM "QueueItem"
      WHERE "kind" IN (${Prisma.join(opts.kinds)})
        ${opts.orgIds ? (opts.orgIds.length ? Prisma.sql`AND "orgId" IN (${Prisma.join(opts.orgIds)})` : Prisma.sql`AND false`) : Prisma.empty}
        AND (("status" = 'PENDING' AND "nextAttemptAt" <= ${NOW})
          OR ("status" = 'RUNNING' AND "lockedUntil" < ${NOW}))
      ORDER BY "nextAttemptAt", "id"
      LIMIT ${opts.limit}
      FOR UPDATE SKIP LOCKED
    )
    UPDATE "QueueItem" q
    SET "status" = 'RUNNING', "attempts" = q."attempts" + 1, "leaseId" = ${leaseId},
        "lockedUntil" = ${NOW} + make_interval(secs => ${opts.leaseMs / 1000}::double precision),
        "updatedAt" = ${NOW}
    FROM due WHERE q."id" = due."id"
    RETURNING q."id", q."kind", q."attempts", q."maxAttempts", q."payload"`;
  return rows.map((r) => ({ ...r, leaseId }));
}
