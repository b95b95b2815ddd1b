import { recordAudit } from '../audit/record';
import { actorOf, type Principal } from '../auth/principal';
import { AppError } from '../errors';
import { auditableValue, isId } from './ids';

/** Audit event type of a staff request refused because an id in it was malformed. */
export const INVALID_ID_EVENT = 'staff.request';

/** Ids a request carries, by name: a string, a list of them, or nothing (absent optional ids). */
export type IdFields = Record<string, unknown>;

/** The first malformed id in `ids` (lists are checked element by element), or null when all are ids. */
export function firstInvalidId(ids: IdFields): { field: string; raw: unknown } | null {
  for (const [field, value] of Object.entries(ids)) {
    if (value === undefined || value === null) continue;
    for (const raw of Array.isArray(value) ? value : [value]) if (!isId(raw)) return { field, raw };
  }
  return null;
}

/**
 * Records that `p` sent a malformed id, in p's organisation: which field, where (a fixed label such as
 * "GET /api/v1/documents/{id}/content", never the raw URL) and the value, truncated and escaped. The
 * raw value is never written to the event's documentId/shareId columns.
 */
export async function auditInvalidId(p: Principal, where: string, field: string, raw: unknown): Promise<void> {
  await recordAudit({
    orgId: p.orgId, type: INVALID_ID_EVENT, actor: actorOf(p), request: p.request,
    outcome: 'denied', reason: 'invalid_id', details: { where, field, value: auditableValue(raw) },
  });
}

// Naming the field is safe: the value came from the caller, and a malformed id says nothing about what exists.
export const notFoundError = (field: string) => new AppError('not_found', `Not found: ${field} is not a valid id.`);

/**
 * The edge check for staff routes, server actions and GraphQL: every id must be well-formed before
 * anything uses it. A malformed one is audited and answered like an id that does not exist (404
 * not_found), so a NUL byte, a path, invalid UTF-8 or a 3,000-character value never reaches a query.
 */
export async function requireIds(p: Principal, where: string, ids: IdFields): Promise<void> {
  const bad = firstInvalidId(ids);
  if (!bad) return;
  await auditInvalidId(p, where, bad.field, bad.raw);
  throw notFoundError(bad.field);
}
