import { prisma } from '../db/client';
import { AppError } from '../errors';
import { config } from '../config';
import { issueHandoffCode, takeHandoffCode } from '../sso/handoff-code';
import { auditGuest } from '../guest/audit';
import type { GuestRequest } from '../guest/facts';
import { normaliseHost } from '../http/request-host';
import { isConsoleHost } from './site';
import { portalHosts } from './hosts';
import { openOnPortal, type OpenedPortalSession } from './open';
import type { PortalRow } from './portal-lookup';

/**
 * Single sign-on into a portal that does not open its session on the console host's callback, where the
 * IdP answers: a sign-in started on the portal's verified custom domain (the console host cannot set a
 * cookie for that domain), or one into a portal with a device-bound grant (the session must be bound to
 * the browser's device key, proved on a page first):
 *
 *   console host, after the IdP answered  →  303 https://<custom host>/sso/complete?code=<code>
 *                                             (or …/sso/device?code=<code> for a device-bound portal)
 *   custom host: the code is redeemed     →  the portal session opens there, bound to that host
 *
 * The code itself (hashed, once, a minute, host-bound) is lib/sso/handoff-code.ts. Issue and redemption
 * are audited (portal.sso.handoff, portal.sso.complete).
 */
export { HANDOFF_TTL_MS } from '../sso/handoff-code';

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
 * console host, and answers where to send the browser. No session is opened here. For a portal with a
 * device-bound grant (`device`), the browser goes to the device step (`/sso/device`), whose page proves
 * the browser's key when it posts the code back; `host` is then the console host itself when the
 * sign-in started there.
 */
export async function issuePortalHandoff(args: {
  portal: PortalRow; host: string; guest: { id: string; email: string | null }; groups: string[]; providerId: string; request: GuestRequest; device?: boolean;
  /** The sign-in started on the console host (a device-bound portal): `host` is that host, the step stays on it. */
  onConsoleHost?: boolean;
}): Promise<{ location: string }> {
  const { portal, host } = args;
  const device = args.device === true;
  const { code, id } = await issueHandoffCode({
    orgId: portal.orgId, target: { portalId: portal.id }, host, guestId: args.guest.id, groups: args.groups, providerId: args.providerId, device,
  });
  await auditGuest(portal.orgId, 'portal.sso.handoff', { guestId: args.guest.id, email: args.guest.email, shareId: null, portalId: portal.id }, args.request, {
    details: { handoffId: id, host, providerId: args.providerId, ...(device ? { device: true } : {}) },
  });
  const step = device ? 'device' : 'complete';
  // On the console host the portal lives under /p/<slug>; on its custom domain at "/" (proxy.ts serves
  // /sso/… there from /p/<slug>/sso/…).
  if (args.onConsoleHost) return { location: `/p/${portal.slug}/sso/${step}?code=${code}` };
  return { location: `${customHostOrigin(host)}/sso/${step}?code=${code}` };
}

/**
 * Redeems a handoff code on the host the request came to and opens the portal session there (under the
 * policy, with this request's own facts: address, country, device). Refused, audited and burnt: a used
 * or expired code, a code for another portal, a code presented on another host, a device-bound code
 * without a valid proof of the browser's key (lib/sso/handoff-code.ts).
 */
export async function redeemPortalHandoff(rawCode: unknown, portal: PortalRow, request: GuestRequest, hosts?: readonly string[]): Promise<OpenedPortalSession> {
  const { row, opening } = await takeHandoffCode(rawCode, { portalId: portal.id }, request, 'portal.sso.complete');
  const g = row.guest;
  // Handoffs are issued for FEDERATED guests only (signInFederatedPortalGuest); the session says so.
  return openOnPortal(portal, {
    guest: { id: g.id, kind: 'FEDERATED', email: g.email, disabledAt: g.disabledAt, expiresAt: g.expiresAt, partnerOrgId: g.partnerOrgId },
    method: 'sso', groups: row.groups,
  }, request, hosts, opening);
}

/** Housekeeping: handoff codes live a minute; a day later, used or not, they are of no use to anyone. */
export async function pruneHandoffs(): Promise<number> {
  const { count } = await prisma().portalSsoHandoff.deleteMany({ where: { expiresAt: { lt: new Date(Date.now() - 24 * 3600 * 1000) } } });
  return count;
}
