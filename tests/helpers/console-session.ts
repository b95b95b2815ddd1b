import { encode } from 'next-auth/jwt';
import { prisma } from '../../lib/db/client';
import { nextAuthSecret } from '../../lib/auth/next-auth';
import { openStaffSession } from '../../lib/auth/sessions';

/** The console cookie next-auth sets for a session: a JWT naming only the user (sub) and the session (sid). */
export async function cookieFor(userId: string, sid: string): Promise<string> {
  const jwt = await encode({ token: { sub: userId, sid }, secret: nextAuthSecret() });
  return `next-auth.session-token=${jwt}`;
}

/**
 * Opens a live server-side session for a staff member, as a sign-in does, and returns its console
 * cookie. Tests that are not about passwords use this to skip the PBKDF2 verification.
 */
export async function consoleSession(user: { id: string; orgId: string }, request = { ip: '203.0.113.50', userAgent: 'vitest' }) {
  const session = await prisma().$transaction((tx) => openStaffSession(tx, user, request));
  return { sid: session.id, cookie: await cookieFor(user.id, session.id) };
}
