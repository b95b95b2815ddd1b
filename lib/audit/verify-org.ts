import { authorize, type Principal } from '../auth/principal';
import { verifyAuditChain, type VerifyResult } from './verify';

/** Recomputes the caller's organisation's chain (the CLI's `audit verify --org`, for the API). */
export async function verifyOwnAuditChain(p: Principal): Promise<VerifyResult> {
  authorize(p, 'audit:read');
  return verifyAuditChain(p.orgId);
}
