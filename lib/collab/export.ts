import { authorize, actorOf, type Principal } from '../auth/principal';
import { recordAudit } from '../audit/record';
import { prisma } from '../db/client';
import { AppError } from '../errors';
import { isId } from '../http/ids';
import { textDigest } from './audit';
import { commentSelect, toCommentDto } from './comments';
import { questionSelect, toQuestionDto } from './questions';

/** The export is for one document; a trail longer than this is exported in part and says so. */
export const EXPORT_MAX_EVENTS = 20_000;

/**
 * A document's audit trail with its discussions, as one JSON file: every event about the document (with
 * seq, prevHash and hash, so it can be checked against the chain), every comment and annotation with its
 * full text and that text's SHA-256 (the trail's comment.created event holds the same hash), and every
 * question and answer. Auditors and admins (audit:read). The export itself is audited.
 */
export async function documentAuditExport(p: Principal, documentId: string) {
  authorize(p, 'audit:read');
  const doc = isId(documentId) ? await prisma().document.findFirst({ where: { id: documentId, orgId: p.orgId }, select: { id: true, title: true } }) : null;
  if (!doc) throw new AppError('not_found', 'No such document.');
  const [events, comments, questions] = await Promise.all([
    prisma().auditEvent.findMany({ where: { orgId: p.orgId, documentId: doc.id }, orderBy: { seq: 'asc' }, take: EXPORT_MAX_EVENTS + 1 }),
    prisma().comment.findMany({ where: { orgId: p.orgId, documentId: doc.id }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: commentSelect }),
    prisma().question.findMany({ where: { orgId: p.orgId, documentId: doc.id }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: questionSelect }),
  ]);
  await recordAudit({ orgId: p.orgId, type: 'document.audit_export', actor: actorOf(p), request: p.request, documentId: doc.id, details: { events: Math.min(events.length, EXPORT_MAX_EVENTS), comments: comments.length, questions: questions.length } });
  return {
    format: 'liaison.document-audit/1',
    exportedAt: new Date().toISOString(),
    document: doc,
    truncated: events.length > EXPORT_MAX_EVENTS,
    events: events.slice(0, EXPORT_MAX_EVENTS).map((e) => ({
      seq: e.seq, at: e.at.toISOString(), type: e.type, actorType: e.actorType, actorId: e.actorId, actor: e.actor, ip: e.ip,
      userAgent: e.userAgent, shareId: e.shareId, documentId: e.documentId, outcome: e.outcome, reason: e.reason, details: e.details,
      prevHash: e.prevHash, hash: e.hash,
    })),
    comments: comments.map((c) => ({
      ...toCommentDto(c), grantKeys: c.grantKeys, partyGuestId: c.partyGuestId, shareId: c.shareId, portalId: c.portalId,
      versionId: c.versionId, ip: c.ip, authorStaffId: c.authorStaffId, authorGuestId: c.authorGuestId, bodySha256: textDigest(c.body).sha256,
    })),
    questions: questions.map((q) => ({
      ...toQuestionDto(q), grantKeys: q.grantKeys, shareId: q.shareId, portalId: q.portalId, ip: q.ip, askerGuestId: q.askerGuestId,
      bodySha256: textDigest(q.body).sha256, answerSha256: q.answer != null ? textDigest(q.answer).sha256 : null,
    })),
  };
}
