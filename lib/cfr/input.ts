import { z } from 'zod';
import { plainText } from '../shares/input';

/** Source reliability (A–D) and content validity (1–4), as 28 CFR Part 23 practice grades them. */
export const RELIABILITY = ['A', 'B', 'C', 'D'] as const;
export const VALIDITY = ['CONFIRMED', 'PROBABLY_TRUE', 'DOUBTFUL', 'CANNOT_BE_JUDGED'] as const;
export type Reliability = (typeof RELIABILITY)[number];
export type Validity = (typeof VALIDITY)[number];

export const RELIABILITY_LABEL: Record<Reliability, string> = { A: 'A · Reliable', B: 'B · Usually reliable', C: 'C · Unreliable', D: 'D · Reliability unknown' };
export const VALIDITY_LABEL: Record<Validity, string> = { CONFIRMED: '1 · Confirmed', PROBABLY_TRUE: '2 · Probably true', DOUBTFUL: '3 · Doubtful', CANNOT_BE_JUDGED: '4 · Cannot be judged' };

const required = (max: number, what: string) => plainText(max).pipe(z.string().min(1, `${what} is required`));

/** Accepts 1–4 as well as the names, since analysts grade validity by number. */
const validity = z.union([z.enum(VALIDITY), z.coerce.number().int().min(1).max(4).transform((n) => VALIDITY[n - 1])]);

export const markInput = z.object({
  submittingAgency: required(200, 'The submitting agency'),
  sourceReliability: z.string().trim().toUpperCase().pipe(z.enum(RELIABILITY)),
  contentValidity: validity,
  criminalActivity: required(2000, 'The criminal-activity basis'),
  // When the agency submitted it; default now. Never in the future: the review clock runs from it.
  submittedAt: z.coerce.date().optional(),
}).strict();
export type MarkInput = z.input<typeof markInput>;

export const revalidateInput = z.object({
  // What the re-validation found; kept in the audit trail.
  note: required(2000, 'A note of what was re-validated'),
  sourceReliability: z.string().trim().toUpperCase().pipe(z.enum(RELIABILITY)).optional(),
  contentValidity: validity.optional(),
}).strict();

export const purgeInput = z.object({ reason: required(500, 'A reason for the purge') }).strict();
export const unmarkInput = z.object({ reason: required(500, 'A reason for removing the marking') }).strict();

/** The statement a grant carries to release criminal intelligence (blank means none). */
export const needToKnowField = plainText(2000);

export const listInput = z.object({
  status: z.enum(['all', 'due', 'active', 'purged']).default('all'),
}).strict();
