import { prisma } from '../db/client';
import { AppError } from '../errors';
import type { Principal } from '../auth/principal';

/**
 * The caller's own organisation and its sharing policy. Every authenticated principal may read it
 * (no scope): staff need the TLP ceiling and share-length limits to fill in a share.
 */
export async function currentOrganization(p: Principal) {
  const org = await prisma().organization.findUnique({
    where: { id: p.orgId },
    select: { id: true, slug: true, name: true, tlpCeiling: true, defaultShareDays: true, maxShareDays: true, retentionDays: true, createdAt: true },
  });
  if (!org) throw new AppError('not_found', 'No such organisation.');
  return org;
}
