// TEMPORARY (realtime-core branch): a thin version of CQ's lib/collab/questions.ts, to the agreed
// signatures, so the socket handlers and their tests run here. It does not route questions by mail
// (CQ's version queues the mail to the share owner). At merge, CQ's file replaces this one whole.
import { z } from 'zod';
import { prisma } from '../db/client';
import { AppError } from '../errors';
import { recordAudit } from '../audit/record';
import type { Question } from '../generated/prisma/client';
import { canSee } from './visibility';
import type { Audience, CollabActor, GuestCollabActor, QuestionDto, StaffCollabActor } from './types';

const body = z.string().max(20_000).transform((s) => s.trim()).pipe(z.string().min(1).max(4000));
const askInput = z.object({ documentId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(), sectionId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(), body }).strict();

const toDto = (q: Question): QuestionDto => ({
  id: q.id, documentId: q.documentId, sectionId: q.sectionId, body: q.body,
  asker: { id: `guest:${q.askerGuestId}`, name: q.askerName, kind: 'guest' }, createdAt: q.createdAt.toISOString(),
  answer: q.answer && q.answeredAt ? { body: q.answer, by: q.answeredByName ?? '', at: q.answeredAt.toISOString() } : null,
  published: q.published,
});

// A published answer reaches the grant's guests (open grants only: never across a barrier) — as a
// staff item with no party; an unpublished one, the asker and staff.
const audienceOf = (q: Question): Audience => ({
  orgId: q.orgId, documentId: q.documentId, grantKeys: q.grantKeys,
  authorGuestId: q.published ? null : q.askerGuestId, partyGuestId: q.published ? null : q.askerGuestId,
});
const visible = (actor: CollabActor, q: Question) => canSee(actor, audienceOf(q));

export async function askQuestion(actor: GuestCollabActor, raw: unknown): Promise<{ question: QuestionDto; audience: Audience }> {
  const input = askInput.parse(raw);
  const q = await prisma().$transaction(async (tx) => {
    const row = await tx.question.create({
      data: {
        orgId: actor.orgId, documentId: input.documentId ?? null, sectionId: input.sectionId ?? null, grantKeys: actor.grantKeys,
        shareId: actor.shareId, portalId: actor.portalId, askerGuestId: actor.guestId, askerName: actor.name, body: input.body, ip: actor.ip,
      },
    });
    await recordAudit({
      orgId: actor.orgId, type: 'question.create', actor: { type: 'guest', id: actor.guestId, label: actor.name },
      request: { ip: actor.ip, userAgent: actor.userAgent }, shareId: actor.shareId, documentId: row.documentId, details: { questionId: row.id },
    }, tx);
    return row;
  });
  return { question: toDto(q), audience: audienceOf(q) };
}

export async function answerQuestion(actor: StaffCollabActor, questionId: string, raw: { answer: unknown; publish: unknown }) {
  const answer = body.parse(raw.answer);
  const publish = z.boolean().parse(raw.publish);
  const q0 = await prisma().question.findFirst({ where: { id: questionId, orgId: actor.orgId } });
  if (!q0) throw new AppError('not_found', 'No such question.');
  const q = await prisma().$transaction(async (tx) => {
    const row = await tx.question.update({ where: { id: q0.id }, data: { answer, answeredById: actor.staffId, answeredByName: actor.name, answeredAt: new Date(), published: publish } });
    await recordAudit({
      orgId: actor.orgId, type: 'question.answer', actor: { type: 'staff', id: actor.staffId, label: actor.name },
      request: { ip: actor.ip, userAgent: actor.userAgent }, shareId: row.shareId, documentId: row.documentId, details: { questionId: row.id, published: publish },
    }, tx);
    return row;
  });
  return { question: toDto(q), audience: audienceOf(q) };
}

export async function listQuestions(actor: CollabActor, opts: { documentId?: string }): Promise<QuestionDto[]> {
  const rows = await prisma().question.findMany({ where: { orgId: actor.orgId, ...(opts.documentId ? { documentId: opts.documentId } : {}) }, orderBy: { createdAt: 'asc' }, take: 1000 });
  return rows.filter((q) => visible(actor, q)).map(toDto);
}
