import { prisma } from '../db/client';
import { AppError } from '../errors';
import { authorize, can, type Principal } from '../auth/principal';

/** The related rows every view of a share shows: author, recipients, documents, terms. */
export const relationsSelect = {
  createdBy: { select: { email: true, name: true } },
  recipients: { select: { email: true } },
  documents: { select: { document: { select: { id: true, title: true } } } },
  termsVersion: { select: { id: true, version: true, title: true } },
} as const;

/**
 * The related rows of one share (author, recipients, documents, terms), for callers that got the
 * bare row back from createShare/updateShare/revokeShare. Whoever may write shares may also see
 * what they just wrote, so shares:write suffices as well as shares:read.
 */
export async function shareRelations(p: Principal, id: string) {
  if (!can(p, 'shares:write')) authorize(p, 'shares:read');
  const s = await prisma().share.findFirst({ where: { id, orgId: p.orgId }, select: relationsSelect });
  if (!s) throw new AppError('not_found', 'No such share.');
  return s;
}

export type ShareRelations = Awaited<ReturnType<typeof shareRelations>>;
