import { z } from 'zod';
import { AppError } from '../../errors';
import { askQuestion, listQuestions } from '../../collab/questions';
import { publishActivity } from '../activity';
import { onEvent } from '../registry';
import { idSchema } from './session';

const askPayload = z.object({ documentId: idSchema.optional(), body: z.string().max(20_000) }).strict();
const listPayload = z.object({ documentId: idSchema.optional() }).strict();

/**
 * `question:create {documentId?, body}`: a guest's question, about a document they may view (or the share
 * or portal as a whole, decided as `list`). Staff answer in the console or over GraphQL.
 */
onEvent('question:create', async (ctx, payload) => {
  const input = askPayload.parse(payload);
  const actor = await ctx.authorize(input.documentId ? 'view' : 'list', input.documentId ?? null);
  if (actor.kind !== 'guest') throw new AppError('forbidden', 'Questions are asked by guests; staff answer them.');
  const { question, audience } = await askQuestion(actor, input);
  ctx.emitTo(audience, 'question:created', { question });
  publishActivity(actor.orgId, { type: 'question.create', at: question.createdAt, actor: actor.name, documentId: question.documentId }, { ...audience, staffOnly: true });
  return { question };
});

/** `questions:list {documentId?}`: the questions this socket may see. */
onEvent('questions:list', async (ctx, payload) => {
  const { documentId } = listPayload.parse(payload);
  const actor = await ctx.authorize(documentId ? 'view' : 'list', documentId ?? null);
  return { questions: await listQuestions(actor, { documentId }) };
});
