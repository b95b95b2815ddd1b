import { auditableValue } from '../http/ids';
import { auditGuest } from './audit';
import type { GuestRequest, ShareRow } from './facts';

/**
 * A path value that failed id validation, on a request whose share is known: audited in that share's
 * organisation with the value truncated and escaped. The caller then answers 404, as for any document
 * that is not shared, so a malformed id teaches nothing and never reaches a query.
 */
export function auditInvalidId(share: ShareRow, guest: { guestId: string | null; email: string | null }, request: GuestRequest, field: string, raw: unknown) {
  return auditGuest(share.orgId, 'guest.request', { ...guest, shareId: share.id }, request, {
    outcome: 'denied', reason: 'invalid_id', details: { [field]: auditableValue(raw) },
  });
}
