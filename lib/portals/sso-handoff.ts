import { prisma } from '../db/client';
import { AppError } from '../errors';
import { config } from '../config';
import { randomToken, sha256Hex } from '../crypto/secrets';
import { failureLimiter, takeAttempt } from '../auth/throttle';
import { auditGuest } from '../guest/audit';
import type { GuestRequest } from '../guest/facts';
import { normaliseHost } from '../http/request-host';
import { isConsoleHost } from './site';
import { portalHosts } from './hosts';
import { openOnPortal, type OpenedPortalSession } from './open';
import type { PortalRow } from './portal-lookup';

/**
 * Single sign-on into a portal that a partner started on the portal's verified custom domain. The IdP
 * knows only the console host's callback, so the sign-in completes there; the console host cannot set a
 * cookie for the custom domain, so it hands the browser over with a one-time code:
 *
 *   console host, after the IdP answered  →  303 https://<custom host>/sso/complete?code=<code>
 *   custom host: the code is redeemed     →  the portal session opens there, bound to that host
 *
 * The code is 256 random bits; only its SHA-256 is stored. It is good once (of concurrent redemptions
 * exactly one wins), for HANDOFF_TTL_MS, on the portal and the host it was issued for; anything else
 * burns it and is refused. Issue and redemption are audited (portal.sso.handoff, portal.sso.complete).
 */
export const HANDOFF_TTL_MS = 60_000;

/** Per client address, taken before a code is looked up; a redeemed code gives its point back. */
const redeemsPerClient = () => failureLimiter('portal-sso-handoff', 30, 10 * 60);

const CODE = /^[A-Za-z0-9_-]{43}$/;

/** The refusal every failed redemption gets: the guest signs in again, nothing says why the code failed. */
const refused = () => new AppError('invalid_token', 'This sign-in link has expired or was already used. Sign in again.');

/**
 * The host a portal sign-in started on, when it is one of the portal's verified custom domains (the
 * only hosts a handoff may go to, so the start route is no open redirect): the normalised host name.
 * null for the console host (the sign-in lands there as before) or when no host was given.
 */
export async function portalReturnHost(portalId: string, raw: string | null | undefined): Promise<string | null> {
  if (raw == null || raw === '') return null;
  const host = normaliseHost(raw);
  if (!host) throw new AppError('validation_failed', 'Not a host name.');
  if (isConsoleHost(host, config().publicUrl)) return null;
  const hosts = await portalHosts(portalId);
  if (!hosts.includes(host)) throw new AppError('validation_failed', 'This portal is not served on that host.');
  return host;
}

/**
 * The origin of a portal's custom domain: the console's own scheme and port with the domain's name (in
 * production both are https on 443 behind the same TLS-terminating proxy; README, "Custom domains and TLS").
 */
export function customHostOrigin(host: string): string {
  const u = new URL(config().publicUrl);
  u.hostname = host;
  return u.origin;
}

/**
 * Issues the code for a guest whose IdP has just vouched for them (lib/portals/federated.ts), on the
 * console host, and answers where to send the browser. No session is opened here.
 */
export async function issuePortalHandoff(args: {
  portal: PortalRow; host: string; guest: { id: string; email: string | null }; groups: string[]; providerId: string; request: GuestRequest;
}): Promise<{ location: string }> {
  const { portal, host } = args;
  const code = randomToken(32);
  const row = await prisma().portalSsoHandoff.create({
    data: {
      codeHash: sha256Hex(code), orgId: portal.orgId, portalId: portal.id, host, guestId: args.guest.id, groups: args.groups,
      providerId: args.providerId, expiresAt: new Date(Date.now() + HANDOFF_TTL_MS),
    },
    select: { id: true },
  });
  await auditGuest(portal.orgId, 'portal.sso.handoff', { guestId: args.guest.id, email: args.guest.email, shareId: null, portalId: portal.id }, args.request, {
    details: { handoffId: row.id, host, providerId: args.providerId },
  });
  // On its custom domain the portal sits at "/": proxy.ts serves /sso/complete from /p/<slug>/sso/complete.
  return { location: `${customHostOrigin(host)}/sso/complete?code=${code}` };
}

/**
 * Redeems a handoff code on the host the request came to and opens the portal session there (under the
 * policy, with this request's own facts: address, country, device). Refused, audited and burnt: a used
 * or expired code, a code for another portal, a code presented on another host.
 */
export async function redeemPortalHandoff(rawCode: unknown, portal: PortalRow, request: GuestRequest, hosts?: readonly string[]): Promise<OpenedPortalSession> {
  const attempt = await takeAttempt([[redeemsPerClient(), request.ip ?? 'unknown']]);
  if (typeof rawCode !== 'string' || !CODE.test(rawCode)) throw refused();
  const row = await prisma().portalSsoHandoff.findUnique({ where: { codeHash: sha256Hex(rawCode) }, include: { guest: true } });
  // An unknown code names no organisation, so there is no trail to write it to; the limiter above counts it.
  if (!row) throw refused();
  const now = new Date();
  // Used up first, whatever follows: of two redemptions one wins, and a misdirected code cannot be tried again.
  const { count } = await prisma().portalSsoHandoff.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: now } });
  const reason = count !== 1 ? 'replayed'
    : row.expiresAt.getTime() <= now.getTime() ? 'expired'
      : row.portalId !== portal.id ? 'other_portal'
        : row.host !== request.host ? 'other_host'
          : null;
  const who = { guestId: row.guestId, email: row.guest.email, shareId: null, portalId: row.portalId };
  const details = { handoffId: row.id, host: request.host ?? null, issuedFor: row.host, ...(row.portalId !== portal.id ? { presentedTo: portal.id } : {}) };
  if (reason) {
    await auditGuest(row.orgId, 'portal.sso.complete', who, request, { outcome: 'denied', reason, details });
    throw refused();
  }
  await auditGuest(row.orgId, 'portal.sso.complete', who, request, { details });
  await attempt.succeeded();
  const g = row.guest;
  // Handoffs are issued for FEDERATED guests only (signInFederatedPortalGuest); the session says so.
  return openOnPortal(portal, {
    guest: { id: g.id, kind: 'FEDERATED', email: g.email, disabledAt: g.disabledAt, expiresAt: g.expiresAt, partnerOrgId: g.partnerOrgId },
    method: 'sso', groups: row.groups,
  }, request, hosts);
}

/** Housekeeping: handoff codes live a minute; a day later, used or not, they are of no use to anyone. */
export async function pruneHandoffs(): Promise<number> {
  const { count } = await prisma().portalSsoHandoff.deleteMany({ where: { expiresAt: { lt: new Date(Date.now() - 24 * 3600 * 1000) } } });
  return count;
}
