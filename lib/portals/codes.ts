import { z } from 'zod';
import { prisma } from '../db/client';
import { AppError } from '../errors';
import { hashSecret } from '../crypto/password';
import { failureLimiter, takeAttempt } from '../auth/throttle';
import { normaliseEmail } from '../mail/address';
import { enqueueMail } from '../mail/enqueue';
import { log } from '../log';
import { decideAcrossGrants } from '../policy';
import { auditGuest } from '../guest/audit';
import { BACKGROUND_TRANSACTION, CODE_TTL_MINUTES, newCode, sendsPerAddress, sendsPerClient } from '../guest/email-codes';
import { toGuestFacts, toRequestFacts, type GuestRequest } from '../guest/facts';
import { loadGuestExtras } from '../guest/guest-extras';
import { partnerProviderForEmail, ssoStartUrl } from '../guest/sso-link';
import { loadPortalGrants } from './grant-facts';
import { portalHosts } from './hosts';
import { findPortalBySlug, type PortalRow } from './portal-lookup';

const sendsPerPortal = () => failureLimiter('code-send-portal', 60, 15 * 60);

export const requestPortalCodeInput = z.object({ portal: z.string().trim().min(1).max(64), email: z.string().max(320) });

/**
 * POST /api/portal/v1/codes with {"portal": "<slug>", "email": "…"}, and the portal's sign-in form.
 * Answers the same for every well-formed address (whether a code is sent is decided after the answer);
 * throttled per client, per portal and per address before anything else. A partner's address is sent
 * to its IdP instead (the answer says so: that the address is a partner's is not a secret of this
 * portal, the domain says it). Only an address that a live grant names, and that the policy would let
 * in now, gets a code.
 */
export async function requestPortalCode(raw: unknown, request: GuestRequest): Promise<{ status: 'sent' } | { status: 'sso'; ssoUrl: string; providerId: string }> {
  const input = requestPortalCodeInput.parse(raw);
  let email: string;
  try { email = normaliseEmail(input.email).address; } catch { throw new AppError('validation_failed', 'Invalid email address.'); }
  const portal = await findPortalBySlug(input.portal.toLowerCase());
  const hosts = portal ? await portalHosts(portal.id) : [];
  if (!portal || !request.host || !hosts.includes(request.host)) throw new AppError('not_found', 'This portal does not exist.');
  await takeAttempt([[sendsPerClient(), request.ip ?? 'unknown'], [sendsPerPortal(), portal.id], [sendsPerAddress(), `${portal.orgId}:${email}`]]);
  const partner = await partnerProviderForEmail(portal.orgId, email);
  if (partner) return { status: 'sso', ssoUrl: ssoStartUrl(partner.providerId, null, `/p/${portal.slug}`, request.host), providerId: partner.providerId };
  const background = sendIfNamed(portal, hosts, email, request).catch((err) => log.error({ err, portalId: portal.id }, 'portal email code not sent'));
  inFlight.add(background);
  void background.finally(() => inFlight.delete(background));
  return { status: 'sent' };
}

/**
 * The sign-in page's "your organisation signs you in" step (?sso=<providerId>, where the form sends a
 * partner's address): the link to that provider's start, returning to this portal on this host, when the
 * provider is a partner's of the portal's organisation; else null. A link and not a redirect: the page's
 * policy lets forms post only to this origin (form-action 'self'), and browsers hold a form's redirects
 * to it too, so a form cannot lead to the console host's start or the IdP.
 */
export async function portalSsoStep(portal: PortalRow, rawProviderId: unknown, host: string | null): Promise<{ url: string; partnerName: string } | null> {
  if (typeof rawProviderId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(rawProviderId)) return null;
  const idp = await prisma().identityProvider.findFirst({ where: { id: rawProviderId, partnerOrg: { orgId: portal.orgId } }, select: { id: true, partnerOrg: { select: { name: true } } } });
  if (!idp?.partnerOrg) return null;
  return { url: ssoStartUrl(idp.id, null, `/p/${portal.slug}`, host), partnerName: idp.partnerOrg.name };
}

const inFlight = new Set<Promise<void>>();

/** Resolves when every code request answered so far has finished its work (tests, shutdown). */
export async function portalCodeWorkSettled(): Promise<void> {
  while (inFlight.size) await Promise.all([...inFlight]);
}

async function sendIfNamed(portal: PortalRow, hosts: string[], email: string, request: GuestRequest): Promise<void> {
  const loaded = await loadPortalGrants(portal, hosts);
  const extras = await loadGuestExtras(portal.orgId, '', { id: null, email });
  const guest = toGuestFacts({ kind: 'EMAIL_VERIFIED', email, disabledAt: null, expiresAt: null, partnerOrgId: null }, 'code', { partnerSso: extras.partnerSso, invited: false });
  const terms = loaded.grants.map((g) => g.termsVersionId).filter((t): t is string => t != null);
  // The device is proved at sign-in, with the code: whether to send one does not depend on it.
  const d = decideAcrossGrants(loaded.grants, {
    guest, session: null, request: { ...(await toRequestFacts(request)), deviceKey: { status: 'APPROVED' } }, action: 'open',
    proof: { passwordVerified: true, acceptedTermsVersionIds: terms },
  });
  const who = { guestId: null, email, shareId: null, portalId: portal.id };
  if (!d.allow) {
    await auditGuest(portal.orgId, 'guest.code', who, request, { outcome: 'denied', reason: d.reason });
    return;
  }
  const code = newCode();
  const codeHash = await hashSecret(code);
  await prisma().$transaction(async (tx) => {
    await tx.emailCode.updateMany({ where: { portalId: portal.id, email, consumedAt: null }, data: { consumedAt: new Date() } });
    await tx.emailCode.create({ data: { portalId: portal.id, email, codeHash, expiresAt: new Date(Date.now() + CODE_TTL_MINUTES * 60_000) } });
    await enqueueMail({ orgId: portal.orgId, to: email, template: 'email_code', data: { code, minutes: CODE_TTL_MINUTES, what: portal.name } }, tx);
  }, BACKGROUND_TRANSACTION);
  await auditGuest(portal.orgId, 'guest.code', { ...who, grantIds: d.grantIds }, request, { details: { sent: true } });
}
