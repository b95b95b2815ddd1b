import { prisma } from '../db/client';
import { AppError } from '../errors';
import { authorize, can, type Principal } from '../auth/principal';

/**
 * How many guests accepted a terms version and how many shares use it, for a version returned
 * without counts (createTerms/reviseTerms). Either shares scope may read it, like the version itself.
 */
export async function termsVersionCounts(p: Principal, id: string): Promise<{ acceptances: number; shares: number }> {
  if (!can(p, 'shares:write')) authorize(p, 'shares:read');
  const v = await prisma().termsVersion.findFirst({
    where: { id, terms: { orgId: p.orgId } },
    select: { _count: { select: { acceptances: true, shares: true } } },
  });
  if (!v) throw new AppError('not_found', 'No such terms version.');
  return v._count;
}
