/** Records are due for review this long after submission or their last validation (28 CFR 23.20(h)). */
export const REVIEW_YEARS = 5;

/** The review date for a record submitted or last validated at `from` (same calendar day, five years on). */
export function reviewDueFrom(from: Date): Date {
  const d = new Date(from.getTime());
  d.setUTCFullYear(d.getUTCFullYear() + REVIEW_YEARS);
  return d;
}

export type ReviewState = 'purged' | 'overdue' | 'due_soon' | 'current';

/** Where a record stands: overdue once the due date passed, due soon within 90 days of it. */
export function reviewState(r: { purgedAt: Date | null; reviewDueAt: Date }, now = new Date()): ReviewState {
  if (r.purgedAt) return 'purged';
  const left = r.reviewDueAt.getTime() - now.getTime();
  if (left <= 0) return 'overdue';
  return left <= 90 * 86_400_000 ? 'due_soon' : 'current';
}
