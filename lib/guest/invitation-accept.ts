import { z } from 'zod';
import { prisma } from '../db/client';
import { AppError } from '../errors';
import { recordAudit } from '../audit/record';
import { hashSecret, verifySecret, burnVerification } from '../crypto/password';
import { randomToken, sha256Hex } from '../crypto/secrets';
import { openText, sealText } from '../crypto/seal-text';
import { failureLimiter, takeAttempt } from '../auth/throttle';
import { guestPasswordProblem } from '../identity/guest-password';
import { matchTotp } from '../identity/totp';
import { guestCookieHeader } from '../http/guest-cookie';
import { orgTlpSelect, shareWithDocs, type GuestRequest } from './facts';
import { openOnShare } from './session';
import { partnerProviderForEmail, ssoStartUrl } from './sso-link';
import { shareTitle } from './share-title';

const acceptsPerClient = () => failureLimiter('invitation-accept-client', 10, 15 * 60);

const SECRET_RE = /^[A-Za-z0-9_-]{43}$/;
export const isInvitationSecret = (s: string) => SECRET_RE.test(s);

export type InvitationPage =
  | { state: 'not_found' }
  | { state: 'revoked' }
  | { state: 'expired' }
  | { state: 'accepted'; email: string; orgName: string; shareUrl: string | null }
  | { state: 'pending'; email: string; orgName: string; inviterName: string | null; what: string; message: string | null; expiresAt: Date; hasAccount: boolean; ssoUrl: string | null };

async function findInvitation(secret: string) {
  if (!isInvitationSecret(secret)) return null;
  return prisma().guestInvitation.findUnique({
    where: { secretHash: sha256Hex(secret) },
    include: { share: { include: { ...shareWithDocs, org: { select: { ...orgTlpSelect, name: true } }, createdBy: { select: { name: true } } } } },
  });
}
type Found = NonNullable<Awaited<ReturnType<typeof findInvitation>>>;

function stateOf(inv: Found, now = Date.now()): 'pending' | 'accepted' | 'revoked' | 'expired' {
  if (inv.state === 'REVOKED') return 'revoked';
  if (inv.state === 'ACCEPTED') return 'accepted';
  if (inv.expiresAt.getTime() <= now || inv.share.state !== 'ACTIVE' || inv.share.expiresAt.getTime() <= now) return 'expired';
  return 'pending';
}

/** The link token of the share, from its sealed copy; a share from before sealing gets a new link (its audience is invited, so the old link opened nothing alone). */
async function linkTokenOf(share: Found['share']): Promise<string> {
  if (share.linkSealed && share.tokenHash) return openText('share-links', share.tokenHash, share.linkSealed);
  const token = randomToken(32);
  const tokenHash = sha256Hex(token);
  await prisma().share.update({ where: { id: share.id }, data: { tokenHash, linkSealed: sealText('share-links', tokenHash, token) } });
  return token;
}

/** GET /i/<secret>: what the invitation is, consuming nothing (mail scanners open links). */
export async function viewInvitation(secret: string): Promise<InvitationPage> {
  const inv = await findInvitation(secret);
  if (!inv) return { state: 'not_found' };
  const state = stateOf(inv);
  if (state === 'revoked') return { state };
  if (state === 'expired') return { state };
  if (state === 'accepted') return { state, email: inv.email, orgName: inv.share.org.name, shareUrl: `/s/${await linkTokenOf(inv.share)}` };
  const account = await prisma().guest.findFirst({ where: { orgId: inv.share.orgId, email: inv.email, kind: 'REGISTERED' }, select: { id: true } });
  const partner = await partnerProviderForEmail(inv.share.orgId, inv.email);
  return {
    state, email: inv.email, orgName: inv.share.org.name, inviterName: inv.share.createdBy?.name ?? null, what: await shareTitle(inv.shareId),
    message: inv.message, expiresAt: inv.expiresAt, hasAccount: Boolean(account), ssoUrl: partner ? ssoStartUrl(partner.providerId, await linkTokenOf(inv.share)) : null,
  };
}

export const acceptInput = z.object({
  password: z.string().max(256),
  confirm: z.string().max(256).optional(),
  totpSecret: z.string().regex(/^[A-Z2-7]{16,64}$/).optional(),
  totpCode: z.string().trim().max(16).optional(),
});

/**
 * POST /i/<secret>/accept: the guest confirms. A new guest sets a password (at least 12 characters,
 * not a common or breached one) and, optionally, TOTP; a guest who already has an account with this
 * organisation proves it with their password. The invitation is consumed atomically (a second
 * confirmation, from this browser or another, finds it accepted), the guest's own expiry is carried
 * to at least the share's, and a session is opened through the policy.
 */
export async function acceptInvitation(secret: string, raw: unknown, request: GuestRequest): Promise<{ location: string; setCookie: string }> {
  const input = acceptInput.parse(raw);
  const attempt = await takeAttempt([[acceptsPerClient(), request.ip ?? 'unknown']]);
  const inv = await findInvitation(secret);
  if (!inv) throw new AppError('not_found', 'This invitation does not exist.');
  const state = stateOf(inv);
  if (state === 'revoked') throw new AppError('revoked', 'This invitation has been withdrawn.');
  if (state === 'expired') throw new AppError('expired', 'This invitation has expired. Ask the sender to invite you again.');
  if (state === 'accepted') throw new AppError('conflict', 'This invitation has already been accepted. Sign in with your password instead.');
  const share = inv.share;
  const partner = await partnerProviderForEmail(share.orgId, inv.email);
  if (partner) throw new AppError('sso_required', 'Your organisation requires you to sign in through its own sign-in page.', { extra: { sso_url: ssoStartUrl(partner.providerId, await linkTokenOf(share)) } });

  const existing = await prisma().guest.findFirst({ where: { orgId: share.orgId, email: inv.email, kind: 'REGISTERED' } });
  let guestId: string;
  if (existing) {
    const ok = existing.passwordHash ? await verifySecret(input.password, existing.passwordHash) : await burnVerification(input.password);
    if (!ok) throw new AppError('invalid_password', 'The password is not correct.');
    guestId = existing.id;
  } else {
    const problem = guestPasswordProblem(input.password, inv.email);
    if (problem) throw new AppError('validation_failed', `password: ${problem}`);
    if (input.confirm !== undefined && input.confirm !== input.password) throw new AppError('validation_failed', 'confirm: The two passwords differ.');
    // TOTP is set up only when the guest typed a code from their app, which proves the app holds the secret.
    const totp = input.totpSecret && input.totpCode ? input.totpSecret : null;
    if (totp && matchTotp(totp, input.totpCode!.replace(/\s+/g, ''), null) == null) {
      throw new AppError('validation_failed', 'totpCode: The code from your authenticator app is not correct. Check the app and try again.');
    }
    const passwordHash = await hashSecret(input.password);
    guestId = await createRegistered(share.orgId, inv.email, passwordHash, totp);
  }
  await attempt.succeeded();

  const accepted = await prisma().$transaction(async (tx) => {
    const won = await tx.guestInvitation.updateMany({ where: { id: inv.id, state: 'PENDING', expiresAt: { gt: new Date() } }, data: { state: 'ACCEPTED', guestId, acceptedAt: new Date() } });
    if (won.count !== 1) return false;
    const g = await tx.guest.findUniqueOrThrow({ where: { id: guestId }, select: { expiresAt: true } });
    if (!g.expiresAt || g.expiresAt < share.expiresAt) await tx.guest.update({ where: { id: guestId }, data: { expiresAt: share.expiresAt, expiryRemindedAt: null } });
    await recordAudit({
      orgId: share.orgId, type: 'invitation.accept', actor: { type: 'guest', id: guestId, label: inv.email }, request, shareId: share.id,
      details: { invitationId: inv.id, newAccount: !existing, totp: Boolean(existing?.totpSecret ?? (input.totpSecret && input.totpCode)) },
    }, tx);
    return true;
  });
  if (!accepted) throw new AppError('conflict', 'This invitation has already been accepted. Sign in with your password instead.');
  const guest = await prisma().guest.findUniqueOrThrow({ where: { id: guestId } });
  const linkToken = await linkTokenOf(share);
  const opened = await openOnShare(share, linkToken, {
    guest: { id: guest.id, kind: 'REGISTERED', email: guest.email, disabledAt: guest.disabledAt, expiresAt: guest.expiresAt, partnerOrgId: guest.partnerOrgId },
    method: 'password',
  }, {}, request, { pendingTerms: true });
  return { location: `/s/${linkToken}`, setCookie: guestCookieHeader(linkToken, opened.accessToken, opened.expiresIn) };
}

async function createRegistered(orgId: string, email: string, passwordHash: string, totpSecret: string | null): Promise<string> {
  try {
    const g = await prisma().guest.create({ data: { orgId, email, kind: 'REGISTERED', passwordHash } });
    if (totpSecret) await prisma().guest.update({ where: { id: g.id }, data: { totpSecret: sealText('guest-totp', g.id, totpSecret) } });
    return g.id;
  } catch {
    // Accepted twice at once from two invitations: one account exists now; this acceptance must sign in.
    throw new AppError('conflict', 'An account for this address was just created. Sign in with its password to accept.');
  }
}
