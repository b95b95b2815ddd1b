import { recordAudit } from '../audit/record';
import { actorOf, type Principal } from '../auth/principal';
import { AppError } from '../errors';
import { auditableValue, isId } from '../http/ids';

/**
 * A mail or webhook id that names nothing in the caller's organisation (malformed, unknown, or
 * another organisation's) is a 404, and the attempt goes into the caller's own audit trail.
 */
export async function refuseUnknown(p: Principal, type: string, field: 'mailId' | 'webhookId', raw: unknown, what: string): Promise<never> {
  await recordAudit({
    orgId: p.orgId, type, actor: actorOf(p), request: p.request, outcome: 'denied',
    reason: isId(raw) ? 'not_found' : 'invalid_id', details: { [field]: isId(raw) ? raw : auditableValue(raw) },
  });
  throw new AppError('not_found', `No such ${what}.`);
}
