import { prisma } from '../db/client';
import type { Prisma } from '../generated/prisma/client';
import { AppError } from '../errors';
import { isId } from '../http/ids';
import { enqueueMail } from '../mail/enqueue';
import { log } from '../log';
import { auditCollab, textDigest } from './audit';
import { answerQuestionInput, askQuestionInput, type AnswerQuestionInput, type AskQuestionInput } from './comment-input';
import { grantsCoveringDocument, loadGrants, parseGrantKey } from './grants';
import { participantId, type Audience, type CollabActor, type GuestCollabActor, type QuestionDto, type StaffCollabActor } from './types';

export const questionSelect = {
  id: true, orgId: true, documentId: true, sectionId: true, grantKeys: true, shareId: true, portalId: true, askerGuestId: true,
  askerName: true, body: true, ip: true, answer: true, answeredById: true, answeredByName: true, answeredAt: true, published: true, createdAt: true,
} satisfies Prisma.QuestionSelect;
export type QuestionRow = Prisma.QuestionGetPayload<{ select: typeof questionSelect }>;

export const QUESTIONS_LIST_MAX = 500;

export function toQuestionDto(q: QuestionRow): QuestionDto {
  return {
    id: q.id, documentId: q.documentId, sectionId: q.sectionId, body: q.body,
    asker: { id: participantId('guest', q.askerGuestId), name: q.askerName, kind: 'guest' },
    createdAt: q.createdAt.toISOString(),
    answer: q.answer != null && q.answeredAt ? { body: q.answer, by: q.answeredByName ?? '', at: q.answeredAt.toISOString() } : null,
    published: q.published,
  };
}

/**
 * Questions follow the visibility rule with one narrowing: until staff publish its answer, a question
 * is its asker's alone (with staff), whether or not the grant keeps parties apart. Published, it is
 * seen by every guest holding one of its grants (publishing is refused where a grant keeps parties apart).
 */
export function canSeeQuestion(actor: CollabActor, q: Pick<QuestionRow, 'grantKeys' | 'askerGuestId' | 'published'>): boolean {
  if (actor.kind === 'staff') return true;
  return q.grantKeys.some((k) => actor.grantKeys.includes(k) && (q.askerGuestId === actor.guestId || (q.published && actor.openGrantKeys.includes(k))));
}

/** Who receives events about a question: its asker (and staff), or, once published, every guest of its grants. */
export const questionAudience = (q: QuestionRow): Audience => q.published
  ? { orgId: q.orgId, documentId: q.documentId, grantKeys: [...q.grantKeys], authorGuestId: null, partyGuestId: null }
  : { orgId: q.orgId, documentId: q.documentId, grantKeys: [], authorGuestId: q.askerGuestId, partyGuestId: q.askerGuestId };

/** A section of the guest's portal that one of the grants that let them in covers. */
async function requireSection(actor: GuestCollabActor, sectionId: string) {
  const grantIds = actor.grantKeys.map(parseGrantKey).filter((k) => k?.kind === 'portal-grant').map((k) => k!.id);
  if (!actor.portalId || !grantIds.length) throw new AppError('validation_failed', 'sectionId: sections belong to portals.');
  const s = await prisma().portalSection.findFirst({
    where: {
      id: sectionId, portalId: actor.portalId, portal: { orgId: actor.orgId },
      OR: [{ grants: { some: { grantId: { in: grantIds } } } }, { portal: { grants: { some: { id: { in: grantIds }, allSections: true } } } }],
    },
    select: { id: true, name: true },
  });
  if (!s) throw new AppError('not_found', 'No such section.');
  return s;
}

/** Who is mailed a question: the creators of its grants, else the organisation's administrators. Active staff only. */
async function questionRecipients(orgId: string, ownerIds: string[]) {
  const owners = ownerIds.length ? await prisma().staffUser.findMany({ where: { id: { in: ownerIds }, orgId, disabledAt: null }, select: { id: true, name: true, email: true } }) : [];
  if (owners.length) return owners;
  return prisma().staffUser.findMany({ where: { orgId, role: 'ADMIN', disabledAt: null }, select: { id: true, name: true, email: true }, orderBy: { createdAt: 'asc' }, take: 10 });
}

/**
 * A guest asks a question, about a document the caller authorised `view` on, a section of their
 * portal, or in general. Stored in the grants that let them in, audited (with the text's SHA-256), and
 * mailed to the owner through the queue, all in one transaction.
 */
export async function askQuestion(actor: GuestCollabActor, raw: AskQuestionInput): Promise<{ question: QuestionDto; audience: Audience }> {
  if (actor.kind !== 'guest') throw new AppError('forbidden', 'Questions are asked by guests; staff answer them.');
  const input = askQuestionInput.parse(raw);
  if (!actor.grantKeys.length) throw new AppError('forbidden', 'No grant lets you ask here.');
  const doc = input.documentId
    ? await prisma().document.findFirst({ where: { id: input.documentId, orgId: actor.orgId }, select: { id: true, title: true } })
    : null;
  if (input.documentId && !doc) throw new AppError('not_found', 'No such document.');
  // About a document: only the guest's grants that reach it hold the question (a second line behind the policy).
  const grantKeys = doc ? await grantsCoveringDocument(actor.orgId, actor.grantKeys, doc.id) : [...actor.grantKeys];
  if (!grantKeys.length) throw new AppError('not_found', 'No such document.');
  const section = input.sectionId ? await requireSection(actor, input.sectionId) : null;
  const grants = await loadGrants(actor.orgId, grantKeys);
  const recipients = await questionRecipients(actor.orgId, [...new Set([...grants.values()].map((g) => g.ownerId).filter((id): id is string => id !== null))]);
  const portal = actor.portalId ? await prisma().portal.findFirst({ where: { id: actor.portalId, orgId: actor.orgId }, select: { name: true } }) : null;
  const where = portal ? `the portal ${portal.name}` : `your ${[...grants.values()][0]?.label.replace(/^Share/, 'share') ?? 'share'}`;
  const consolePath = doc ? `/documents/${doc.id}#questions` : actor.shareId ? `/shares/${actor.shareId}#questions` : `/portals/${actor.portalId}`;
  const digest = textDigest(input.body);

  const row = await prisma().$transaction(async (tx) => {
    const q = await tx.question.create({
      data: {
        orgId: actor.orgId, documentId: doc?.id ?? null, sectionId: section?.id ?? null, grantKeys,
        shareId: actor.shareId, portalId: actor.portalId, askerGuestId: actor.guestId, askerName: actor.name, body: input.body, ip: actor.ip,
      },
      select: questionSelect,
    });
    await auditCollab(actor, 'question.asked', { shareId: q.shareId, documentId: q.documentId, portalId: q.portalId }, {
      questionId: q.id, sectionId: q.sectionId, grantKeys: q.grantKeys, bodySha256: digest.sha256, bodyLength: digest.length,
      notified: recipients.map((r) => r.email), sessionId: actor.sessionId,
    }, tx);
    for (const r of recipients) {
      await enqueueMail({
        orgId: actor.orgId, to: { name: r.name, address: r.email }, template: 'question_asked', dedupeKey: `question:${q.id}:${r.id}`,
        data: { consolePath, asker: actor.name, where, documentTitle: doc?.title ?? null, sectionName: section?.name ?? null, question: q.body, at: q.createdAt },
      }, tx);
    }
    return q;
  });
  if (!recipients.length) log.warn({ orgId: actor.orgId, questionId: row.id }, 'question asked, but nobody could be mailed about it');
  return { question: toQuestionDto(row), audience: questionAudience(row) };
}

/**
 * Staff answer a question (again, to correct it), optionally publishing it and its answer to every
 * guest of its grants. Publishing is refused when one of them keeps parties apart; once published, a
 * question stays published (its guests have seen it).
 */
export async function answerQuestion(actor: StaffCollabActor, questionId: string, raw: AnswerQuestionInput): Promise<{ question: QuestionDto; audience: Audience }> {
  if (actor.kind !== 'staff') throw new AppError('forbidden', 'Only staff answer questions.');
  const input = answerQuestionInput.parse(raw);
  const q = isId(questionId) ? await prisma().question.findFirst({ where: { id: questionId, orgId: actor.orgId }, select: questionSelect }) : null;
  if (!q) throw new AppError('not_found', 'No such question.');
  if (input.publish && !q.published) {
    const grants = await loadGrants(actor.orgId, q.grantKeys);
    const apart = q.grantKeys.filter((k) => grants.get(k)?.keepPartiesApart !== false);
    if (apart.length) {
      throw new AppError('conflict', 'This question was asked under a grant that keeps its parties apart, so its answer cannot be published to the other guests. Answer it privately instead.');
    }
  }
  const published = q.published || input.publish;
  const digest = textDigest(input.answer);
  const row = await prisma().$transaction(async (tx) => {
    const updated = await tx.question.update({
      where: { id: q.id },
      data: { answer: input.answer, answeredById: actor.staffId, answeredByName: actor.name, answeredAt: new Date(), published },
      select: questionSelect,
    });
    await auditCollab(actor, 'question.answered', { shareId: q.shareId, documentId: q.documentId, portalId: q.portalId }, {
      questionId: q.id, published, newlyPublished: published && !q.published, reanswered: q.answer !== null,
      answerSha256: digest.sha256, answerLength: digest.length, grantKeys: q.grantKeys,
    }, tx);
    return updated;
  });
  return { question: toQuestionDto(row), audience: questionAudience(row) };
}

/** The questions the actor may see, newest first; on one document when documentId is given. */
export async function listQuestions(actor: CollabActor, opts: { documentId?: string | null } = {}): Promise<QuestionDto[]> {
  if (opts.documentId != null && !isId(opts.documentId)) return [];
  if (actor.kind === 'guest' && !actor.grantKeys.length) return [];
  const rows = await prisma().question.findMany({
    where: {
      orgId: actor.orgId, ...(opts.documentId ? { documentId: opts.documentId } : {}),
      ...(actor.kind === 'guest' ? { grantKeys: { hasSome: actor.grantKeys } } : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: QUESTIONS_LIST_MAX, select: questionSelect,
  });
  return rows.filter((q) => canSeeQuestion(actor, q)).map(toQuestionDto);
}
