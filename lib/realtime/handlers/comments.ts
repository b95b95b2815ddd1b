import { z } from 'zod';
import { AppError } from '../../errors';
import { commentDocumentId, createComment, listComments, setCommentResolved } from '../../collab/comments';
import type { CollabActor } from '../../collab/types';
import type { CreateCommentInput } from '../../collab/comment-input';
import { publishActivity } from '../activity';
import { onEvent, type SocketContext } from '../registry';
import { idSchema } from './session';

// Shape and size only; lib/collab/comments.ts validates the content (body length after trim, anchor).
const createPayload = z.object({
  documentId: idSchema,
  page: z.number().int().min(1).max(100_000).optional(),
  anchor: z.unknown().optional(),
  body: z.string().max(20_000),
  parentId: idSchema.optional(),
  mentions: z.array(z.string().max(80)).max(20).optional(),
  grantKey: z.string().max(200).optional(),
}).strict();
const commentIdPayload = z.object({ commentId: idSchema }).strict();
const listPayload = z.object({ documentId: idSchema }).strict();

const actorName = (a: CollabActor) => a.name;

/** `comment:create`: decided as `comment` on the document, written, then sent to its audience. */
onEvent('comment:create', async (ctx, payload) => {
  const input = createPayload.parse(payload);
  const actor = await ctx.authorize('comment', input.documentId);
  // createComment parses its input again (anchor shape, body limits); the socket schema checks size only.
  const { comment, audience } = await createComment(actor, input as CreateCommentInput);
  ctx.emitTo(audience, 'comment:created', { comment });
  // The console's feed; guests already receive the comment itself, so the line goes to staff only.
  publishActivity(actor.orgId, {
    type: 'comment.create', at: comment.createdAt, actor: actorName(actor), documentId: comment.documentId, page: comment.page,
  }, { ...audience, staffOnly: true });
  return { comment };
});

/** The document a comment belongs to, in the socket's organisation, so the policy can decide on it first. */
async function documentOf(ctx: SocketContext, commentId: string): Promise<string> {
  const orgId = ctx.socket.data.principal.orgId as string;
  const documentId = await commentDocumentId(orgId, commentId);
  if (!documentId) throw new AppError('not_found', 'No such comment.');
  return documentId;
}

function resolver(resolved: boolean) {
  return async (ctx: SocketContext, payload: unknown) => {
    const { commentId } = commentIdPayload.parse(payload);
    const actor = await ctx.authorize('comment', await documentOf(ctx, commentId));
    const r = await setCommentResolved(actor, commentId, resolved);
    ctx.emitTo(r.audience, resolved ? 'comment:resolved' : 'comment:reopened', { commentId: r.commentId });
    publishActivity(actor.orgId, { type: resolved ? 'comment.resolve' : 'comment.reopen', at: new Date().toISOString(), actor: actorName(actor), documentId: r.documentId }, { ...r.audience, staffOnly: true });
    return { commentId: r.commentId, resolved };
  };
}

onEvent('comment:resolve', resolver(true));
onEvent('comment:reopen', resolver(false));

/** `comments:list {documentId}`: the threads this socket may see, after `view` is allowed. */
onEvent('comments:list', async (ctx, payload) => {
  const { documentId } = listPayload.parse(payload);
  const actor = await ctx.authorize('view', documentId);
  return { comments: await listComments(actor, documentId) };
});
