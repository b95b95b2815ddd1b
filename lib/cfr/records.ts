import { prisma } from '../db/client';
import { AppError } from '../errors';
import { recordAudit } from '../audit/record';
import { actorOf, authorize, type Principal } from '../auth/principal';
import { idSchema } from '../http/ids';
import { listInput, markInput, revalidateInput, unmarkInput } from './input';
import { reviewDueFrom, reviewState } from './review';

const recordSelect = {
  id: true, documentId: true, submittingAgency: true, sourceReliability: true, contentValidity: true, criminalActivity: true,
  submittedAt: true, submittedBy: true, lastValidatedAt: true, lastValidatedBy: true, reviewDueAt: true, dueFlaggedAt: true,
  purgedAt: true, purgedBy: true, purgeReason: true, purgedVersions: true, createdAt: true, updatedAt: true,
} as const;

type Row = { purgedAt: Date | null; reviewDueAt: Date };
const withState = <R extends Row>(r: R, now = new Date()) => ({ ...r, reviewState: reviewState(r, now) });

const who = (p: Principal) => ({ id: p.kind === 'staff' ? p.userId : null, label: actorOf(p).label });

async function requireDocument(orgId: string, documentId: string) {
  idSchema.parse(documentId);
  const doc = await prisma().document.findFirst({ where: { id: documentId, orgId }, select: { id: true, title: true } });
  if (!doc) throw new AppError('not_found', 'No such document.');
  return doc;
}

const loadRecord = (orgId: string, documentId: string) =>
  prisma().criminalIntelRecord.findFirst({ where: { orgId, documentId }, select: recordSelect });

/** The marking of a document, or null when it is not criminal intelligence. */
export async function getCriminalIntel(p: Principal, documentId: string) {
  authorize(p, 'documents:read');
  await requireDocument(p.orgId, documentId);
  const r = await loadRecord(p.orgId, documentId);
  return r ? withState(r) : null;
}

/**
 * Marks a document as criminal intelligence, or changes its marking. The review date runs from the
 * submission (or the last validation), so changing the submission date moves it. A purged record is
 * kept as it is: nothing about it can change any more. Audited (cji.mark / cji.update, with what changed).
 */
export async function markCriminalIntel(p: Principal, documentId: string, raw: unknown) {
  authorize(p, 'documents:write');
  const input = markInput.parse(raw);
  const now = new Date();
  if (input.submittedAt && input.submittedAt.getTime() > now.getTime() + 60_000) {
    throw new AppError('validation_failed', 'submittedAt: the submission date cannot be in the future.');
  }
  const doc = await requireDocument(p.orgId, documentId);
  const by = who(p);
  await prisma().$transaction(async (tx) => {
    const current = await tx.criminalIntelRecord.findFirst({ where: { orgId: p.orgId, documentId } });
    if (current?.purgedAt) throw new AppError('conflict', 'This criminal-intelligence record was purged; its marking can no longer change.');
    const fields = {
      submittingAgency: input.submittingAgency, sourceReliability: input.sourceReliability, contentValidity: input.contentValidity,
      criminalActivity: input.criminalActivity,
    };
    if (!current) {
      const submittedAt = input.submittedAt ?? now;
      const r = await tx.criminalIntelRecord.create({
        data: { orgId: p.orgId, documentId, ...fields, submittedAt, submittedById: by.id, submittedBy: by.label, reviewDueAt: reviewDueFrom(submittedAt) },
      });
      await recordAudit({
        orgId: p.orgId, type: 'cji.mark', actor: actorOf(p), request: p.request, documentId,
        details: { title: doc.title, ...fields, submittedAt: r.submittedAt.toISOString(), reviewDueAt: r.reviewDueAt.toISOString() },
      }, tx);
      return;
    }
    const submittedAt = input.submittedAt ?? current.submittedAt;
    const next = { ...fields, submittedAt };
    const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => String(next[k] instanceof Date ? (next[k] as Date).toISOString() : next[k])
      !== String(current[k] instanceof Date ? (current[k] as Date).toISOString() : current[k]));
    if (!changed.length) return;
    const reviewDueAt = reviewDueFrom(current.lastValidatedAt && current.lastValidatedAt > submittedAt ? current.lastValidatedAt : submittedAt);
    await tx.criminalIntelRecord.update({ where: { id: current.id }, data: { ...next, reviewDueAt } });
    await recordAudit({
      orgId: p.orgId, type: 'cji.update', actor: actorOf(p), request: p.request, documentId,
      details: {
        title: doc.title, changed,
        from: Object.fromEntries(changed.map((k) => [k, current[k]])), to: Object.fromEntries(changed.map((k) => [k, next[k]])),
        reviewDueAt: reviewDueAt.toISOString(),
      },
    }, tx);
  });
  return withState((await loadRecord(p.orgId, documentId))!);
}

/**
 * Removes the marking (an admin's decision that the document is not criminal intelligence after all).
 * The whole record goes into the audit event; the dissemination log stays. A purged record cannot be
 * unmarked: it is the proof that the content existed and was destroyed.
 */
export async function unmarkCriminalIntel(p: Principal, documentId: string, raw: unknown) {
  authorize(p, 'admin');
  const { reason } = unmarkInput.parse(raw);
  const doc = await requireDocument(p.orgId, documentId);
  await prisma().$transaction(async (tx) => {
    const r = await tx.criminalIntelRecord.findFirst({ where: { orgId: p.orgId, documentId } });
    if (!r) throw new AppError('not_found', 'This document is not marked as criminal intelligence.');
    if (r.purgedAt) throw new AppError('conflict', 'A purged criminal-intelligence record is kept; it cannot be unmarked.');
    await tx.criminalIntelRecord.delete({ where: { id: r.id } });
    await recordAudit({
      orgId: p.orgId, type: 'cji.unmark', actor: actorOf(p), request: p.request, documentId, reason,
      details: {
        title: doc.title, submittingAgency: r.submittingAgency, sourceReliability: r.sourceReliability, contentValidity: r.contentValidity,
        criminalActivity: r.criminalActivity, submittedAt: r.submittedAt.toISOString(), lastValidatedAt: r.lastValidatedAt?.toISOString() ?? null,
      },
    }, tx);
  });
  return { documentId };
}

/**
 * Re-validates a record after review: the information is still relevant and the criminal-activity basis
 * still holds. Sets the validation date to now and the next review five years on; the grades may be
 * revised at the same time. Admins only; audited (cji.revalidate) with the reviewer's note.
 */
export async function revalidateCriminalIntel(p: Principal, documentId: string, raw: unknown) {
  authorize(p, 'admin');
  const input = revalidateInput.parse(raw);
  const doc = await requireDocument(p.orgId, documentId);
  const now = new Date();
  const by = who(p);
  await prisma().$transaction(async (tx) => {
    const r = await tx.criminalIntelRecord.findFirst({ where: { orgId: p.orgId, documentId } });
    if (!r) throw new AppError('not_found', 'This document is not marked as criminal intelligence.');
    if (r.purgedAt) throw new AppError('conflict', 'A purged record cannot be re-validated.');
    const reviewDueAt = reviewDueFrom(now);
    await tx.criminalIntelRecord.update({
      where: { id: r.id },
      data: {
        lastValidatedAt: now, lastValidatedById: by.id, lastValidatedBy: by.label, reviewDueAt, dueFlaggedAt: null,
        ...(input.sourceReliability ? { sourceReliability: input.sourceReliability } : {}),
        ...(input.contentValidity ? { contentValidity: input.contentValidity } : {}),
      },
    });
    await recordAudit({
      orgId: p.orgId, type: 'cji.revalidate', actor: actorOf(p), request: p.request, documentId, reason: input.note,
      details: {
        title: doc.title, previousReviewDueAt: r.reviewDueAt.toISOString(), reviewDueAt: reviewDueAt.toISOString(),
        ...(input.sourceReliability && input.sourceReliability !== r.sourceReliability ? { sourceReliability: { from: r.sourceReliability, to: input.sourceReliability } } : {}),
        ...(input.contentValidity && input.contentValidity !== r.contentValidity ? { contentValidity: { from: r.contentValidity, to: input.contentValidity } } : {}),
      },
    }, tx);
  });
  return withState((await loadRecord(p.orgId, documentId))!);
}

/**
 * The organisation's criminal-intelligence records for the review console: records due or overdue first
 * (earliest due date first), then the rest by due date, purged ones last. Admins and auditors.
 */
export async function listCriminalIntel(p: Principal, raw: unknown = {}) {
  authorize(p, 'audit:read');
  const { status } = listInput.parse(raw ?? {});
  const now = new Date();
  const rows = await prisma().criminalIntelRecord.findMany({
    where: {
      orgId: p.orgId,
      ...(status === 'purged' ? { purgedAt: { not: null } } : {}),
      ...(status === 'active' ? { purgedAt: null } : {}),
      ...(status === 'due' ? { purgedAt: null, reviewDueAt: { lte: new Date(now.getTime() + 90 * 86_400_000) } } : {}),
    },
    select: { ...recordSelect, document: { select: { title: true } } },
    orderBy: [{ reviewDueAt: 'asc' }, { id: 'asc' }],
    take: 1000,
  });
  const counts = await prisma().criminalIntelRelease.groupBy({ by: ['documentId'], where: { orgId: p.orgId, documentId: { in: rows.map((r) => r.documentId) } }, _count: { _all: true } });
  const released = new Map(counts.map((c) => [c.documentId, c._count._all]));
  const order = { overdue: 0, due_soon: 1, current: 2, purged: 3 } as const;
  return rows
    .map(({ document, ...r }) => ({ ...withState(r, now), title: document.title, releases: released.get(r.documentId) ?? 0 }))
    .sort((a, b) => order[a.reviewState] - order[b.reviewState] || a.reviewDueAt.getTime() - b.reviewDueAt.getTime());
}

/** How many records are due (overdue or within 90 days), for the console's navigation. */
export async function countDueCriminalIntel(orgId: string, now = new Date()) {
  return prisma().criminalIntelRecord.count({ where: { orgId, purgedAt: null, reviewDueAt: { lte: new Date(now.getTime() + 90 * 86_400_000) } } });
}

/** Refuses changes to a purged document's content (a new version would bring purged content back). */
export async function assertNotPurged(orgId: string, documentId: string) {
  const r = await prisma().criminalIntelRecord.findFirst({ where: { orgId, documentId }, select: { purgedAt: true } });
  if (r?.purgedAt) throw new AppError('conflict', 'This document’s criminal-intelligence content was purged; nothing can be added to it.');
}

/** A marked document is not deleted like any other: it is purged (which keeps the record) or unmarked first. */
export async function assertDeletable(orgId: string, documentId: string) {
  const r = await prisma().criminalIntelRecord.findFirst({ where: { orgId, documentId }, select: { purgedAt: true } });
  if (r) throw new AppError('conflict', r.purgedAt
    ? 'This is the kept record of purged criminal intelligence; it cannot be deleted.'
    : 'This document is marked as criminal intelligence: purge it from the Criminal intelligence page (the record is kept), or remove the marking first.');
}
