import { prisma } from '../db/client';
import { authorize, can, type Principal } from '../auth/principal';

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/** Figures for the console dashboard: counts only, scoped to the caller's organisation. */
export async function dashboardStats(p: Principal) {
  authorize(p, 'documents:read');
  const db = prisma();
  const since = new Date(Date.now() - WEEK_MS);
  const inOrg = { document: { orgId: p.orgId } };
  const [documents, uploadsLastWeek, storage, activeShares] = await Promise.all([
    db.document.count({ where: { orgId: p.orgId } }),
    db.documentVersion.count({ where: { ...inOrg, createdAt: { gte: since } } }),
    db.documentVersion.aggregate({ where: inOrg, _sum: { size: true }, _count: { _all: true } }),
    // Shares are only counted for those allowed to see them.
    can(p, 'shares:read')
      ? db.share.count({ where: { orgId: p.orgId, state: 'ACTIVE', expiresAt: { gt: new Date() } } })
      : Promise.resolve(null),
  ]);
  return {
    documents,
    versions: storage._count._all,
    uploadsLastWeek,
    storedBytes: Number(storage._sum.size ?? 0n),
    activeShares,
  };
}
