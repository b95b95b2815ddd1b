import { prisma } from '../db/client';
import { versionForServing, type ServedVersion } from './facts';

/**
 * The current (latest) version of a document of the organisation. This is the version the policy
 * decides on and the one that is then served: callers pass the row on, never look it up again, so the
 * bytes served are always those of the version whose marking was checked.
 */
export async function currentVersion(orgId: string, documentId: string): Promise<ServedVersion | null> {
  return prisma().documentVersion.findFirst({
    where: { documentId, document: { orgId } },
    orderBy: { number: 'desc' },
    select: versionForServing,
  });
}

/** The current version of each document, for listing (one query). */
export async function currentVersions(orgId: string, documentIds: readonly string[]) {
  const docs = await prisma().document.findMany({
    where: { id: { in: [...documentIds] }, orgId },
    orderBy: { title: 'asc' },
    select: { id: true, title: true, versions: { orderBy: { number: 'desc' }, take: 1, select: versionForServing } },
  });
  return docs.map((d) => ({ id: d.id, title: d.title, version: d.versions[0] ?? null }));
}
