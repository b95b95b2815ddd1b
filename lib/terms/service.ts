import { z } from 'zod';
import { prisma } from '../db/client';
import { AppError } from '../errors';
import { recordAudit } from '../audit/record';
import { actorOf, authorize, type Principal } from '../auth/principal';

export const termsInput = z.object({
  title: z.string().trim().min(1, 'Title is required').max(200),
  body: z.string().trim().min(1, 'Terms text is required').max(50_000),
});

/** Creates a new set of terms at version 1. */
export async function createTerms(p: Principal, raw: unknown) {
  authorize(p, 'shares:write');
  const input = termsInput.parse(raw);
  return prisma().$transaction(async (tx) => {
    const terms = await tx.terms.create({ data: { orgId: p.orgId, title: input.title } });
    const version = await tx.termsVersion.create({ data: { termsId: terms.id, version: 1, title: input.title, body: input.body } });
    await recordAudit({ orgId: p.orgId, type: 'terms.create', actor: actorOf(p), request: p.request, details: { termsId: terms.id, termsVersionId: version.id, version: 1, title: input.title } }, tx);
    return version;
  });
}

/**
 * Editing terms never changes accepted text: it adds a version. Shares keep pointing at the version
 * they were created with until someone moves them to the new one.
 */
export async function reviseTerms(p: Principal, termsId: string, raw: unknown) {
  authorize(p, 'shares:write');
  const input = termsInput.parse(raw);
  return prisma().$transaction(async (tx) => {
    const terms = await tx.terms.findFirst({ where: { id: termsId, orgId: p.orgId } });
    if (!terms) throw new AppError('not_found', 'No such terms.');
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${'terms:' + termsId}, 0))`;
    const last = await tx.termsVersion.findFirst({ where: { termsId }, orderBy: { version: 'desc' }, select: { version: true } });
    const version = await tx.termsVersion.create({ data: { termsId, version: (last?.version ?? 0) + 1, title: input.title, body: input.body } });
    await tx.terms.update({ where: { id: termsId, orgId: p.orgId }, data: { title: input.title } });
    await recordAudit({ orgId: p.orgId, type: 'terms.revise', actor: actorOf(p), request: p.request, details: { termsId, termsVersionId: version.id, version: version.version } }, tx);
    return version;
  });
}

export async function listTerms(p: Principal) {
  authorize(p, 'shares:read');
  return prisma().terms.findMany({
    where: { orgId: p.orgId },
    orderBy: { createdAt: 'desc' },
    include: { versions: { orderBy: { version: 'desc' }, include: { _count: { select: { acceptances: true, shares: true } } } } },
  });
}

/** A terms version of the caller's organisation, or not_found. */
export async function requireTermsVersion(orgId: string, id: string) {
  const v = await prisma().termsVersion.findFirst({ where: { id, terms: { orgId } } });
  if (!v) throw new AppError('not_found', 'No such terms version.');
  return v;
}
