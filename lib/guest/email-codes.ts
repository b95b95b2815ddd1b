import crypto from 'node:crypto';
import { z } from 'zod';
import { prisma } from '../db/client';
import { Prisma } from '../generated/prisma/client';
import { AppError } from '../errors';
import { hashSecret, verifySecret } from '../crypto/password';
import { failureLimiter, takeAttempt } from '../auth/throttle';
import { normaliseEmail } from '../mail/address';
import { enqueueMail } from '../mail/enqueue';
import { log } from '../log';
import { decideAccess } from '../policy';
import { auditGuest } from './audit';
import { toGuestFacts, toRequestFacts, toShareFacts, type GuestRequest } from './facts';
import { loadGuestExtras } from './guest-extras';
import { tokenFromLink } from './link';
import { findShareByToken } from './share-lookup';
import { shareTitle } from './share-title';

export const CODE_DIGITS = 6;
export const CODE_TTL_MINUTES = 10;
/**
 * The code's store-and-enqueue runs after the answer, so nobody waits on it: it may wait for a busy
 * database far longer than a request would (Prisma's default is 2 s), rather than drop the code.
 */
export const BACKGROUND_TRANSACTION = { maxWait: 15_000, timeout: 15_000 } as const;
export const CODE_MAX_TRIES = 5;

// Sending: per client, per share and per address, all taken before anything else is done.
export const sendsPerClient = () => failureLimiter('code-send-client', 10, 15 * 60);
const sendsPerShare = () => failureLimiter('code-send-share', 60, 15 * 60);
export const sendsPerAddress = () => failureLimiter('code-send-address', 5, 15 * 60);
// Verifying: per client, taken before any PBKDF2 work (each code also allows only CODE_MAX_TRIES).
const verifiesPerClient = () => failureLimiter('code-verify-client', 20, 15 * 60);

export const requestCodeInput = z.object({
  link: z.string().trim().min(1).max(2048),
  email: z.string().max(320),
});

/** A CSPRNG code of CODE_DIGITS digits, leading zeros kept. */
export const newCode = () => String(crypto.randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0');

/**
 * POST /api/portal/v1/codes. Answers the same ("sent") for every well-formed address on a link that
 * exists, in the same time: the decision whether to send, the PBKDF2 hash and the mail happen after
 * the answer. Only an address the share names (a recipient, or in an allowed domain) on a live
 * VERIFIED_EMAIL share, that the policy would let in, and that is not a partner's (those must use their
 * IdP), gets a code. Throttled per client, per share and per address before anything else.
 */
export async function requestEmailCode(raw: unknown, request: GuestRequest): Promise<{ status: 'sent'; background: Promise<void> }> {
  const input = requestCodeInput.parse(raw);
  const email = normaliseEmail(input.email).address;
  const token = tokenFromLink(input.link);
  const share = token ? await findShareByToken(token) : null;
  if (!share) throw new AppError('not_found', 'This link does not exist.');
  await takeAttempt([[sendsPerClient(), request.ip ?? 'unknown'], [sendsPerShare(), share.id], [sendsPerAddress(), `${share.orgId}:${email}`]]);
  const background = sendIfAllowed(share, email, request).catch((err) => log.error({ err, shareId: share.id }, 'email code not sent'));
  inFlight.add(background);
  void background.finally(() => inFlight.delete(background));
  return { status: 'sent', background };
}

const inFlight = new Set<Promise<void>>();

/** Resolves when every code request answered so far has finished its work (for tests and shutdown). */
export async function codeWorkSettled(): Promise<void> {
  while (inFlight.size) await Promise.all([...inFlight]);
}

type ShareForCode = NonNullable<Awaited<ReturnType<typeof findShareByToken>>>;

async function sendIfAllowed(share: ShareForCode, email: string, request: GuestRequest): Promise<void> {
  const extras = await loadGuestExtras(share.orgId, share.id, { id: null, email });
  const guest = toGuestFacts({ kind: 'EMAIL_VERIFIED', email, disabledAt: null, expiresAt: null, partnerOrgId: null }, 'code', extras);
  // The device is proved at sign-in, with the code: whether to send one does not depend on it.
  const d = decideAccess({ grant: toShareFacts(share), guest, session: null, request: { ...(await toRequestFacts(request)), deviceKey: { status: 'APPROVED' } }, action: 'open', proof: { passwordVerified: true, acceptedTermsVersionIds: share.termsVersionId ? [share.termsVersionId] : [] } });
  const who = { guestId: null, email, shareId: share.id };
  if (share.audience !== 'VERIFIED_EMAIL' || !d.allow) {
    await auditGuest(share.orgId, 'guest.code', who, request, { outcome: 'denied', reason: d.allow ? 'audience' : d.reason });
    return;
  }
  const code = newCode();
  const codeHash = await hashSecret(code);
  await prisma().$transaction(async (tx) => {
    // Only the newest code works: asking again retires the earlier ones.
    await tx.emailCode.updateMany({ where: { shareId: share.id, email, consumedAt: null }, data: { consumedAt: new Date() } });
    await tx.emailCode.create({ data: { shareId: share.id, email, codeHash, expiresAt: new Date(Date.now() + CODE_TTL_MINUTES * 60_000) } });
    await enqueueMail({ orgId: share.orgId, to: email, template: 'email_code', data: { code, minutes: CODE_TTL_MINUTES, what: await shareTitle(share.id, tx) } }, tx);
  }, BACKGROUND_TRANSACTION);
  await auditGuest(share.orgId, 'guest.code', who, request, { details: { sent: true } });
}

/**
 * Checks a code for (share, address). The newest live code takes one try atomically (at most
 * CODE_MAX_TRIES, then it is dead) *before* the hash is computed, and the client's counter likewise,
 * so a burst of wrong codes costs at most CODE_MAX_TRIES hashes per code. A right code is consumed
 * once: a second use, a code for another address or share, an expired one all answer invalid_code.
 */
export async function verifyEmailCode(shareId: string, email: string, code: string, request: GuestRequest): Promise<void> {
  return verifyCodeFor({ shareId }, email, code, request);
}

/** The same for a portal's codes (lib/portals/codes.ts). */
export async function verifyPortalEmailCode(portalId: string, email: string, code: string, request: GuestRequest): Promise<void> {
  return verifyCodeFor({ portalId }, email, code, request);
}

async function verifyCodeFor(target: { shareId: string } | { portalId: string }, email: string, code: string, request: GuestRequest): Promise<void> {
  if (!/^\d{6,8}$/.test(code)) throw new AppError('invalid_code', 'The code is not correct, or it has expired. Ask for a new one.');
  const attempt = await takeAttempt([[verifiesPerClient(), request.ip ?? 'unknown']]);
  // A constant column name (never input), so each variant keeps its index.
  const grant = 'shareId' in target ? Prisma.sql`"shareId" = ${target.shareId}` : Prisma.sql`"portalId" = ${target.portalId}`;
  const taken = await prisma().$queryRaw<Array<{ id: string; codeHash: string }>>`
    UPDATE "EmailCode" SET "attempts" = "attempts" + 1
    WHERE "id" = (
      SELECT "id" FROM "EmailCode"
      WHERE ${grant} AND "email" = ${email} AND "consumedAt" IS NULL AND "expiresAt" > now()
      ORDER BY "createdAt" DESC LIMIT 1)
    AND "attempts" < ${CODE_MAX_TRIES}
    RETURNING "id", "codeHash"`;
  const row = taken[0];
  const invalid = () => new AppError('invalid_code', 'The code is not correct, or it has expired. Ask for a new one.');
  if (!row || !(await verifySecret(code, row.codeHash))) throw invalid();
  const consumed = await prisma().emailCode.updateMany({ where: { id: row.id, consumedAt: null }, data: { consumedAt: new Date() } });
  if (consumed.count !== 1) throw invalid();
  await attempt.succeeded();
}
