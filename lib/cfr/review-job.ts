import { prisma } from '../db/client';
import { recordAudit } from '../audit/record';
import { log } from '../log';

/**
 * The daily review job: every record whose review date has come and that is not flagged yet is flagged
 * (dueFlaggedAt) and a `cji.review_due` event goes into its organisation's audit trail, so the trail
 * shows when each record fell due and the console lists it first. Re-validating clears the flag; a
 * purged record is never flagged. Idempotent: running twice flags nothing twice.
 */
export async function flagDueCriminalIntel(now = new Date()): Promise<number> {
  const due = await prisma().criminalIntelRecord.findMany({
    where: { purgedAt: null, dueFlaggedAt: null, reviewDueAt: { lte: now } },
    select: { id: true, orgId: true, documentId: true, reviewDueAt: true, submittedAt: true, lastValidatedAt: true, document: { select: { title: true } } },
    orderBy: { reviewDueAt: 'asc' },
    take: 1000,
  });
  let flagged = 0;
  for (const r of due) {
    try {
      await prisma().$transaction(async (tx) => {
        const { count } = await tx.criminalIntelRecord.updateMany({ where: { id: r.id, dueFlaggedAt: null, purgedAt: null }, data: { dueFlaggedAt: now } });
        if (!count) return;
        await recordAudit({
          orgId: r.orgId, type: 'cji.review_due', actor: { type: 'system', label: 'criminal-intelligence review' }, documentId: r.documentId,
          details: { title: r.document.title, reviewDueAt: r.reviewDueAt.toISOString(), submittedAt: r.submittedAt.toISOString(), lastValidatedAt: r.lastValidatedAt?.toISOString() ?? null },
        }, tx);
        flagged++;
      });
    } catch (e) {
      // One record's failure must not hold back the others; the next run tries it again.
      log.error({ err: (e as Error)?.message, recordId: r.id }, 'criminal-intelligence review flag not recorded');
    }
  }
  return flagged;
}
