import { z } from 'zod';
import { idSchema } from '../http/ids';

/** Limits of what a participant may write (docs/COLLABORATION.md, "Limits"). */
export const COMMENT_MAX = 4000;
export const QUESTION_MAX = 2000;
export const ANSWER_MAX = 4000;
export const MENTIONS_MAX = 20;

// Control characters other than tab and newline are refused, not silently removed: what is stored is
// exactly what was said. Markup is kept as typed and rendered only as text. CR LF becomes LF.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

export const textBody = (max: number, what: string) => z.string()
  .max(max * 2, `${what} is too long (at most ${max} characters).`)
  .transform((s) => s.replace(/\r\n?/g, '\n').trim())
  .refine((s) => s.length >= 1, `${what} is empty.`)
  .refine((s) => [...s].length <= max, `${what} is too long (at most ${max} characters).`)
  .refine((s) => !CONTROL.test(s), `${what} contains control characters.`);

const fraction = z.number().finite().min(0).max(1);

/** A region of a page in fractions of its width and height; it must lie within the page and not be empty. */
export const anchorSchema = z.object({
  kind: z.enum(['rect', 'highlight']),
  x: fraction, y: fraction,
  w: fraction.refine((n) => n > 0, 'The region must have a width.'),
  h: fraction.refine((n) => n > 0, 'The region must have a height.'),
}).strict().refine((a) => a.x + a.w <= 1 + 1e-9 && a.y + a.h <= 1 + 1e-9, 'The region must lie within the page.');

export const participantRef = z.string().max(80).regex(/^(staff|guest):[A-Za-z0-9_-]{1,64}$/, 'A mention is "staff:<id>" or "guest:<id>".');

export const grantKeySchema = z.string().max(90).regex(/^(share|portal-grant):[A-Za-z0-9_-]{1,64}$/, 'A grant is "share:<id>" or "portal-grant:<id>".');

export const createCommentInput = z.object({
  documentId: idSchema,
  page: z.number().int().min(1).max(100_000).nullish(),
  anchor: anchorSchema.nullish(),
  body: textBody(COMMENT_MAX, 'The comment'),
  parentId: idSchema.nullish(),
  mentions: z.array(participantRef).max(MENTIONS_MAX, `At most ${MENTIONS_MAX} mentions.`).default([]),
  grantKey: grantKeySchema.nullish(),
}).strict().refine((c) => !c.anchor || c.page != null, { message: 'A region belongs to a page: give the page too.', path: ['anchor'] });
export type CreateCommentInput = z.input<typeof createCommentInput>;

export const askQuestionInput = z.object({
  documentId: idSchema.nullish(),
  sectionId: idSchema.nullish(),
  body: textBody(QUESTION_MAX, 'The question'),
}).strict();
export type AskQuestionInput = z.input<typeof askQuestionInput>;

export const answerQuestionInput = z.object({
  answer: textBody(ANSWER_MAX, 'The answer'),
  publish: z.boolean().default(false),
}).strict();
export type AnswerQuestionInput = z.input<typeof answerQuestionInput>;
