import { z } from 'zod';
import { prisma } from '../../db/client';
import { AppError } from '../../errors';
import type { Audience, CollabActor } from '../../collab/types';
import { canSee } from '../../collab/visibility';
import { onEvent } from '../registry';
import {
  joinDocument, leaveDocument, MAX_JOINED_DOCUMENTS, presenceFor, schedulePresence, socketData,
} from '../presence';
import { audienceRooms } from '../rooms';

// Ids are cuids; anything else names nothing and is refused before a query.
export const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const docPayload = z.object({ documentId: idSchema }).strict();
const pagePayload = z.object({ documentId: idSchema, page: z.number().int().min(1).max(100_000) }).strict();
const typingPayload = z.object({ documentId: idSchema, threadId: idSchema.optional() }).strict();

/**
 * `join {documentId}`: only once the policy allows `view`; the ack carries the socket's own participant
 * (`self`, as others see it) and the presence this socket may see.
 */
onEvent('join', async (ctx, payload) => {
  const { documentId } = docPayload.parse(payload);
  const data = socketData(ctx.socket);
  if (!data.docs[documentId] && Object.keys(data.docs).length >= MAX_JOINED_DOCUMENTS) {
    throw new AppError('conflict', `At most ${MAX_JOINED_DOCUMENTS} documents may be open on one connection.`);
  }
  const actor = await ctx.authorize('view', documentId);
  await joinDocument(ctx.socket, actor, documentId);
  schedulePresence(ctx.io, documentId);
  return { documentId, self: socketData(ctx.socket).participant, participants: await presenceFor(ctx.io, ctx.socket, documentId) };
});

/** `leave {documentId}`: out of the document's rooms and presence. */
onEvent('leave', async (ctx, payload) => {
  const { documentId } = docPayload.parse(payload);
  if (leaveDocument(ctx.socket, documentId)) schedulePresence(ctx.io, documentId);
  return { documentId };
});

function joined(ctx: Parameters<Parameters<typeof onEvent>[1]>[0], documentId: string) {
  const doc = socketData(ctx.socket).docs[documentId];
  if (!doc) throw new AppError('conflict', 'Join the document first.');
  return doc;
}

/** `page {documentId, page}`: the page this participant is on, for presence (decided as viewing that page). */
onEvent('page', async (ctx, payload) => {
  const { documentId, page } = pagePayload.parse(payload);
  joined(ctx, documentId);
  await ctx.authorize('view', documentId);
  // Read again: the socket may have left the document while the policy was being asked.
  const doc = socketData(ctx.socket).docs[documentId];
  if (!doc) throw new AppError('conflict', 'Join the document first.');
  doc.page = page;
  doc.at = Date.now();
  schedulePresence(ctx.io, documentId);
  return { documentId, page };
});

/**
 * Who a thread's events reach: the thread's own audience, when this actor may see the thread; without
 * a thread (a new one being written), the audience a new thread by this actor would have.
 */
async function typingAudience(actor: CollabActor, documentId: string, threadId: string | undefined): Promise<Audience> {
  if (threadId) {
    const t = await prisma().comment.findFirst({
      where: { id: threadId, documentId, orgId: actor.orgId },
      select: { grantKeys: true, authorGuestId: true, partyGuestId: true },
    });
    if (!t || !canSee(actor, t)) throw new AppError('not_found', 'No such thread.');
    return { orgId: actor.orgId, documentId, grantKeys: t.grantKeys, authorGuestId: t.authorGuestId, partyGuestId: t.partyGuestId };
  }
  if (actor.kind === 'staff') return { orgId: actor.orgId, documentId, grantKeys: [], authorGuestId: null, partyGuestId: null, staffOnly: true };
  return { orgId: actor.orgId, documentId, grantKeys: actor.grantKeys, authorGuestId: actor.guestId, partyGuestId: actor.guestId };
}

/**
 * `typing {documentId, threadId?}`: decided as `comment` (only those who may write may be seen typing),
 * sent with the server's own participant (never an identity the client names) to the others who may see
 * the thread.
 */
const TYPING_INTERVAL_MS = 1000;
const lastTyping = new WeakMap<object, Map<string, number>>();

onEvent('typing', async (ctx, payload) => {
  const { documentId, threadId } = typingPayload.parse(payload);
  joined(ctx, documentId);
  // One indicator a second per thread is all anyone sees; more costs a decision each and says nothing.
  const seen = lastTyping.get(ctx.socket) ?? new Map<string, number>();
  lastTyping.set(ctx.socket, seen);
  const key = `${documentId}:${threadId ?? ''}`;
  if (Date.now() - (seen.get(key) ?? 0) < TYPING_INTERVAL_MS) return { documentId, coalesced: true };
  seen.set(key, Date.now());
  const actor = await ctx.authorize('comment', documentId);
  const audience = await typingAudience(actor, documentId, threadId);
  const { participant } = socketData(ctx.socket);
  ctx.socket.to(audienceRooms(audience)).emit('typing', { documentId, ...(threadId ? { threadId } : {}), participant });
  return { documentId };
});
