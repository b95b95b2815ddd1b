import { decodeJwt } from 'jose';
import { prisma } from '../db/client';
import { AppError } from '../errors';
import { decideAccess, refusalError, type Action, type Obligations } from '../policy';
import { verifyGuestToken } from '../tokens';
import { sessionWithGuest, shareWithDocs, toRequestFacts, toSessionFacts, toShareFacts, type GuestRequest } from './facts';
import { auditGuest, guestLabel } from './audit';

export interface GuestContext {
  share: Awaited<ReturnType<typeof loadShare>>;
  sessionId: string;
  guestId: string;
  email: string | null;
  identity: string;
  obligations: Obligations;
  request: GuestRequest;
}

const loadShare = (id: string) => prisma().share.findUniqueOrThrow({ where: { id }, include: shareWithDocs });

/** Which share a token claims to be for, read before verification only to pick the expected audience. */
function claimedShare(token: string): string {
  try {
    const aud = decodeJwt(token).aud;
    const m = typeof aud === 'string' ? /^share:([A-Za-z0-9_-]{1,64})$/.exec(aud) : null;
    if (m) return m[1];
  } catch { /* fall through */ }
  throw new AppError('invalid_token', 'The access token is invalid.');
}

/**
 * Authenticates a guest token and asks the policy function whether this request may do `action`.
 * `expectedShareId` (or `share`, already loaded from the link) binds browser requests to the share in
 * their URL, so a token for share A is refused on share B. Refusals are audited and thrown as typed errors.
 */
export async function authorizeGuest(token: string | null, request: GuestRequest, action: Action, opts: { documentId?: string; expectedShareId?: string; share?: GuestContext['share'] } = {}): Promise<GuestContext> {
  if (!token) throw new AppError('invalid_token', 'An access token is required.');
  const shareId = opts.share?.id ?? opts.expectedShareId ?? claimedShare(token);
  const claims = await verifyGuestToken(token, { audience: `share:${shareId}` });
  const session = await prisma().guestSession.findUnique({ where: { id: claims.sid }, include: sessionWithGuest });
  if (!session || session.guestId !== claims.sub || session.shareId !== shareId) throw new AppError('invalid_token', 'The access token is invalid.');
  // Browser routes have already loaded the share from the link; the API has only the token.
  const share = opts.share ?? await loadShare(shareId);
  const decision = decideAccess({
    share: toShareFacts(share), session: toSessionFacts(session), request: await toRequestFacts(request),
    action, documentId: opts.documentId ?? null,
  });
  const who = { guestId: session.guestId, email: session.guest.email, shareId };
  if (!decision.allow) {
    await auditGuest(share.orgId, `guest.${action}`, who, request, { documentId: opts.documentId, outcome: 'denied', reason: decision.reason, details: { sessionId: session.id } });
    throw refusalError(decision.reason, { tokenPresented: true });
  }
  if (Date.now() - session.lastSeenAt.getTime() > 60_000) {
    await prisma().guestSession.update({ where: { id: session.id }, data: { lastSeenAt: new Date() } });
  }
  return { share, sessionId: session.id, guestId: session.guestId, email: session.guest.email, identity: guestLabel(who), obligations: decision.obligations, request };
}

/** Token from `Authorization: Bearer`. Tokens in query strings are refused outright (CONTRACT.md). */
export function bearerToken(headers: { get(n: string): string | null }, url: string): string | null {
  const q = new URL(url, 'http://x').searchParams;
  if (q.has('access_token') || q.has('token')) throw new AppError('invalid_token', 'Tokens are not accepted in the query string; use the Authorization header.');
  const h = headers.get('authorization');
  if (!h) return null;
  const m = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(h.trim());
  if (!m) throw new AppError('invalid_token', 'Use Authorization: Bearer <access_token>.');
  return m[1];
}
