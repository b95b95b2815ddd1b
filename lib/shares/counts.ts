import { prisma } from '../db/client';
import { authorize, type Principal } from '../auth/principal';

const DAY = 86_400_000;

/** Headline share figures for the dashboard, counted in the database rather than from a page of rows. */
export async function shareCounts(p: Principal, now = new Date()) {
  authorize(p, 'shares:read');
  const live = { orgId: p.orgId, state: 'ACTIVE' as const, expiresAt: { gt: now } };
  const [active, expiringSoon, accessedThisWeek] = await Promise.all([
    prisma().share.count({ where: live }),
    prisma().share.count({ where: { ...live, expiresAt: { gt: now, lte: new Date(now.getTime() + 3 * DAY) } } }),
    prisma().share.count({ where: { orgId: p.orgId, lastAccessAt: { gte: new Date(now.getTime() - 7 * DAY) } } }),
  ]);
  return { active, expiringSoon, accessedThisWeek };
}
