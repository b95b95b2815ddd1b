import { preparedQuery } from '../db/hot-pool';
import type { ServedVersion } from './facts';

/*
 * The current (latest) version of shared documents. This is the version the policy decides on and the
 * one that is then served: callers pass the row on, never look it up again, so the bytes served are
 * always those of the version whose marking was checked.
 *
 * Plain SQL (DISTINCT ON) rather than a Prisma include: these run on every guest list, page and download,
 * and the include's JSON aggregation costs several times the query (see ./context-loader.ts). The rows have
 * the shape of `versionForServing` in ./facts.ts; tests/integration/guest-context-loader.test.ts holds
 * the two equal.
 */
type Raw = Omit<ServedVersion, 'document'> & { title: string; ci: boolean; ciPurgedAt: Date | null };

const toServed = ({ title, ci, ciPurgedAt, ...v }: Raw): ServedVersion => ({ ...v, document: { title, criminalIntel: ci ? { purgedAt: ciPurgedAt } : null } });

async function latest(orgId: string, documentIds: readonly string[]): Promise<ServedVersion[]> {
  if (documentIds.length === 0) return [];
  const rows = await preparedQuery<Raw>('guest_current_versions', `
    SELECT DISTINCT ON (v."documentId")
      v."id", v."documentId", v."number", v."blobKey", v."wrappedKey", v."sha256", v."size", v."mediaType", v."fileName",
      v."pages", v."tlp"::text AS "tlp", d."title", (ci."id" IS NOT NULL) AS "ci", ci."purgedAt" AS "ciPurgedAt"
    FROM "DocumentVersion" v JOIN "Document" d ON d."id" = v."documentId"
    LEFT JOIN "CriminalIntelRecord" ci ON ci."documentId" = d."id"
    WHERE d."orgId" = $1 AND v."documentId" = ANY($2::text[])
    ORDER BY v."documentId", v."number" DESC`, [orgId, [...documentIds]]);
  return rows.map(toServed);
}

/** The current version of one document of the organisation, or null. */
export async function currentVersion(orgId: string, documentId: string): Promise<ServedVersion | null> {
  return (await latest(orgId, [documentId]))[0] ?? null;
}

/** The current version of each document, for listing, sorted by title (one query). */
export async function currentVersions(orgId: string, documentIds: readonly string[]) {
  return sortedByTitle(await latest(orgId, documentIds));
}

/** List entries from current versions, sorted by title then id. */
export function sortedByTitle(versions: readonly ServedVersion[]) {
  return versions
    .map((v) => ({ id: v.documentId, title: v.document.title, version: v as ServedVersion | null }))
    .sort((a, b) => a.title.localeCompare(b.title) || a.id.localeCompare(b.id));
}
