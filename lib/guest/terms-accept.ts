import { prisma } from '../db/client';
import { AppError } from '../errors';
import { authorizeGuest } from './access';
import { auditGuest } from './audit';
import type { GuestRequest, ShareRow } from './facts';

/**
 * The second step of the browser gate: a guest whose session passed the password accepts the share's
 * current terms. The policy decides `open` on that session with the acceptance as proof, so every other
 * rule (revocation, expiry, conditions) still applies; only the version the share asks for is accepted.
 */
export async function acceptTermsForSession(sessionToken: string | null, share: ShareRow, termsVersionId: string | undefined, request: GuestRequest) {
  if (!termsVersionId || termsVersionId !== share.termsVersionId) throw new AppError('terms_required', 'Accept the current terms of use to continue.');
  const ctx = await authorizeGuest(sessionToken, request, 'open', { share, proof: { acceptedTermsVersionIds: [termsVersionId] } });
  // The acceptance and its audit event commit together: neither exists without the other.
  await prisma().$transaction(async (tx) => {
    await tx.termsAcceptance.create({
      data: { termsVersionId, guestId: ctx.guestId, shareId: share.id, sessionId: ctx.sessionId, ip: request.ip ?? 'unknown', userAgent: request.userAgent?.slice(0, 512) ?? null },
    });
    await auditGuest(share.orgId, 'terms.accept', { guestId: ctx.guestId, email: ctx.email, shareId: share.id }, request, { details: { termsVersionId, sessionId: ctx.sessionId } }, tx);
  });
}
