import { prisma } from '../db/client';
import { isAppError } from '../errors';
import { decideAccess, REASONS, type DenyReason } from '../policy';
import { authorizeGuest, type GuestContext } from './access';
import { auditGuest } from './audit';
import { listGuestDocuments } from './content';
import { toRequestFacts, toShareFacts, type GuestRequest } from './facts';
import { findShareByToken } from './session';

export type Landing =
  | { kind: 'not_found' }
  | { kind: 'blocked'; reason: DenyReason; message: string }
  | { kind: 'gate'; shareId: string; needsPassword: boolean; terms: { id: string; title: string; body: string; version: number } | null; message: string | null; expiresAt: Date }
  | { kind: 'open'; ctx: GuestContext; documents: Awaited<ReturnType<typeof listGuestDocuments>>; message: string | null; expiresAt: Date };

/**
 * What a browser visiting /s/<token> should see. An existing session cookie is tried first (through
 * the policy, like every request); otherwise the policy's answer to `open` with no proof decides
 * between a refusal page and the password/terms gate.
 */
export async function guestLanding(token: string, request: GuestRequest, sessionToken: string | null): Promise<Landing> {
  const share = await findShareByToken(token);
  if (!share) return { kind: 'not_found' };
  if (sessionToken) {
    try {
      const ctx = await authorizeGuest(sessionToken, request, 'list', { share });
      return { kind: 'open', ctx, documents: await listGuestDocuments(ctx), message: share.message, expiresAt: share.expiresAt };
    } catch (e) {
      if (!isAppError(e)) throw e;
      // A dead session falls through to the share's own state below.
    }
  }
  const d = decideAccess({ share: toShareFacts(share), session: null, request: await toRequestFacts(request), action: 'open', proof: {} });
  if (!d.allow && d.reason !== 'password_required' && d.reason !== 'terms_required') {
    await auditGuest(share.orgId, 'guest.open', { guestId: null, email: null, shareId: share.id }, request, { outcome: 'denied', reason: d.reason });
    return { kind: 'blocked', reason: d.reason, message: REASONS[d.reason].description };
  }
  const terms = share.termsVersionId ? await prisma().termsVersion.findUnique({ where: { id: share.termsVersionId } }) : null;
  return {
    kind: 'gate', shareId: share.id, needsPassword: Boolean(share.passwordHash),
    terms: terms ? { id: terms.id, title: terms.title, body: terms.body, version: terms.version } : null,
    message: share.message, expiresAt: share.expiresAt,
  };
}
