import { prisma } from '../db/client';
import { AppError } from '../errors';
import { upsertFederatedGuest, type FederatedIdentity } from '../guest/federated';
import type { GuestRequest } from '../guest/facts';
import { portalCookieHeader } from '../http/portal-cookie';
import { openOnPortal } from './open';
import { findPortalBySlug } from './portal-lookup';
import { issuePortalHandoff, portalReturnHost } from './sso-handoff';
import { portalNeedsDevice } from './landing';

/**
 * A partner user whose IdP vouched for them, on their way to a portal: the FEDERATED guest is created or
 * updated (with the groups the IdP asserted now). Where the sign-in started decides where it lands (the
 * partner's IdP knows only Liaison's own callback URL, on the console host):
 * - started on the console host: a portal session opens here, under the policy, with its cookie;
 * - started on one of the portal's verified custom domains (`returnHost`): no session opens here; the
 *   browser is handed to that domain with a one-time code (./sso-handoff.ts), where the session opens,
 *   bound to that host;
 * - a portal with a device-bound grant: no session opens here either; the browser goes to the device step
 *   on the host it started on, which proves its key with the code (./sso-handoff.ts).
 */
export async function signInFederatedPortalGuest(identity: FederatedIdentity, slug: string, request: GuestRequest, returnHost?: string | null): Promise<{ location: string; setCookie: string | null }> {
  const portal = await findPortalBySlug(slug);
  if (!portal) throw new AppError('not_found', 'This portal does not exist.');
  const partner = await prisma().partnerOrg.findFirst({ where: { id: identity.partnerOrgId, orgId: portal.orgId }, select: { id: true, domains: true } });
  if (!partner) throw new AppError('forbidden', 'Your organisation is not a partner of the organisation that runs this portal.');
  // Checked again now: the domain may have been removed or unverified since the sign-in started.
  const host = await portalReturnHost(portal.id, returnHost).catch(() => { throw new AppError('not_found', 'This portal is no longer served on the address you started from.'); });
  const guest = await upsertFederatedGuest(identity, partner, portal.orgId);
  // A portal with a device-bound grant opens its session only with a proof of the browser's key, which
  // the IdP's redirect cannot carry: the browser goes through the device step first (docs/DEVICES.md).
  const device = await portalNeedsDevice(portal.id);
  if (host || device) {
    const handed = await issuePortalHandoff({
      portal, host: host ?? request.host ?? '', onConsoleHost: !host, device, guest, groups: guest.groups, providerId: identity.providerId, request,
    });
    return { location: handed.location, setCookie: null };
  }
  const opened = await openOnPortal(portal, {
    guest: { id: guest.id, kind: 'FEDERATED', email: guest.email, disabledAt: guest.disabledAt, expiresAt: guest.expiresAt, partnerOrgId: guest.partnerOrgId },
    method: 'sso', groups: guest.groups,
  }, request);
  const base = `/p/${portal.slug}`;
  return { location: base, setCookie: portalCookieHeader(base, opened.accessToken, opened.expiresIn) };
}
