'use server';

import { z } from 'zod';
import { staffAction } from '@/lib/http/action';
import { idSchema } from '@/lib/http/ids';
import { staffAnswer, staffComment, staffSetResolved } from '@/lib/collab/staff';

// The domain parses and limits the text (lib/collab/comment-input.ts); this only shapes the call.
const comment = staffAction(z.object({
  documentId: idSchema, body: z.string().max(8000), parentId: idSchema.optional(), page: z.number().int().min(1).max(100_000).optional(),
  grantKey: z.string().max(90).optional(),
}), async (p, input) => ({ id: (await staffComment(p, input)).id }), {
  where: 'action createComment', ids: (i) => ({ documentId: i.documentId, commentId: i.parentId }),
});

const resolve = staffAction(z.object({ commentId: idSchema, resolved: z.boolean() }), async (p, { commentId, resolved }) => {
  const r = await staffSetResolved(p, commentId, resolved);
  return { resolved: r.resolved };
}, { where: 'action resolveComment', ids: (i) => ({ commentId: i.commentId }) });

const answer = staffAction(z.object({ questionId: idSchema, answer: z.string().max(8000), publish: z.boolean() }), async (p, { questionId, ...input }) => ({
  id: (await staffAnswer(p, questionId, input)).id,
}), { where: 'action answerQuestion', ids: (i) => ({ questionId: i.questionId }) });

export async function commentAction(input: { documentId: string; body: string; parentId?: string; page?: number; grantKey?: string }) {
  return comment(input);
}

export async function setResolvedAction(input: { commentId: string; resolved: boolean }) {
  return resolve(input);
}

export async function answerQuestionAction(input: { questionId: string; answer: string; publish: boolean }) {
  return answer(input);
}
