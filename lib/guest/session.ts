import { z } from 'zod';
import { prisma } from '../db/client';
import { AppError } from '../errors';
import { verifySecret } from '../crypto/password';
import { sha256Hex } from '../crypto/secrets';
import { assertNotThrottled, countAttempt, takeAttempt, type Attempt } from '../auth/throttle';
import { decideAccess, refusalError } from '../policy';
import { signGuestToken } from '../tokens';
import { toRequestFacts, toShareFacts, shareWithDocs, type GuestRequest } from './facts';
import { auditGuest } from './audit';
import { tokenFromLink } from './link';
import { passwordFailuresPerClient, passwordFailuresPerShare, unknownLinksPerClient } from './throttles';
import { notifyAccessDenied, notifyFirstAccess } from '../notifications/notify';

export const openSessionInput = z.object({
  link: z.string().trim().min(1).max(2048),
  password: z.string().max(256).optional(),
  acceptTerms: z.string().max(64).optional(),
});

/** Guest sessions (and their tokens) live at most this long, and never past the share's expiry. */
export const GUEST_SESSION_SECONDS = 4 * 60 * 60;

export interface OpenedSession {
  accessToken: string; expiresIn: number; sessionId: string; shareId: string; guestId: string;
}

export async function findShareByToken(token: string) {
  return prisma().share.findUnique({ where: { tokenHash: sha256Hex(token) }, include: shareWithDocs });
}

/**
 * Opens a guest session on a link: the policy decides; then the password (throttled per share and per
 * client before any hashing) and the terms; then a session and its RS256 token. Every refusal is
 * audited with its reason, except for links that match no share (there is no organisation to log to).
 */
export async function openGuestSession(raw: unknown, request: GuestRequest, opts: { pendingTerms?: boolean } = {}): Promise<OpenedSession> {
  const input = openSessionInput.parse(raw);
  const client = request.ip ?? 'unknown';
  const token = tokenFromLink(input.link);
  // Probing unknown links costs us one indexed lookup, nothing expensive: counted after the fact, so that
  // many concurrent guests behind one address are never refused for links that exist.
  await assertNotThrottled([[unknownLinksPerClient(), client]]);
  const share = token ? await findShareByToken(token) : null;
  if (!share) {
    await countAttempt([[unknownLinksPerClient(), client]]);
    throw refusalError('not_found');
  }
  const who = { guestId: null, email: null, shareId: share.id };
  const deny = async (code: Parameters<typeof refusalError>[0], retryAfterSeconds?: number, details?: Record<string, unknown>) => {
    await auditGuest(share.orgId, 'guest.session', who, request, { outcome: 'denied', reason: code, details });
    await notifyAccessDenied(share.orgId, share.id, code, { ip: request.ip });
    return refusalError(code, { retryAfterSeconds });
  };
  const facts = toShareFacts(share);
  const req = await toRequestFacts(request);
  const decide = (passwordVerified: boolean, accepted: string[]) =>
    decideAccess({ share: facts, session: null, request: req, action: 'open', proof: { passwordVerified, acceptedTermsVersionIds: accepted } });

  let passwordVerified = false;
  let d = decide(false, []);
  if (!d.allow && d.reason === 'password_required' && input.password) {
    const checks: Array<[ReturnType<typeof passwordFailuresPerShare>, string]> = [[passwordFailuresPerShare(), share.id], [passwordFailuresPerClient(), `${share.id}:${client}`]];
    // The points are taken before hashing, so a burst of parallel guesses checks at most the limit.
    let attempt: Attempt;
    try {
      attempt = await takeAttempt(checks);
    } catch (e) {
      throw await deny('rate_limited', e instanceof AppError ? e.retryAfterSeconds : 60);
    }
    if (!(await verifySecret(input.password, share.passwordHash!))) throw await deny('invalid_password');
    await attempt.succeeded();
    passwordVerified = true;
    d = decide(true, []);
  }
  const accepting = input.acceptTerms && input.acceptTerms === share.termsVersionId ? [input.acceptTerms] : [];
  if (!d.allow && d.reason === 'terms_required' && accepting.length) d = decide(passwordVerified, accepting);
  // The browser gate asks for the password first and shows the terms only afterwards: a session whose
  // only missing step is the terms is opened, and every request on it is refused terms_required until
  // they are accepted (acceptTermsForSession).
  const termsPending = !d.allow && d.reason === 'terms_required' && opts.pendingTerms === true;
  if (!d.allow && !termsPending) throw await deny(d.reason);

  const now = Date.now();
  const expiresAt = new Date(Math.min(now + GUEST_SESSION_SECONDS * 1000, share.expiresAt.getTime()));
  const session = await prisma().$transaction(async (tx) => {
    const guest = await tx.guest.create({ data: { orgId: share.orgId, kind: 'ANONYMOUS' } });
    const s = await tx.guestSession.create({
      data: {
        guestId: guest.id, shareId: share.id, ip: request.ip ?? 'unknown', country: req.country, device: req.device,
        userAgent: request.userAgent?.slice(0, 512) ?? null, shareEpoch: share.revocationEpoch, passwordEpoch: share.passwordEpoch,
        guestEpoch: guest.revocationEpoch, expiresAt,
      },
    });
    if (accepting.length) {
      await tx.termsAcceptance.create({ data: { termsVersionId: accepting[0], guestId: guest.id, shareId: share.id, sessionId: s.id, ip: request.ip ?? 'unknown', userAgent: request.userAgent?.slice(0, 512) ?? null } });
    }
    await tx.share.update({ where: { id: share.id }, data: { accessCount: { increment: 1 }, lastAccessAt: new Date() } });
    return s;
  });
  const opened = { guestId: session.guestId, email: null, shareId: share.id };
  if (accepting.length) await auditGuest(share.orgId, 'terms.accept', opened, request, { details: { termsVersionId: accepting[0], sessionId: session.id } });
  await auditGuest(share.orgId, 'guest.session', opened, request, { details: { sessionId: session.id, password: passwordVerified, country: req.country, device: req.device, ...(termsPending ? { termsPending: true } : {}) } });
  await notifyFirstAccess(share.id, 'Anyone with the link', session.createdAt, { ip: request.ip, country: req.country });
  const expiresIn = Math.max(1, Math.floor((expiresAt.getTime() - now) / 1000));
  const accessToken = await signGuestToken({ sub: session.guestId, sid: session.id }, { audience: `share:${share.id}`, ttlSeconds: expiresIn, orgId: share.orgId });
  return { accessToken, expiresIn, sessionId: session.id, shareId: share.id, guestId: session.guestId };
}
