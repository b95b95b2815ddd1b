import { AppError } from '../errors';

/** A list position: the row a page ended on, in (createdAt desc, id desc) order. */
export interface Position { createdAt: Date; id: string }

/**
 * Rows after `at` in (createdAt desc, id desc) order, as a where clause. Used instead of Prisma's
 * `cursor`, which positions on the cursor row without applying the query's filters to it: a cursor
 * naming another organisation's row would page through this organisation's rows relative to that
 * row's creation time, telling the caller that it exists and when it was made.
 */
export const after = (at: Position) => ({ OR: [{ createdAt: { lt: at.createdAt } }, { createdAt: at.createdAt, id: { lt: at.id } }] });

/** The answer for a cursor that names no row of the caller's organisation, whether it exists elsewhere or not. */
export const invalidCursor = () => new AppError('validation_failed', 'Invalid cursor: start again from the first page.');
