import { encode } from 'next-auth/jwt';
import { prisma } from '../db/client';
import { recordAudit, type RequestFacts } from '../audit/record';
import { nextAuthSecret, secureCookies } from '../auth/next-auth';
import { openStaffSession, SESSION_MAX_AGE_SECONDS } from '../auth/sessions';
import { refuse } from './refusal';

/** next-auth's session cookie, as its own sign-in sets it (so that getToken reads ours the same way). */
export const staffCookieName = () => (secureCookies() ? '__Secure-next-auth.session-token' : 'next-auth.session-token');

/**
 * A staff member whose organisation's IdP vouched for `email`: an EXISTING active account of that
 * organisation with that address (no account is ever created here), a server-side session opened and
 * audited exactly as the password sign-in does (staff.signin, with method "sso"), and the console cookie.
 */
export async function signInStaffBySso(orgId: string, providerId: string, email: string, request: RequestFacts): Promise<{ location: string; setCookie: string; userId: string }> {
  const user = await prisma().staffUser.findFirst({ where: { email, orgId } });
  if (!user || user.disabledAt) {
    await recordAudit({ orgId, type: 'staff.signin', actor: { type: 'anonymous', label: email }, request, outcome: 'denied',
      reason: user ? 'account_disabled' : 'unknown_account', details: { method: 'sso', providerId } });
    refuse('unknown_account', user ? 'disabled' : 'no_account');
  }
  const u = user!;
  const session = await prisma().$transaction(async (tx) => {
    await tx.staffUser.update({ where: { id: u.id }, data: { lastSignInAt: new Date() } });
    const opened = await openStaffSession(tx, u, request);
    await recordAudit({ orgId, type: 'staff.signin', actor: { type: 'staff', id: u.id, label: u.email }, request, details: { sessionId: opened.id, method: 'sso', providerId } }, tx);
    return opened;
  });
  const jwt = await encode({ token: { sub: u.id, sid: session.id }, secret: nextAuthSecret(), maxAge: SESSION_MAX_AGE_SECONDS });
  const cookie = `${staffCookieName()}=${jwt}; Path=/; Max-Age=${SESSION_MAX_AGE_SECONDS}; HttpOnly; SameSite=Lax${secureCookies() ? '; Secure' : ''}`;
  return { location: '/', setCookie: cookie, userId: u.id };
}
