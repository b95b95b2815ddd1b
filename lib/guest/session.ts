import { z } from 'zod';
import { prisma } from '../db/client';
import { AppError } from '../errors';
import { burnVerification, verifySecret } from '../crypto/password';
import { assertNotThrottled, countAttempt, takeAttempt, type Attempt, type ThrottleCheck } from '../auth/throttle';
import { decideAccess, refusalError, type AuthMethod, type DenyReason, type GuestRefusalCode } from '../policy';
import { normaliseEmail } from '../mail/address';
import { signGuestToken } from '../tokens';
import { toGuestFacts, toRequestFacts, toShareFacts, type GuestRequest, type ShareRow } from './facts';
import { auditGuest, guestLabel } from './audit';
import { tokenFromLink } from './link';
import { passwordFailuresPerClient, passwordFailuresPerShare, unknownLinksPerClient, guestPasswordFailures } from './throttles';
import { notifyAccessDenied, notifyFirstAccess } from '../notifications/notify';
import { findShareByToken } from './share-lookup';
import { loadGuestExtras } from './guest-extras';
import { ssoUrlForGuest } from './sso-link';
import { verifyEmailCode } from './email-codes';
import { matchTotp } from '../identity/totp';
import { openText } from '../crypto/seal-text';
import { floodKey, tallyFloodRefusal } from './code-flood';
import { deviceAtSignIn, registerSignInDevice, type OpeningDevice } from '../devices/open-device';

export { findShareByToken } from './share-lookup';

const safeEmail = (raw: string): string | null => {
  try { return normaliseEmail(raw).address; } catch { return null; }
};

export const openSessionInput = z.object({
  link: z.string().trim().min(1).max(2048),
  /** The share's password (anyone-with-link shares), or a registered guest's own password (with email, on invited shares). */
  password: z.string().max(256).optional(),
  acceptTerms: z.string().max(64).optional(),
  email: z.string().max(320).optional(),
  code: z.string().trim().max(16).optional(),
  totp: z.string().trim().max(16).optional(),
});

/** Guest sessions (and their tokens) live at most this long, and never past the share's expiry. */
export const GUEST_SESSION_SECONDS = 4 * 60 * 60;

export interface OpenedSession {
  accessToken: string; expiresIn: number; sessionId: string; shareId: string; guestId: string;
}

/** Who is getting in: the guest row (null for a new anonymous link guest) and how they proved it. */
export interface Arrival {
  guest: { id: string; kind: 'EMAIL_VERIFIED' | 'REGISTERED' | 'FEDERATED'; email: string | null; disabledAt: Date | null; expiresAt: Date | null; partnerOrgId: string | null } | null;
  method: AuthMethod;
}

/** Refusals decided before the identity is proved: they hold whatever the proof, so no guess is checked. */
const BEFORE_PROOF: ReadonlySet<DenyReason> = new Set(['not_found', 'revoked', 'expired', 'approval_pending', 'ip_denied', 'geo_denied', 'device_denied', 'sso_required']);

/**
 * Opens a guest session on a link (POST /api/portal/v1/sessions and the browser gate). Who the guest is
 * depends on what they present: nothing (an anonymous link guest), an email and a one-time code, or an
 * email and their own password (an invited, registered guest). Federated guests arrive through their
 * IdP (./federated.ts) and then through openOnShare. The policy decides every step; every refusal is
 * audited with its reason, except for links that match no share (there is no organisation to log to).
 */
export async function openGuestSession(raw: unknown, request: GuestRequest, opts: { pendingTerms?: boolean } = {}): Promise<OpenedSession> {
  const input = openSessionInput.parse(raw);
  const client = request.ip ?? 'unknown';
  const token = tokenFromLink(input.link);
  // A flood of wrong codes for one address is refused before anything else is done (./code-flood.ts).
  // The point is taken first and given back only when the code was right: a burst in parallel gets at
  // most the limit through, not every request that arrived before the first failures were counted.
  const codeGuess = token && input.email && input.code ? { email: safeEmail(input.email) } : null;
  let guess: Attempt | null = null;
  if (codeGuess?.email) {
    try {
      guess = await takeAttempt(floodKey(token!, codeGuess.email));
    } catch (e) {
      tallyFloodRefusal(token!, codeGuess.email, request.ip);
      throw e;
    }
  }
  // Probing unknown links costs us one indexed lookup, nothing expensive: counted after the fact, so that
  // many concurrent guests behind one address are never refused for links that exist.
  await assertNotThrottled([[unknownLinksPerClient(), client]]);
  const share = token ? await findShareByToken(token) : null;
  if (!share || !token) {
    await countAttempt([[unknownLinksPerClient(), client]]);
    throw refusalError('not_found');
  }
  let email: string | null = null;
  if (input.email) {
    try { email = normaliseEmail(input.email).address; } catch (e) { throw e instanceof AppError ? e : new AppError('validation_failed', 'Invalid email address.'); }
  }
  const deny = denier(share, email, request, token);
  const byPassword = Boolean(email && input.password && share.audience === 'INVITED');
  const method: AuthMethod = email && input.code ? 'code' : byPassword ? 'password' : 'link';
  if (email && method === 'link') throw new AppError('validation_failed', 'Give the code from your mail (or your password, for an invitation) with your email address.');

  // What would be decided if the proof holds: refusals that do not depend on it come first.
  const claimed = method === 'link' ? null : { kind: method === 'code' ? 'EMAIL_VERIFIED' as const : 'REGISTERED' as const, email, disabledAt: null, expiresAt: null, partnerOrgId: null };
  const extras = await loadGuestExtras(share.orgId, share.id, { id: null, email });
  const pre = decideAccess({
    grant: toShareFacts(share), guest: claimed ? toGuestFacts(claimed, method, { ...extras, invited: true }) : null, session: null,
    // The device key is checked (and registered) with the identity, in openOnShare: not before it.
    request: { ...(await toRequestFacts(request)), deviceKey: { status: 'APPROVED' } }, action: 'open',
    proof: { passwordVerified: true, acceptedTermsVersionIds: share.termsVersionId ? [share.termsVersionId] : [] },
  });
  if (!pre.allow && BEFORE_PROOF.has(pre.reason)) throw await deny(pre.reason);

  let arrival: Arrival = { guest: null, method: 'link' };
  if (method === 'code') {
    try {
      await verifyEmailCode(share.id, email!, input.code!, request);
    } catch (e) {
      // Only a wrong code keeps its point; a throttled or failed check gives it back.
      if (!(e instanceof AppError && e.code === 'invalid_code')) await guess?.succeeded();
      throw await denyError(deny, e);
    }
    await guess?.succeeded();
    arrival = { guest: await verifiedGuest(share.orgId, email!), method: 'code' };
  } else if (method === 'password') {
    arrival = { guest: await registeredGuest(share, email!, input.password!, input.totp, request, deny), method: 'password' };
  }
  return openOnShare(share, token, arrival, { password: method === 'link' ? input.password : undefined, acceptTerms: input.acceptTerms }, request, opts);
}

export type Deny = (code: GuestRefusalCode, retryAfterSeconds?: number) => Promise<AppError>;

function denier(share: ShareRow, email: string | null, request: GuestRequest, linkToken: string | null, guestId: string | null = null): Deny {
  const who = { guestId, email, shareId: share.id };
  return async (code, retryAfterSeconds) => {
    await auditGuest(share.orgId, 'guest.session', who, request, { outcome: 'denied', reason: code });
    await notifyAccessDenied(share.orgId, share.id, code, { ip: request.ip });
    const ssoUrl = code === 'sso_required' ? await ssoUrlForGuest(share, email, linkToken) : undefined;
    return refusalError(code, { retryAfterSeconds, ssoUrl });
  };
}

export async function denyError(deny: Deny, e: unknown): Promise<AppError> {
  if (e instanceof AppError && (e.code === 'rate_limited' || e.code === 'invalid_code' || e.code === 'invalid_password')) return deny(e.code, e.retryAfterSeconds);
  throw e;
}

/** The one email-verified guest of an address in an organisation, created on first proof. */
export async function verifiedGuest(orgId: string, email: string): Promise<NonNullable<Arrival['guest']>> {
  const select = { id: true, kind: true, email: true, disabledAt: true, expiresAt: true, partnerOrgId: true } as const;
  const found = await prisma().guest.findFirst({ where: { orgId, email, kind: 'EMAIL_VERIFIED' }, select });
  if (found) return found as NonNullable<Arrival['guest']>;
  try {
    return await prisma().guest.create({ data: { orgId, email, kind: 'EMAIL_VERIFIED' }, select }) as NonNullable<Arrival['guest']>;
  } catch {
    // Two first proofs at once: the partial unique index kept one; use it.
    return await prisma().guest.findFirstOrThrow({ where: { orgId, email, kind: 'EMAIL_VERIFIED' }, select }) as NonNullable<Arrival['guest']>;
  }
}

/**
 * A registered guest's sign-in: throttled per address and per client before the PBKDF2 check; an
 * unknown address costs the same hash (no enumeration by timing); then their TOTP when they enrolled
 * one (each code accepted once).
 */
export async function registeredGuest(share: { orgId: string }, email: string, password: string, totp: string | undefined, request: GuestRequest, deny: Deny): Promise<NonNullable<Arrival['guest']>> {
  const checks: ThrottleCheck[] = [[guestPasswordFailures(), `${share.orgId}:${email}`], [passwordFailuresPerClient(), `guest:${request.ip ?? 'unknown'}`]];
  let attempt: Attempt;
  try { attempt = await takeAttempt(checks); } catch (e) { throw await denyError(deny, e); }
  const g = await prisma().guest.findFirst({ where: { orgId: share.orgId, email, kind: 'REGISTERED' } });
  const ok = g?.passwordHash ? await verifySecret(password, g.passwordHash) : await burnVerification(password);
  if (!g || !ok) throw await deny('invalid_password');
  if (g.totpSecret) {
    if (!totp) throw new AppError('totp_required', 'Enter the 6-digit code from your authenticator app.');
    const step = matchTotp(openText('guest-totp', g.id, g.totpSecret), totp, g.totpLastStep);
    // The step is claimed atomically, so the same code in two parallel requests is accepted once.
    const claimed = step != null && (await prisma().guest.updateMany({ where: { id: g.id, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] }, data: { totpLastStep: step } })).count === 1;
    if (!claimed) throw await deny('invalid_password');
  }
  await attempt.succeeded();
  return { id: g.id, kind: 'REGISTERED', email: g.email, disabledAt: g.disabledAt, expiresAt: g.expiresAt, partnerOrgId: g.partnerOrgId };
}

/**
 * The last part of every way in: the policy decides with the guest's facts, then the share's password
 * (throttled per share and per client before any hashing) and terms; then a session and its RS256 token.
 */
export async function openOnShare(share: ShareRow, linkToken: string | null, arrival: Arrival, input: { password?: string; acceptTerms?: string },
  request: GuestRequest, opts: { pendingTerms?: boolean; opening?: OpeningDevice } = {}): Promise<OpenedSession> {
  const client = request.ip ?? 'unknown';
  const email = arrival.guest?.email ?? null;
  const deny = denier(share, email, request, linkToken, arrival.guest?.id ?? null);
  const facts = toShareFacts(share);
  const req = await toRequestFacts(request);
  const extras = await loadGuestExtras(share.orgId, share.id, { id: arrival.guest?.id ?? null, email });
  const guest = arrival.guest ? toGuestFacts(arrival.guest, arrival.method, extras) : null;
  // A device key presented with the sign-in binds the session; a known guest's key is registered now, a
  // new anonymous guest's (always its first, so approved) once the guest exists (docs/DEVICES.md).
  // `opts.opening` is one already verified (the single sign-on device step: its proof's jti is spent).
  const opening = opts.opening ?? await deviceAtSignIn(request);
  const known = arrival.guest ? await registerSignInDevice(opening, arrival.guest.id, share.orgId, request) : null;
  const deviceKey = known ? known.facts : opening.proof ? { status: 'APPROVED' as const } : null;
  const decide = (passwordVerified: boolean, accepted: string[]) =>
    decideAccess({ grant: facts, guest, session: null, request: { ...req, deviceKey }, action: 'open', proof: { passwordVerified, acceptedTermsVersionIds: accepted } });

  let passwordVerified = false;
  let d = decide(false, []);
  if (!d.allow && d.reason === 'password_required' && input.password) {
    const checks: ThrottleCheck[] = [[passwordFailuresPerShare(), share.id], [passwordFailuresPerClient(), `${share.id}:${client}`]];
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
  const expiresAt = new Date(Math.min(now + GUEST_SESSION_SECONDS * 1000, share.expiresAt.getTime(), arrival.guest?.expiresAt?.getTime() ?? Infinity));
  const session = await prisma().$transaction(async (tx) => {
    const g = arrival.guest
      ? await tx.guest.update({ where: { id: arrival.guest.id }, data: { lastSeenAt: new Date() } })
      : await tx.guest.create({ data: { orgId: share.orgId, kind: 'ANONYMOUS', lastSeenAt: new Date() } });
    const s = await tx.guestSession.create({
      data: {
        guestId: g.id, shareId: share.id, ip: request.ip ?? 'unknown', country: req.country, device: req.device,
        userAgent: request.userAgent?.slice(0, 512) ?? null, shareEpoch: share.revocationEpoch, passwordEpoch: share.passwordEpoch,
        guestEpoch: g.revocationEpoch, expiresAt, authMethod: arrival.method, passwordVerified: true, host: request.host ?? null,
      },
    });
    if (accepting.length) {
      await tx.termsAcceptance.create({ data: { termsVersionId: accepting[0], guestId: g.id, shareId: share.id, sessionId: s.id, ip: request.ip ?? 'unknown', userAgent: request.userAgent?.slice(0, 512) ?? null } });
    }
    await tx.share.update({ where: { id: share.id }, data: { accessCount: { increment: 1 }, lastAccessAt: new Date() } });
    return s;
  });
  const opened = { guestId: session.guestId, email, shareId: share.id };
  if (accepting.length) await auditGuest(share.orgId, 'terms.accept', opened, request, { details: { termsVersionId: accepting[0], sessionId: session.id } });
  await auditGuest(share.orgId, 'guest.session', opened, request, {
    details: { sessionId: session.id, method: arrival.method, kind: arrival.guest?.kind ?? 'ANONYMOUS', password: passwordVerified, country: req.country, device: req.device, ...(termsPending ? { termsPending: true } : {}) },
  });
  await notifyFirstAccess(share.id, email ?? 'Anyone with the link', session.createdAt, { ip: request.ip, country: req.country });
  const expiresIn = Math.max(1, Math.floor((expiresAt.getTime() - now) / 1000));
  const jkt = known ? known.jkt : (await registerSignInDevice(opening, session.guestId, share.orgId, request)).jkt;
  const accessToken = await signGuestToken({ sub: session.guestId, sid: session.id }, {
    audience: `share:${share.id}`, ttlSeconds: expiresIn, orgId: share.orgId,
    conditions: { host: request.host ?? null, ip: share.allowedIpRanges, cc: share.allowedCountries, ...(jkt ? { jkt } : {}) },
  });
  return { accessToken, expiresIn, sessionId: session.id, shareId: share.id, guestId: session.guestId };
}

export { guestLabel };
