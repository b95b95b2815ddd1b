import { prisma } from '../db/client';
import { AppError } from '../errors';
import { recordAudit } from '../audit/record';
import { actorOf, authorize, type Principal } from '../auth/principal';
import { idSchema } from '../http/ids';
import { removeStoredFiles } from '../storage/remove';
import { endShareSessions } from '../shares/revocation';
import { reevaluatePortalSockets } from '../realtime/revocation';
import { withdrawApprovalTx } from '../governance/approval';
import { purgeInput } from './input';

/**
 * Purges a criminal-intelligence record (28 CFR 23.20(h)): the content of every version is removed from
 * storage and the database, with everything derived from it (rendered pages, guests' proposed files,
 * comments, annotations and questions on it); every share that contains it is revoked and it is taken out
 * of every portal section. The document and its record stay, marked purged (when, by whom, why, and the
 * SHA-256 and size of each version removed) so that it can be shown the content existed and was destroyed;
 * the audit trail is not touched. Admins only. A second purge is refused (conflict).
 *
 * The database changes commit first, so nothing can be served from the moment of the commit (the policy
 * finds no version; the record says purged); the encrypted files are then deleted.
 */
export async function purgeCriminalIntel(p: Principal, documentId: string, raw: unknown) {
  authorize(p, 'admin');
  idSchema.parse(documentId);
  const { reason } = purgeInput.parse(raw);
  const now = new Date();
  const by = actorOf(p);
  const done = await prisma().$transaction(async (tx) => {
    const r = await tx.criminalIntelRecord.findFirst({ where: { orgId: p.orgId, documentId } });
    if (!r) throw new AppError('not_found', 'This document is not marked as criminal intelligence.');
    if (r.purgedAt) throw new AppError('conflict', 'This record was already purged.');
    const doc = await tx.document.findFirstOrThrow({
      where: { id: documentId, orgId: p.orgId },
      select: { title: true, versions: { select: { id: true, number: true, sha256: true, size: true, blobKey: true }, orderBy: { number: 'asc' } }, proposals: { select: { blobKey: true, acceptedVersionId: true } } },
    });
    const versionIds = doc.versions.map((v) => v.id);
    const shares = await tx.share.findMany({ where: { orgId: p.orgId, state: 'ACTIVE', documents: { some: { documentId } } }, select: { id: true } });
    for (const s of shares) {
      await tx.share.update({ where: { id: s.id }, data: { state: 'REVOKED', revokedAt: now, revokedReason: 'Criminal intelligence purged', revocationEpoch: { increment: 1 } } });
      await recordAudit({ orgId: p.orgId, type: 'share.revoke', actor: by, request: p.request, shareId: s.id, reason: 'criminal intelligence purged', details: { documentId } }, tx);
      await withdrawApprovalTx(tx, p, { kind: 'share', id: s.id }, 'criminal intelligence purged');
    }
    const sections = await tx.portalSectionDocument.findMany({ where: { documentId, section: { portal: { orgId: p.orgId } } }, select: { sectionId: true, section: { select: { portalId: true } } } });
    await tx.portalSectionDocument.deleteMany({ where: { documentId, sectionId: { in: sections.map((s) => s.sectionId) } } });
    await tx.comment.deleteMany({ where: { documentId, orgId: p.orgId } });
    await tx.question.deleteMany({ where: { documentId } });
    await tx.versionProposal.deleteMany({ where: { documentId } });
    await tx.guestPageView.deleteMany({ where: { versionId: { in: versionIds } } });
    await tx.portalPreviewPage.deleteMany({ where: { versionId: { in: versionIds } } });
    await tx.documentVersion.deleteMany({ where: { documentId } });
    const purgedVersions = doc.versions.map((v) => ({ version: v.number, sha256: v.sha256, size: Number(v.size) }));
    await tx.criminalIntelRecord.update({ where: { id: r.id }, data: { purgedAt: now, purgedById: p.kind === 'staff' ? p.userId : null, purgedBy: by.label, purgeReason: reason, purgedVersions, dueFlaggedAt: null } });
    await tx.document.update({ where: { id: documentId }, data: { updatedAt: now } });
    await recordAudit({
      orgId: p.orgId, type: 'cji.purge', actor: by, request: p.request, documentId, reason,
      details: {
        title: doc.title, versions: purgedVersions, revokedShares: shares.map((s) => s.id),
        removedFromSections: sections.map((s) => ({ sectionId: s.sectionId, portalId: s.section.portalId })), submittingAgency: r.submittingAgency,
      },
    }, tx);
    return {
      versions: doc.versions, proposalBlobs: doc.proposals.filter((x) => !x.acceptedVersionId).map((x) => x.blobKey),
      shareIds: shares.map((s) => s.id), portalIds: [...new Set(sections.map((s) => s.section.portalId))],
    };
  });
  await removeStoredFiles(done.versions, done.proposalBlobs);
  for (const id of done.shareIds) await endShareSessions(id, 'revoked');
  for (const id of done.portalIds) void reevaluatePortalSockets(id);
  return { documentId, purgedAt: now, revokedShares: done.shareIds.length, versions: done.versions.length };
}
