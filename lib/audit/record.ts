import type { Tx } from '../db/client';
import { AppError, isAppError, isDatabaseDown } from '../errors';
import { log } from '../log';
import { appendInTransaction } from './append';
import { draftEvent, UnrecordableEvent, type Appended, type AuditInput } from './draft';
import { enqueue, RETRY_AFTER_SECONDS } from './group-commit';

export type { Actor, ActorType, AuditInput, RequestFacts } from './draft';

/**
 * Appends one event to the organisation's hash chain and resolves once it is committed.
 *
 * Without `tx` the event joins the organisation's next group commit (lib/audit/group-commit.ts): many
 * concurrent events, one transaction. With `tx` it is appended inside the caller's transaction, so that
 * it commits or rolls back with the change it describes. Both take the organisation's advisory lock, so
 * the chain never forks, on one instance or many.
 *
 * Fails closed: when the event cannot be recorded it throws AppError `audit_unavailable` (503, with a
 * retry hint), or `database_unavailable` when the database is unreachable, and the caller must not carry
 * out what it was going to record.
 */
export async function recordAudit(input: AuditInput, tx?: Tx): Promise<Appended> {
  let draft;
  try {
    draft = draftEvent(input);
  } catch (e) {
    if (!(e instanceof UnrecordableEvent)) throw e;
    // A bug in the calling code, not a database condition: no batch is involved, only this caller fails.
    log.error({ orgId: input.orgId, type: input.type, err: e.message }, 'audit event cannot be recorded');
    throw new AppError('audit_unavailable', 'The audit trail could not record this action, so it was not carried out.', { cause: e });
  }
  if (!tx) return enqueue(draft);
  try {
    return await appendInTransaction(tx, draft);
  } catch (e) {
    if (isAppError(e) || isDatabaseDown(e)) throw e;
    log.error({ orgId: draft.orgId, type: draft.type, err: (e as Error)?.message }, 'audit event not recorded (in transaction)');
    throw new AppError('audit_unavailable', 'The audit trail could not record this action, so it was not carried out. Try again shortly.', { retryAfterSeconds: RETRY_AFTER_SECONDS, cause: e });
  }
}
