import { prisma } from '../db/client';
import { AppError } from '../errors';
import { authorize, type Principal } from './principal';

/** One API key of the caller's organisation, in the shape listApiKeys gives (never the secret). */
export async function getApiKey(p: Principal, id: string) {
  authorize(p, 'admin');
  const key = await prisma().apiKey.findFirst({
    where: { id, orgId: p.orgId },
    select: { id: true, name: true, prefix: true, scopes: true, createdAt: true, lastUsedAt: true, revokedAt: true, createdBy: { select: { email: true } } },
  });
  if (!key) throw new AppError('not_found', 'No such API key.');
  return key;
}
