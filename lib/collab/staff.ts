import type { Principal } from '../auth/principal';
import { authorize } from '../auth/principal';
import { prisma } from '../db/client';
import type { Prisma } from '../generated/prisma/client';
import { AppError } from '../errors';
import { isId } from '../http/ids';
import { staffActor } from './actor';
import { commentSelect, createComment, setCommentResolved, toCommentDto, COMMENTS_LIST_MAX } from './comments';
import type { CreateCommentInput, AnswerQuestionInput } from './comment-input';
import { publishCollabEvent } from './events';
import { loadGrants, liveGrantsForDocument, type GrantInfo } from './grants';
import { answerQuestion, questionSelect, toQuestionDto, QUESTIONS_LIST_MAX } from './questions';
import type { CommentDto, QuestionDto } from './types';

/*
 * The console's and GraphQL's entry points. Scopes (docs/COLLABORATION.md): reading threads and
 * questions is shares:read (they are the organisation's exchanges with guests, like a share's access
 * log); writing a comment, resolving and answering is shares:write (it speaks to guests, as sharing does).
 */

export interface StaffComment extends CommentDto {
  grantKeys: string[];
  /** The grants' console labels, in grantKeys' order; empty for a staff-only thread. */
  grants: Array<{ key: string; label: string; keepPartiesApart: boolean }>;
  shareId: string | null;
  portalId: string | null;
  ip: string | null;
  versionId: string | null;
}

export interface StaffQuestion extends QuestionDto {
  grants: Array<{ key: string; label: string; keepPartiesApart: boolean }>;
  shareId: string | null;
  portalId: string | null;
  documentTitle: string | null;
  /** Publishing is possible: no grant of the question keeps its parties apart. */
  publishable: boolean;
}

const grantList = (keys: string[], grants: Map<string, GrantInfo>) =>
  keys.map((k) => ({ key: k, label: grants.get(k)?.label ?? 'Ended grant', keepPartiesApart: grants.get(k)?.keepPartiesApart ?? true }));

const unknown = (what: string) => new AppError('not_found', `No such ${what}.`);

async function requireScope(p: Principal, where: { documentId?: string | null; shareId?: string | null }) {
  if (where.documentId != null && (!isId(where.documentId) || !(await prisma().document.count({ where: { id: where.documentId, orgId: p.orgId } })))) throw unknown('document');
  if (where.shareId != null && (!isId(where.shareId) || !(await prisma().share.count({ where: { id: where.shareId, orgId: p.orgId } })))) throw unknown('share');
}

/** Every thread on a document, or in a share, oldest first, with the grants each lives in. */
export async function listThreadsForStaff(p: Principal, where: { documentId?: string | null; shareId?: string | null }): Promise<StaffComment[]> {
  authorize(p, 'shares:read');
  if (!where.documentId && !where.shareId) throw new AppError('validation_failed', 'Name a document or a share.');
  await requireScope(p, where);
  return staffComments(p, { ...(where.documentId ? { documentId: where.documentId } : {}), ...(where.shareId ? { grantKeys: { has: `share:${where.shareId}` } } : {}) });
}

/** One comment as the console and GraphQL show it. */
export async function getStaffComment(p: Principal, id: string): Promise<StaffComment> {
  authorize(p, 'shares:read');
  const [c] = isId(id) ? await staffComments(p, { id }) : [];
  if (!c) throw unknown('comment');
  return c;
}

async function staffComments(p: Principal, where: Prisma.CommentWhereInput): Promise<StaffComment[]> {
  const rows = await prisma().comment.findMany({
    where: { ...where, orgId: p.orgId },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: COMMENTS_LIST_MAX, select: commentSelect,
  });
  const grants = await loadGrants(p.orgId, rows.flatMap((r) => r.grantKeys));
  return rows.map((r) => ({ ...toCommentDto(r), grantKeys: r.grantKeys, grants: grantList(r.grantKeys, grants), shareId: r.shareId, portalId: r.portalId, ip: r.ip, versionId: r.versionId }));
}

/** Questions on a document, or asked through a share, newest first. */
export async function listQuestionsForStaff(p: Principal, where: { documentId?: string | null; shareId?: string | null } = {}): Promise<StaffQuestion[]> {
  authorize(p, 'shares:read');
  await requireScope(p, where);
  return staffQuestions(p, { ...(where.documentId ? { documentId: where.documentId } : {}), ...(where.shareId ? { grantKeys: { has: `share:${where.shareId}` } } : {}) });
}

/** One question as the console and GraphQL show it. */
export async function getStaffQuestion(p: Principal, id: string): Promise<StaffQuestion> {
  authorize(p, 'shares:read');
  const [q] = isId(id) ? await staffQuestions(p, { id }) : [];
  if (!q) throw unknown('question');
  return q;
}

async function staffQuestions(p: Principal, where: Prisma.QuestionWhereInput): Promise<StaffQuestion[]> {
  const rows = await prisma().question.findMany({
    where: { ...where, orgId: p.orgId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: QUESTIONS_LIST_MAX, select: { ...questionSelect, document: { select: { title: true } } },
  });
  const grants = await loadGrants(p.orgId, rows.flatMap((r) => r.grantKeys));
  return rows.map(({ document, ...r }) => {
    const list = grantList(r.grantKeys, grants);
    return { ...toQuestionDto(r), grants: list, shareId: r.shareId, portalId: r.portalId, documentTitle: document?.title ?? null, publishable: list.every((g) => !g.keepPartiesApart) };
  });
}

/** The grants a staff member may start a thread in on this document (live and covering it). */
export async function threadGrantOptions(p: Principal, documentId: string): Promise<Array<{ key: string; label: string; keepPartiesApart: boolean }>> {
  authorize(p, 'shares:read');
  await requireScope(p, { documentId });
  return (await liveGrantsForDocument(p.orgId, documentId)).map((g) => ({ key: g.key, label: g.label, keepPartiesApart: g.keepPartiesApart }));
}

export async function staffComment(p: Principal, input: CreateCommentInput): Promise<CommentDto> {
  authorize(p, 'shares:write');
  const { comment, audience } = await createComment(staffActor(p), input);
  publishCollabEvent({ event: 'comment:created', payload: { comment }, audience });
  return comment;
}

export async function staffSetResolved(p: Principal, commentId: string, resolved: boolean) {
  authorize(p, 'shares:write');
  const r = await setCommentResolved(staffActor(p), commentId, resolved);
  publishCollabEvent({ event: resolved ? 'comment:resolved' : 'comment:reopened', payload: { commentId: r.commentId }, audience: r.audience });
  return { commentId: r.commentId, documentId: r.documentId, resolved: r.resolved };
}

export async function staffAnswer(p: Principal, questionId: string, input: AnswerQuestionInput): Promise<QuestionDto> {
  authorize(p, 'shares:write');
  const { question, audience } = await answerQuestion(staffActor(p), questionId, input);
  publishCollabEvent({ event: 'question:answered', payload: { question }, audience });
  return question;
}
