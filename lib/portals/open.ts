import { z } from 'zod';
import { prisma } from '../db/client';
import { AppError } from '../errors';
import { takeAttempt, type Attempt } from '../auth/throttle';
import { decideAcrossGrants, refusalError, type AuthMethod, type GrantFacts, type GuestRefusalCode } from '../policy';
import { normaliseEmail } from '../mail/address';
import { signGuestToken } from '../tokens';
import { toGuestFacts, toRequestFacts, type GuestRequest } from '../guest/facts';
import { auditGuest, type GuestActor } from '../guest/audit';
import { verifyPortalEmailCode } from '../guest/email-codes';
import { floodKey, tallyFloodRefusal } from '../guest/code-flood';
import { loadGuestExtras } from '../guest/guest-extras';
import { ssoUrlForGuest } from '../guest/sso-link';
import { denyError, GUEST_SESSION_SECONDS, registeredGuest, verifiedGuest, type Arrival, type Deny } from '../guest/session';
import { loadPortalGrants } from './grant-facts';
import { portalHosts } from './hosts';
import { findPortalBySlug, type PortalRow } from './portal-lookup';
import { deviceAtSignIn, registerSignInDevice, type OpeningDevice } from '../devices/open-device';

export const openPortalInput = z.object({
  portal: z.string().trim().min(1).max(64),
  email: z.string().trim().min(3).max(320),
  code: z.string().trim().max(16).optional(),
  password: z.string().max(256).optional(),
  totp: z.string().trim().max(16).optional(),
});

export interface OpenedPortalSession { accessToken: string; expiresIn: number; sessionId: string; portalId: string; guestId: string }

/**
 * The network and country conditions a portal session carries in its token: a request must meet those
 * of at least one grant that let the guest in, so the token lists the union, and nothing when any of
 * those grants is unrestricted.
 */
function unionOfConditions(grants: GrantFacts[]): { ip?: string[]; cc?: string[] } {
  const ip = grants.some((g) => g.allowedIpRanges.length === 0) ? undefined : [...new Set(grants.flatMap((g) => g.allowedIpRanges))];
  const cc = grants.some((g) => g.allowedCountries.length === 0) ? undefined : [...new Set(grants.flatMap((g) => g.allowedCountries))];
  return { ...(ip ? { ip } : {}), ...(cc ? { cc } : {}) };
}

/** The key that counts wrong codes for an address on a portal (the share flow keys on the link). */
const portalFloodKey = (portalId: string) => `portal:${portalId}`;

/**
 * Signs a guest in to a portal (POST /api/portal/v1/sessions with {"portal": "<slug>"}, and the portal's
 * sign-in form): an address proved by a one-time code, or a registered guest's own password (and TOTP).
 * Partner people come through their IdP instead (./federated.ts). The portal must be served on the host
 * the request came to, and the session is bound to that host. The policy decides across every grant of
 * the portal: a guest no grant names gets email_required, after the proof, so the answer never tells
 * which addresses a portal knows.
 */
export async function openPortalSession(raw: unknown, request: GuestRequest): Promise<OpenedPortalSession> {
  const input = openPortalInput.parse(raw);
  let email: string;
  try { email = normaliseEmail(input.email).address; } catch { throw new AppError('validation_failed', 'Invalid email address.'); }
  const method: AuthMethod = input.code ? 'code' : input.password ? 'password' : 'link';
  if (method === 'link') throw new AppError('validation_failed', 'Give the code from your mail, or your password, with your email address.');
  const portal = await findPortalBySlug(input.portal.toLowerCase());
  if (!portal) throw refusalError('not_found');
  const hosts = await portalHosts(portal.id);
  if (!request.host || !hosts.includes(request.host)) throw refusalError('not_found');

  // A flood of wrong codes for one address is refused before anything else (as on share links).
  let guess: Attempt | null = null;
  if (method === 'code') {
    try {
      guess = await takeAttempt(floodKey(portalFloodKey(portal.id), email));
    } catch (e) {
      tallyFloodRefusal(portalFloodKey(portal.id), email, request.ip);
      throw e;
    }
  }
  const who: GuestActor = { guestId: null, email, shareId: null, portalId: portal.id };
  const deny: Deny = async (code: GuestRefusalCode, retryAfterSeconds?: number) => {
    await auditGuest(portal.orgId, 'guest.session', who, request, { outcome: 'denied', reason: code });
    const ssoUrl = code === 'sso_required' ? await ssoUrlForGuest(portal, email, null, { slug: portal.slug, host: request.host ?? null }) : undefined;
    return refusalError(code, { retryAfterSeconds, ssoUrl });
  };

  // Only a partner's address is refused before the proof (its IdP must vouch for it, whatever the code
  // says). Every other refusal waits for the proof: a portal's conditions are per grant, so refusing
  // ip_denied before the code is checked would tell an outsider which addresses the portal names.
  const extras = await loadGuestExtras(portal.orgId, '', { id: null, email });
  if (extras.partnerSso) {
    await guess?.succeeded();
    throw await deny('sso_required');
  }

  let arrival: Arrival;
  if (method === 'code') {
    try {
      await verifyPortalEmailCode(portal.id, email, input.code!, request);
    } catch (e) {
      if (!(e instanceof AppError && e.code === 'invalid_code')) await guess?.succeeded();
      throw await denyError(deny, e);
    }
    await guess?.succeeded();
    arrival = { guest: await verifiedGuest(portal.orgId, email), method: 'code' };
  } else {
    arrival = { guest: await registeredGuest(portal, email, input.password!, input.totp, request, deny), method: 'password' };
  }
  return openOnPortal(portal, arrival, request, hosts);
}

/**
 * The last step of every way into a portal: the policy decides with the guest's real facts (disabled,
 * expiry, partner, IdP groups) across the portal's grants; terms still to accept do not stop the
 * session (the portal asks for them next, and every document stays refused terms_required until then).
 */
export async function openOnPortal(portal: PortalRow, arrival: Arrival & { groups?: string[] }, request: GuestRequest, hosts?: readonly string[], opening?: OpeningDevice): Promise<OpenedPortalSession> {
  const g0 = arrival.guest;
  if (!g0) throw refusalError('email_required');
  const email = g0.email;
  const who: GuestActor = { guestId: g0.id, email, shareId: null, portalId: portal.id };
  const loaded = await loadPortalGrants(portal, hosts);
  const req = await toRequestFacts(request);
  const extras = await loadGuestExtras(portal.orgId, '', { id: g0.id, email });
  const guest = toGuestFacts({ ...g0, groups: arrival.groups }, arrival.method, { partnerSso: extras.partnerSso, invited: false });
  const allTerms = loaded.grants.map((g) => g.termsVersionId).filter((t): t is string => t != null);
  // A device key presented with the sign-in is registered to the guest and binds the session (docs/DEVICES.md);
  // `opening` is one already verified (the single sign-on device step: its proof's jti is spent).
  const device = await registerSignInDevice(opening ?? await deviceAtSignIn(request), g0.id, portal.orgId, request);
  const d = decideAcrossGrants(loaded.grants, {
    guest, session: null, request: { ...req, deviceKey: device.facts }, action: 'open', proof: { passwordVerified: true, acceptedTermsVersionIds: allTerms },
  });
  if (!d.allow) {
    await auditGuest(portal.orgId, 'guest.session', who, request, { outcome: 'denied', reason: d.reason });
    const ssoUrl = d.reason === 'sso_required' ? await ssoUrlForGuest(portal, email, null, { slug: portal.slug, host: request.host ?? null }) : undefined;
    throw refusalError(d.reason, { ssoUrl });
  }
  const now = Date.now();
  const expiresAt = new Date(Math.min(now + GUEST_SESSION_SECONDS * 1000, g0.expiresAt?.getTime() ?? Infinity));
  const session = await prisma().$transaction(async (tx) => {
    const g = await tx.guest.update({ where: { id: g0.id }, data: { lastSeenAt: new Date() } });
    const s = await tx.guestSession.create({
      data: {
        guestId: g.id, portalId: portal.id, ip: request.ip ?? 'unknown', country: req.country, device: req.device,
        userAgent: request.userAgent?.slice(0, 512) ?? null, portalEpoch: portal.revocationEpoch, guestEpoch: g.revocationEpoch,
        expiresAt, authMethod: arrival.method, passwordVerified: true, host: request.host ?? null,
      },
    });
    await tx.portalMember.upsert({ where: { portalId_guestId: { portalId: portal.id, guestId: g.id } }, create: { portalId: portal.id, guestId: g.id }, update: {} });
    return s;
  });
  await auditGuest(portal.orgId, 'guest.session', { ...who, grantIds: d.grantIds }, request, {
    details: { sessionId: session.id, method: arrival.method, kind: g0.kind, country: req.country, device: req.device, host: request.host ?? null, ...(device.jkt ? { deviceKey: device.jkt } : {}) },
  });
  const expiresIn = Math.max(1, Math.floor((expiresAt.getTime() - now) / 1000));
  const accessToken = await signGuestToken({ sub: session.guestId, sid: session.id }, {
    audience: `portal:${portal.id}`, ttlSeconds: expiresIn, orgId: portal.orgId,
    conditions: { host: request.host ?? null, ...unionOfConditions(loaded.grants.filter((g) => d.grantIds.includes(g.id))), ...(device.jkt ? { jkt: device.jkt } : {}) },
  });
  return { accessToken, expiresIn, sessionId: session.id, portalId: portal.id, guestId: session.guestId };
}
