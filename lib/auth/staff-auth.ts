import { z } from 'zod';
import { prisma } from '../db/client';
import { AppError } from '../errors';
import { burnVerification, verifySecret } from '../crypto/password';
import { recordAudit, type RequestFacts } from '../audit/record';
import { assertNotThrottled, clearFailures, countFailure, failureLimiter } from './throttle';

const credentials = z.object({ email: z.string().trim().toLowerCase().email().max(254), password: z.string().min(1).max(1024) });

export interface StaffIdentity { id: string; orgId: string; email: string; name: string; role: 'ADMIN' | 'MEMBER' | 'AUDITOR' }

// 5 failures per account per 15 minutes, 30 per client IP: checked before any PBKDF2 work.
const perAccount = () => failureLimiter('signin-account', 5, 15 * 60);
const perIp = () => failureLimiter('signin-ip', 30, 15 * 60);

/** Verifies a staff sign-in. Every outcome, success or failure, is audited. */
export async function signInStaff(input: unknown, request: RequestFacts): Promise<StaffIdentity> {
  const parsed = credentials.safeParse(input);
  if (!parsed.success) throw new AppError('invalid_credentials', 'Email or password is incorrect.');
  const { email, password } = parsed.data;
  const checks: Array<[ReturnType<typeof perAccount>, string]> = [[perAccount(), email], [perIp(), request.ip ?? 'unknown']];
  const user = await prisma().staffUser.findUnique({ where: { email } });
  try {
    await assertNotThrottled(checks);
  } catch (e) {
    if (user) await recordAudit({ orgId: user.orgId, type: 'staff.signin', actor: { type: 'anonymous', label: email }, request, outcome: 'denied', reason: 'rate_limited' });
    throw e;
  }
  const ok = user && !user.disabledAt ? await verifySecret(password, user.passwordHash) : await burnVerification(password);
  if (!ok || !user) {
    await countFailure(checks);
    // An unknown email has no organisation to audit under; that attempt is only counted.
    if (user) {
      await recordAudit({ orgId: user.orgId, type: 'staff.signin', actor: { type: 'anonymous', label: email }, request, outcome: 'failure', reason: user.disabledAt ? 'account_disabled' : 'invalid_credentials' });
    }
    throw new AppError('invalid_credentials', 'Email or password is incorrect.');
  }
  await clearFailures(checks[0][0], email);
  await prisma().staffUser.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
  await recordAudit({ orgId: user.orgId, type: 'staff.signin', actor: { type: 'staff', id: user.id, label: user.email }, request });
  return { id: user.id, orgId: user.orgId, email: user.email, name: user.name, role: user.role };
}
