import { z } from 'zod';
import { prisma } from '../db/client';
import { AppError } from '../errors';
import { burnVerification, verifySecret } from '../crypto/password';
import { recordAudit, type RequestFacts } from '../audit/record';
import { failureLimiter, resetAttempts, takeAttempt, type Attempt } from './throttle';

const credentials = z.object({ email: z.string().trim().toLowerCase().email().max(254), password: z.string().min(1).max(1024) });

export interface StaffIdentity { id: string; orgId: string; email: string; name: string; role: 'ADMIN' | 'MEMBER' | 'AUDITOR' }

// 5 attempts per account per 15 minutes, 30 per client IP, taken before any PBKDF2 work and given
// back on success: a burst of parallel guesses evaluates at most the limit.
const perAccount = () => failureLimiter('signin-account', 5, 15 * 60);
const perIp = () => failureLimiter('signin-ip', 30, 15 * 60);

/** Verifies a staff sign-in. Every outcome, success or failure, is audited. */
export async function signInStaff(input: unknown, request: RequestFacts): Promise<StaffIdentity> {
  const parsed = credentials.safeParse(input);
  if (!parsed.success) throw new AppError('invalid_credentials', 'Email or password is incorrect.');
  const { email, password } = parsed.data;
  const checks: Array<[ReturnType<typeof perAccount>, string]> = [[perAccount(), email], [perIp(), request.ip ?? 'unknown']];
  const user = await prisma().staffUser.findUnique({ where: { email } });
  let attempt: Attempt;
  try {
    attempt = await takeAttempt(checks);
  } catch (e) {
    if (user) await recordAudit({ orgId: user.orgId, type: 'staff.signin', actor: { type: 'anonymous', label: email }, request, outcome: 'denied', reason: 'rate_limited' });
    throw e;
  }
  const ok = user && !user.disabledAt ? await verifySecret(password, user.passwordHash) : await burnVerification(password);
  if (!ok || !user) {
    // An unknown email has no organisation to audit under; that attempt is only counted.
    if (user) {
      await recordAudit({ orgId: user.orgId, type: 'staff.signin', actor: { type: 'anonymous', label: email }, request, outcome: 'failure', reason: user.disabledAt ? 'account_disabled' : 'invalid_credentials' });
    }
    throw new AppError('invalid_credentials', 'Email or password is incorrect.');
  }
  await attempt.succeeded();
  // The account's owner proved the password: earlier failures against it are forgotten.
  await resetAttempts([checks[0]]);
  await prisma().staffUser.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
  await recordAudit({ orgId: user.orgId, type: 'staff.signin', actor: { type: 'staff', id: user.id, label: user.email }, request });
  return { id: user.id, orgId: user.orgId, email: user.email, name: user.name, role: user.role };
}
