import { decodeJwt } from 'jose';
import { prisma } from '../db/client';
import { AppError } from '../errors';
import { verifyGuestToken } from '../tokens';
import { auditGuest } from '../guest/audit';
import type { GuestRequest } from '../guest/facts';
import { termsToAccept } from './terms-needed';
import type { PortalRow } from './portal-lookup';

/**
 * The portal's terms, accepted by the signed-in guest: only versions that a grant letting this guest in
 * asks for are recorded (an id from elsewhere is ignored), each with the session, address and time.
 */
export async function acceptPortalTerms(portal: PortalRow, request: GuestRequest, token: string | null, termsVersionIds: string[]): Promise<number> {
  const { ctx, needed } = await termsToAccept(portal, request, token);
  const accepting = [...new Set(termsVersionIds)].filter((id) => needed.includes(id));
  if (!accepting.length) throw new AppError('validation_failed', 'Accept the terms shown to continue.');
  await prisma().termsAcceptance.createMany({
    data: accepting.map((termsVersionId) => ({ termsVersionId, guestId: ctx.guestId, sessionId: ctx.sessionId, ip: request.ip ?? 'unknown', userAgent: request.userAgent?.slice(0, 512) ?? null })),
  });
  for (const termsVersionId of accepting) {
    await auditGuest(portal.orgId, 'terms.accept', ctx.actor, request, { details: { termsVersionId, sessionId: ctx.sessionId } });
  }
  return accepting.length;
}

/** Signing out ends the session on the server (the cookie alone would not be enough). */
export async function signOutOfPortal(portal: PortalRow, request: GuestRequest, token: string | null): Promise<void> {
  if (!token) return;
  let sid: unknown;
  try { sid = decodeJwt(token).sid; } catch { return; }
  if (typeof sid !== 'string') return;
  const session = await prisma().guestSession.findFirst({ where: { id: sid, portalId: portal.id, revokedAt: null }, include: { guest: { select: { email: true } } } });
  if (!session) return;
  const claims = await verifyGuestToken(token, { audience: `portal:${portal.id}`, orgId: portal.orgId }).catch(() => null);
  if (!claims || claims.sid !== session.id) return;
  await prisma().guestSession.update({ where: { id: session.id }, data: { revokedAt: new Date() } });
  await auditGuest(portal.orgId, 'guest.signout', { guestId: session.guestId, email: session.guest.email, shareId: null, portalId: portal.id }, request, { details: { sessionId: session.id } });
}
