import { z } from 'zod';
import { prisma } from '../db/client';
import { AppError } from '../errors';
import { burnVerification, verifySecret } from '../crypto/password';
import { recordAudit, type AuditInput, type RequestFacts } from '../audit/record';
import { log } from '../log';
import { failureLimiter, takeAttempt, type Attempt } from './throttle';
import { openStaffSession } from './sessions';

const credentials = z.object({ email: z.string().trim().toLowerCase().email().max(254), password: z.string().min(1).max(1024) });

/** Who signed in, and the server-side session (StaffSession) the sign-in opened. */
export interface StaffIdentity {
  id: string; orgId: string; email: string; name: string; role: 'ADMIN' | 'MEMBER' | 'AUDITOR';
  sessionId: string; sessionExpiresAt: Date;
}

// 5 attempts per account per 15 minutes, 30 per client IP, taken before any PBKDF2 work and given
// back on success: a burst of parallel guesses evaluates at most the limit.
const perAccount = () => failureLimiter('signin-account', 5, 15 * 60);
const perIp = () => failureLimiter('signin-ip', 30, 15 * 60);

/**
 * A refused sign-in releases nothing, so it must stay a refusal (401/429) even when the audit trail
 * cannot take the event at that moment (a burst of guesses queueing for it). The write is retried a
 * few times, then the loss is logged; it never becomes a 500. Successful sign-ins are different: no
 * session opens without its event.
 */
async function auditRefusal(input: AuditInput) {
  for (const pause of [200, 1000, 0]) {
    try {
      await recordAudit(input);
      return;
    } catch (e) {
      if (!pause) {
        log.warn({ err: (e as Error)?.message, type: input.type, outcome: input.outcome, reason: input.reason, actor: input.actor.label }, 'refused sign-in not audited');
        return;
      }
      await new Promise((r) => setTimeout(r, pause));
    }
  }
}

/** Verifies a staff sign-in and opens a console session. Every outcome, success or failure, is audited. */
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
    if (user) await auditRefusal({ orgId: user.orgId, type: 'staff.signin', actor: { type: 'anonymous', label: email }, request, outcome: 'denied', reason: 'rate_limited' });
    throw e;
  }
  const ok = user && !user.disabledAt ? await verifySecret(password, user.passwordHash) : await burnVerification(password);
  if (!ok || !user) {
    // An unknown email has no organisation to audit under; that attempt is only counted.
    if (user) {
      await auditRefusal({ orgId: user.orgId, type: 'staff.signin', actor: { type: 'anonymous', label: email }, request, outcome: 'failure', reason: user.disabledAt ? 'account_disabled' : 'invalid_credentials' });
    }
    throw new AppError('invalid_credentials', 'Email or password is incorrect.');
  }
  await attempt.succeeded();
  // The owner proved the password: earlier failures against this account are forgotten. The address's
  // count is only given back this attempt's point, so one valid account cannot launder a password spray.
  await perAccount().delete(email).catch(() => undefined);
  // The session row, the sign-in time and the audit event commit together: no session without its record.
  const session = await prisma().$transaction(async (tx) => {
    await tx.staffUser.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } });
    const opened = await openStaffSession(tx, user, request);
    await recordAudit({ orgId: user.orgId, type: 'staff.signin', actor: { type: 'staff', id: user.id, label: user.email }, request, details: { sessionId: opened.id } }, tx);
    return opened;
  });
  return { id: user.id, orgId: user.orgId, email: user.email, name: user.name, role: user.role, sessionId: session.id, sessionExpiresAt: session.expiresAt };
}
