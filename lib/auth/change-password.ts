import { z } from 'zod';
import { prisma } from '../db/client';
import { AppError } from '../errors';
import { hashSecret, verifySecret } from '../crypto/password';
import { recordAudit } from '../audit/record';
import { actorOf, type Principal } from './principal';
import { failureLimiter, takeAttempt } from './throttle';
import { afterEnding, endSessions } from './sessions';

export const changePasswordInput = z.object({
  current: z.string().min(1, 'Enter your current password').max(1024),
  next: z.string().min(12, 'Use at least 12 characters').max(1024),
}).refine((v) => v.current !== v.next, { path: ['next'], message: 'Choose a password different from the current one' });

// Same shape as sign-in: a stolen session must not be a free password-guessing oracle.
const perUser = () => failureLimiter('password-change', 5, 15 * 60);

/**
 * A staff member changes their own password, proving the current one first. Ends every other session
 * of theirs; the current one is kept. Also how a one-time password issued by an admin is replaced.
 */
export async function changeOwnPassword(p: Principal, raw: unknown): Promise<{ endedSessions: number }> {
  if (p.kind !== 'staff') throw new AppError('forbidden', 'Only a signed-in person can change a password.');
  const input = changePasswordInput.parse(raw);
  const checks: Array<[ReturnType<typeof perUser>, string]> = [[perUser(), p.userId]];
  const attempt = await takeAttempt(checks);
  const user = await prisma().staffUser.findUniqueOrThrow({ where: { id: p.userId } });
  if (!(await verifySecret(input.current, user.passwordHash))) {
    await recordAudit({ orgId: p.orgId, type: 'staff.password_change', actor: actorOf(p), request: p.request, outcome: 'failure', reason: 'invalid_credentials' });
    throw new AppError('invalid_credentials', 'Your current password is not correct.');
  }
  await attempt.succeeded();
  const passwordHash = await hashSecret(input.next);
  // Every other session of this user ends with the old password (a stolen cookie must not outlive
  // it); the session that made the change stays, so its owner is not signed out for doing it.
  const ended = await prisma().$transaction(async (tx) => {
    await tx.staffUser.update({ where: { id: p.userId }, data: { passwordHash, mustChangePassword: false } });
    await recordAudit({ orgId: p.orgId, type: 'staff.password_change', actor: actorOf(p), request: p.request, details: { keptSessionId: p.sessionId ?? null } }, tx);
    return endSessions(tx, { orgId: p.orgId, where: { userId: p.userId, exceptId: p.sessionId ?? null }, reason: 'password_changed', actor: actorOf(p), request: p.request });
  });
  afterEnding(ended);
  return { endedSessions: ended.length };
}
