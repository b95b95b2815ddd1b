import { prisma } from '../db/client';
import type { Prisma } from '../generated/prisma/client';
import { AppError } from '../errors';
import { isId } from '../http/ids';
import { auditCollab, textDigest } from './audit';
import { createCommentInput, type CreateCommentInput } from './comment-input';
import { grantsCoveringDocument, requireLiveGrantForDocument } from './grants';
import { audienceOf, canSee } from './visibility';
import { participantId, type Audience, type CollabActor, type CommentAnchor, type CommentDto } from './types';

/** A comment row as the domain reads it. */
export const commentSelect = {
  id: true, orgId: true, documentId: true, versionId: true, grantKeys: true, shareId: true, portalId: true, parentId: true,
  partyGuestId: true, page: true, anchor: true, body: true, mentions: true, authorStaffId: true, authorGuestId: true,
  authorName: true, ip: true, resolvedAt: true, resolvedByName: true, createdAt: true,
} satisfies Prisma.CommentSelect;
export type CommentRow = Prisma.CommentGetPayload<{ select: typeof commentSelect }>;

/** At most this many comments on one document are returned (oldest first); the export has them all. */
export const COMMENTS_LIST_MAX = 2000;

const notFound = () => new AppError('not_found', 'No such comment.');

export function toCommentDto(c: CommentRow): CommentDto {
  return {
    id: c.id, documentId: c.documentId, threadId: c.parentId ?? c.id, parentId: c.parentId, page: c.page,
    anchor: (c.anchor as CommentAnchor | null) ?? null, body: c.body, mentions: c.mentions,
    author: c.authorGuestId
      ? { id: participantId('guest', c.authorGuestId), name: c.authorName, kind: 'guest' }
      : { id: participantId('staff', c.authorStaffId ?? 'unknown'), name: c.authorName, kind: 'staff' },
    createdAt: c.createdAt.toISOString(), resolvedAt: c.resolvedAt?.toISOString() ?? null, resolvedBy: c.resolvedByName,
  };
}

const visibleItem = (c: Pick<CommentRow, 'grantKeys' | 'authorGuestId' | 'partyGuestId'>) =>
  ({ grantKeys: c.grantKeys, authorGuestId: c.authorGuestId, partyGuestId: c.partyGuestId });

/** Who may receive an event about a comment (the thread's grants, author and party). */
export const commentAudience = (c: CommentRow): Audience => audienceOf(c.orgId, c.documentId, visibleItem(c));

/** The document a comment is on, in the organisation; null when there is no such comment there. */
export async function commentDocumentId(orgId: string, commentId: string): Promise<string | null> {
  if (!isId(commentId)) return null;
  const c = await prisma().comment.findFirst({ where: { id: commentId, orgId }, select: { documentId: true } });
  return c?.documentId ?? null;
}

/**
 * Mentions the author may make: active staff of the organisation, and guests who take part in this
 * document's discussions where the author can see them (or the author). Anything else is refused, not
 * dropped: a mention that silently vanished would tell its author someone was told who was not.
 */
async function checkMentions(actor: CollabActor, documentId: string, mentions: string[]): Promise<string[]> {
  const unique = [...new Set(mentions)];
  const staffIds = unique.filter((m) => m.startsWith('staff:')).map((m) => m.slice(6));
  const guestIds = unique.filter((m) => m.startsWith('guest:')).map((m) => m.slice(6));
  const [staff, guestComments] = await Promise.all([
    staffIds.length ? prisma().staffUser.findMany({ where: { id: { in: staffIds }, orgId: actor.orgId, disabledAt: null }, select: { id: true } }) : [],
    guestIds.length ? prisma().comment.findMany({
      where: { orgId: actor.orgId, documentId, authorGuestId: { in: guestIds } },
      select: { authorGuestId: true, grantKeys: true, partyGuestId: true }, take: 500,
    }) : [],
  ]);
  const okStaff = new Set(staff.map((s) => s.id));
  const okGuests = new Set(guestComments.filter((c) => canSee(actor, { ...c, authorGuestId: c.authorGuestId })).map((c) => c.authorGuestId!));
  if (actor.kind === 'guest') okGuests.add(actor.guestId);
  const bad = [...staffIds.filter((id) => !okStaff.has(id)).map((id) => `staff:${id}`), ...guestIds.filter((id) => !okGuests.has(id)).map((id) => `guest:${id}`)];
  if (bad.length) throw new AppError('validation_failed', `mentions: ${bad.length === 1 ? 'this participant is' : 'these participants are'} not someone you can mention here: ${bad.join(', ')}.`);
  return unique;
}

/**
 * Writes a comment, an annotation (a page region) or a reply. The caller has authorised `comment` on
 * the document for this actor. Guests' threads live in the grants that allowed them; staff choose a
 * live grant covering the document, or none (a staff-only thread). Replies join the root's thread and
 * inherit its grants and party; a reply to a reply is attached to the root. Audited with the body's
 * SHA-256 and length (docs/COLLABORATION.md).
 */
export async function createComment(actor: CollabActor, raw: CreateCommentInput): Promise<{ comment: CommentDto; audience: Audience }> {
  const input = createCommentInput.parse(raw);
  const doc = await prisma().document.findFirst({
    where: { id: input.documentId, orgId: actor.orgId },
    select: { id: true, versions: { orderBy: { number: 'desc' }, take: 1, select: { id: true, pages: true } } },
  });
  if (!doc) throw new AppError('not_found', 'No such document.');
  const version = doc.versions[0] ?? null;
  if (input.page != null && version?.pages != null && input.page > version.pages) {
    throw new AppError('validation_failed', `page: the document has ${version.pages} page${version.pages === 1 ? '' : 's'}.`);
  }
  if (actor.kind === 'guest' && actor.grantKeys.length === 0) throw new AppError('forbidden', 'No grant allows you to comment here.');

  let thread: { grantKeys: string[]; partyGuestId: string | null; shareId: string | null; portalId: string | null; parentId: string | null };
  if (input.parentId) {
    const parent = await prisma().comment.findFirst({ where: { id: input.parentId, orgId: actor.orgId }, select: commentSelect });
    // A parent on another document, or one the author cannot see, is as unknown as a missing one.
    if (!parent || parent.documentId !== doc.id || !canSee(actor, visibleItem(parent))) throw new AppError('not_found', 'No such comment to reply to.');
    const root = parent.parentId
      ? await prisma().comment.findFirst({ where: { id: parent.parentId, orgId: actor.orgId }, select: commentSelect })
      : parent;
    if (!root || root.documentId !== doc.id || !canSee(actor, visibleItem(root))) throw new AppError('not_found', 'No such comment to reply to.');
    if (input.grantKey) throw new AppError('validation_failed', 'grantKey: a reply lives in its thread\u2019s grants.');
    thread = { grantKeys: root.grantKeys, partyGuestId: root.partyGuestId, shareId: root.shareId, portalId: root.portalId, parentId: root.id };
  } else if (actor.kind === 'guest') {
    if (input.grantKey) throw new AppError('validation_failed', 'grantKey: a guest\u2019s thread lives in the grants that let them in.');
    const covering = await grantsCoveringDocument(actor.orgId, actor.grantKeys, doc.id);
    if (!covering.length) throw new AppError('not_found', 'No such document.');
    thread = { grantKeys: covering, partyGuestId: actor.guestId, shareId: actor.shareId, portalId: actor.portalId, parentId: null };
  } else if (input.grantKey) {
    const g = await requireLiveGrantForDocument(actor.orgId, input.grantKey, doc.id);
    thread = { grantKeys: [g.key], partyGuestId: null, shareId: g.shareId, portalId: g.portalId, parentId: null };
  } else {
    thread = { grantKeys: [], partyGuestId: null, shareId: null, portalId: null, parentId: null };
  }
  const mentions = await checkMentions(actor, doc.id, input.mentions);
  const digest = textDigest(input.body);

  const row = await prisma().$transaction(async (tx) => {
    const c = await tx.comment.create({
      data: {
        orgId: actor.orgId, documentId: doc.id, versionId: version?.id ?? null, grantKeys: thread.grantKeys,
        shareId: thread.shareId, portalId: thread.portalId, parentId: thread.parentId, partyGuestId: thread.partyGuestId,
        page: input.page ?? null, anchor: input.anchor ? { ...input.anchor } : undefined, body: input.body, mentions,
        authorStaffId: actor.kind === 'staff' ? actor.staffId : null, authorGuestId: actor.kind === 'guest' ? actor.guestId : null,
        authorName: actor.name, ip: actor.ip,
      },
      select: commentSelect,
    });
    await auditCollab(actor, 'comment.created', { shareId: c.shareId, documentId: c.documentId, portalId: c.portalId }, {
      commentId: c.id, threadId: c.parentId ?? c.id, parentId: c.parentId, versionId: c.versionId, page: c.page,
      anchor: input.anchor ?? null, grantKeys: c.grantKeys, mentions, bodySha256: digest.sha256, bodyLength: digest.length,
      ...(actor.kind === 'guest' ? { sessionId: actor.sessionId } : {}),
    }, tx);
    return c;
  });
  return { comment: toCommentDto(row), audience: commentAudience(row) };
}

/**
 * Resolves or reopens a thread (a reply stands for its thread). Staff may, and the guest who started
 * the thread; another guest who can see it may not. Changing nothing is not recorded.
 */
export async function setCommentResolved(actor: CollabActor, commentId: string, resolved: boolean): Promise<{ commentId: string; documentId: string; resolved: boolean; audience: Audience }> {
  if (!isId(commentId)) throw notFound();
  const found = await prisma().comment.findFirst({ where: { id: commentId, orgId: actor.orgId }, select: commentSelect });
  const root = found?.parentId ? await prisma().comment.findFirst({ where: { id: found.parentId, orgId: actor.orgId }, select: commentSelect }) : found;
  if (!root || !canSee(actor, visibleItem(root))) throw notFound();
  if (actor.kind === 'guest' && root.partyGuestId !== actor.guestId) {
    throw new AppError('forbidden', 'Only staff and the guest who started this thread can resolve or reopen it.');
  }
  if ((root.resolvedAt !== null) !== resolved) {
    await prisma().$transaction(async (tx) => {
      await tx.comment.update({ where: { id: root.id }, data: resolved ? { resolvedAt: new Date(), resolvedByName: actor.name } : { resolvedAt: null, resolvedByName: null } });
      await auditCollab(actor, resolved ? 'comment.resolved' : 'comment.reopened', { shareId: root.shareId, documentId: root.documentId, portalId: root.portalId }, {
        commentId: root.id, grantKeys: root.grantKeys,
      }, tx);
    });
  }
  return { commentId: root.id, documentId: root.documentId, resolved, audience: commentAudience(root) };
}

/** Where a guest's candidates are: comments in one of their grants (the rule then decides each one). */
const guestWhere = (actor: CollabActor): Prisma.CommentWhereInput =>
  actor.kind === 'guest' ? { grantKeys: { hasSome: actor.grantKeys } } : {};

/**
 * The comments on a document the actor may see, oldest first (threads are rebuilt from threadId). The
 * caller has authorised `view` on the document for a guest; staff see every thread of their organisation.
 */
export async function listComments(actor: CollabActor, documentId: string): Promise<CommentDto[]> {
  if (!isId(documentId)) return [];
  if (actor.kind === 'guest' && actor.grantKeys.length === 0) return [];
  const rows = await prisma().comment.findMany({
    where: { orgId: actor.orgId, documentId, ...guestWhere(actor) },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: COMMENTS_LIST_MAX, select: commentSelect,
  });
  return rows.filter((c) => canSee(actor, visibleItem(c))).map(toCommentDto);
}
