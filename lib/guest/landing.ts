import { prisma } from '../db/client';
import { isAppError } from '../errors';
import { decideAccess, REASONS, type DenyReason } from '../policy';
import { authorizeGuest, type GuestContext } from './access';
import { auditGuest } from './audit';
import { listGuestDocuments } from './content';
import { toRequestFacts, toShareFacts, type GuestRequest, type ShareRow } from './facts';
import { findShareByToken } from './share-lookup';

export interface GateTerms { id: string; title: string; body: string; version: number }

/**
 * The gate says only that the share exists and what it needs. Until the password is verified it names
 * no document, sender, message, expiry or terms text: whoever holds a link without its password learns
 * nothing from it.
 *  - password: the share has a password (and maybe terms, which come after it);
 *  - terms:    the password is verified (`sessionOpen`) or there is none; the terms text is shown;
 *  - enter:    nothing is needed but a click that opens the session;
 *  - email:    the share is for verified addresses: the guest gives theirs to get a one-time code;
 *  - code:     a code was asked for (`codeEmail`): the guest types it;
 *  - signin:   the share is for invited people: they sign in with the password they set.
 */
export type Gate =
  | { step: 'password'; termsFollow: boolean }
  | { step: 'email' }
  | { step: 'code'; email: string }
  | { step: 'signin' }
  | { step: 'terms'; terms: GateTerms; sessionOpen: boolean }
  | { step: 'enter' };

export type Landing =
  | { kind: 'not_found' }
  | { kind: 'blocked'; reason: DenyReason; message: string }
  | { kind: 'gate'; shareId: string; gate: Gate }
  | { kind: 'open'; ctx: GuestContext; documents: Awaited<ReturnType<typeof listGuestDocuments>>; message: string | null; expiresAt: Date };

async function termsOf(share: ShareRow): Promise<GateTerms | null> {
  if (!share.termsVersionId) return null;
  const t = await prisma().termsVersion.findUnique({ where: { id: share.termsVersionId } });
  return t ? { id: t.id, title: t.title, body: t.body, version: t.version } : null;
}

/**
 * What a browser visiting /s/<token> should see. An existing session cookie is tried first (through
 * the policy, like every request); otherwise the policy's answer to `open` with no proof decides
 * between a refusal page and the gate.
 */
export async function guestLanding(token: string, request: GuestRequest, sessionToken: string | null, codeEmail: string | null = null): Promise<Landing> {
  const share = await findShareByToken(token);
  if (!share) return { kind: 'not_found' };
  if (sessionToken) {
    try {
      const ctx = await authorizeGuest(sessionToken, request, 'list', { share });
      return { kind: 'open', ctx, documents: await listGuestDocuments(ctx), message: share.message, expiresAt: share.expiresAt };
    } catch (e) {
      if (!isAppError(e)) throw e;
      // The session passed everything but the terms: the password is proven, so the terms may be shown.
      const terms = e.code === 'terms_required' ? await termsOf(share) : null;
      if (terms) return { kind: 'gate', shareId: share.id, gate: { step: 'terms', terms, sessionOpen: true } };
      // Any other dead session falls through to the share's own state below.
    }
  }
  // The gate is where a device key is enrolled: it is checked when the session opens, not before.
  const d = decideAccess({ grant: toShareFacts(share), guest: null, session: null, request: { ...(await toRequestFacts(request)), deviceKey: { status: 'APPROVED' } }, action: 'open', proof: {} });
  if (!d.allow && d.reason === 'email_required') {
    return { kind: 'gate', shareId: share.id, gate: codeEmail ? { step: 'code', email: codeEmail } : { step: 'email' } };
  }
  if (!d.allow && d.reason === 'invitation_required') return { kind: 'gate', shareId: share.id, gate: { step: 'signin' } };
  if (!d.allow && d.reason !== 'password_required' && d.reason !== 'terms_required') {
    await auditGuest(share.orgId, 'guest.open', { guestId: null, email: null, shareId: share.id }, request, { outcome: 'denied', reason: d.reason });
    return { kind: 'blocked', reason: d.reason, message: REASONS[d.reason].description };
  }
  if (!d.allow && d.reason === 'password_required') {
    return { kind: 'gate', shareId: share.id, gate: { step: 'password', termsFollow: Boolean(share.termsVersionId) } };
  }
  const terms = await termsOf(share);
  return { kind: 'gate', shareId: share.id, gate: terms ? { step: 'terms', terms, sessionOpen: false } : { step: 'enter' } };
}
