// TEMPORARY (realtime-core branch): a thin version of CQ's lib/collab/comments.ts, written to the agreed
// signatures so the socket handlers, their tests and bench:realtime run on this branch. At merge, CQ's
// file replaces this one whole.
import { z } from 'zod';
import { prisma } from '../db/client';
import { AppError } from '../errors';
import { recordAudit } from '../audit/record';
import type { Comment } from '../generated/prisma/client';
import { canSee } from './visibility';
import type { Audience, CollabActor, CommentAnchor, CommentDto } from './types';

const anchorSchema = z.object({
  kind: z.enum(['rect', 'highlight']),
  x: z.number().min(0).max(1), y: z.number().min(0).max(1), w: z.number().min(0).max(1), h: z.number().min(0).max(1),
}).strict().refine((a) => a.x + a.w <= 1.000001 && a.y + a.h <= 1.000001, 'The region must lie within the page.');

export const commentInput = z.object({
  documentId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  page: z.number().int().min(1).max(100_000).optional(),
  anchor: anchorSchema.optional(),
  body: z.string().max(20_000).transform((s) => s.trim()).pipe(z.string().min(1).max(4000)),
  parentId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
  mentions: z.array(z.string().regex(/^(staff|guest):[A-Za-z0-9_-]{1,64}$/)).max(20).optional(),
  grantKey: z.string().max(200).optional(),
}).strict();

const audienceOf = (c: Pick<Comment, 'orgId' | 'documentId' | 'grantKeys' | 'authorGuestId' | 'partyGuestId'>): Audience => ({
  orgId: c.orgId, documentId: c.documentId, grantKeys: c.grantKeys, authorGuestId: c.authorGuestId, partyGuestId: c.partyGuestId,
  ...(c.grantKeys.length ? {} : { staffOnly: true }),
});

export function toCommentDto(c: Comment): CommentDto {
  return {
    id: c.id, documentId: c.documentId, threadId: c.parentId ?? c.id, parentId: c.parentId, page: c.page,
    anchor: (c.anchor as CommentAnchor | null) ?? null, body: c.body, mentions: c.mentions,
    author: c.authorGuestId ? { id: `guest:${c.authorGuestId}`, name: c.authorName, kind: 'guest' } : { id: `staff:${c.authorStaffId}`, name: c.authorName, kind: 'staff' },
    createdAt: c.createdAt.toISOString(), resolvedAt: c.resolvedAt?.toISOString() ?? null, resolvedBy: c.resolvedByName,
  };
}

const auditActor = (a: CollabActor) => (a.kind === 'staff'
  ? { type: 'staff' as const, id: a.staffId, label: a.name }
  : { type: 'guest' as const, id: a.guestId, label: a.name });

/** A grant key staff chose for a new thread: a share or portal grant of the organisation that holds the document. */
async function grantOfDocument(orgId: string, documentId: string, key: string): Promise<string> {
  const [kind, id] = key.split(':');
  const found = kind === 'share'
    ? await prisma().share.findFirst({ where: { id, orgId, documents: { some: { documentId } } }, select: { id: true } })
    : kind === 'portal-grant'
      ? await prisma().portalGrant.findFirst({ where: { id, orgId }, select: { id: true } })
      : null;
  if (!found) throw new AppError('not_found', 'No such grant for this document.');
  return key;
}

/** Writes a comment or a reply (the caller has authorized `comment` on the document). */
export async function createComment(actor: CollabActor, raw: unknown): Promise<{ comment: CommentDto; audience: Audience }> {
  const input = commentInput.parse(raw);
  let grantKeys: string[];
  let partyGuestId: string | null;
  if (input.parentId) {
    const parent = await prisma().comment.findFirst({ where: { id: input.parentId, orgId: actor.orgId, documentId: input.documentId, parentId: null } });
    if (!parent || !canSee(actor, parent)) throw new AppError('not_found', 'No such thread.');
    grantKeys = parent.grantKeys;
    partyGuestId = parent.partyGuestId;
  } else if (actor.kind === 'guest') {
    grantKeys = actor.grantKeys;
    partyGuestId = actor.guestId;
  } else {
    grantKeys = input.grantKey ? [await grantOfDocument(actor.orgId, input.documentId, input.grantKey)] : [];
    partyGuestId = null;
  }
  const c = await prisma().$transaction(async (tx) => {
    const row = await tx.comment.create({
      data: {
        orgId: actor.orgId, documentId: input.documentId, grantKeys, parentId: input.parentId ?? null, partyGuestId,
        shareId: actor.kind === 'guest' ? actor.shareId : null, portalId: actor.kind === 'guest' ? actor.portalId : null,
        page: input.page ?? null, anchor: input.anchor ?? undefined, body: input.body, mentions: input.mentions ?? [],
        authorStaffId: actor.kind === 'staff' ? actor.staffId : null, authorGuestId: actor.kind === 'guest' ? actor.guestId : null,
        authorName: actor.name, ip: actor.ip,
      },
    });
    await recordAudit({
      orgId: actor.orgId, type: 'comment.create', actor: auditActor(actor), request: { ip: actor.ip, userAgent: actor.userAgent },
      shareId: actor.kind === 'guest' ? actor.shareId : null, documentId: input.documentId,
      details: { commentId: row.id, ...(row.parentId ? { parentId: row.parentId } : {}), ...(row.page ? { page: row.page } : {}), length: row.body.length },
    }, tx);
    return row;
  });
  return { comment: toCommentDto(c), audience: audienceOf(c) };
}

export async function commentDocumentId(orgId: string, commentId: string): Promise<string | null> {
  const c = await prisma().comment.findFirst({ where: { id: commentId, orgId }, select: { documentId: true } });
  return c?.documentId ?? null;
}

export async function setCommentResolved(actor: CollabActor, commentId: string, resolved: boolean) {
  const c = await prisma().comment.findFirst({ where: { id: commentId, orgId: actor.orgId } });
  if (!c || !canSee(actor, c)) throw new AppError('not_found', 'No such comment.');
  await prisma().$transaction(async (tx) => {
    await tx.comment.update({ where: { id: c.id }, data: resolved ? { resolvedAt: new Date(), resolvedByName: actor.name } : { resolvedAt: null, resolvedByName: null } });
    await recordAudit({
      orgId: actor.orgId, type: resolved ? 'comment.resolve' : 'comment.reopen', actor: auditActor(actor), request: { ip: actor.ip, userAgent: actor.userAgent },
      shareId: actor.kind === 'guest' ? actor.shareId : null, documentId: c.documentId, details: { commentId: c.id },
    }, tx);
  });
  return { commentId: c.id, documentId: c.documentId, resolved, audience: audienceOf(c) };
}

export async function listComments(actor: CollabActor, documentId: string): Promise<CommentDto[]> {
  const rows = await prisma().comment.findMany({ where: { orgId: actor.orgId, documentId }, orderBy: { createdAt: 'asc' }, take: 2000 });
  return rows.filter((c) => canSee(actor, c)).map(toCommentDto);
}
