import { prisma } from '../db/client';
import { AppError } from '../errors';
import { upsertFederatedGuest, type FederatedIdentity } from '../guest/federated';
import type { GuestRequest } from '../guest/facts';
import { portalCookieHeader } from '../http/portal-cookie';
import { openOnPortal } from './open';
import { findPortalBySlug } from './portal-lookup';

/**
 * A partner user whose IdP vouched for them, on their way to a portal: the FEDERATED guest is created or
 * updated (with the groups the IdP asserted now), and a portal session opens under the policy, on the
 * console host where the IdP returned them (the partner's IdP knows only Liaison's own callback URL).
 */
export async function signInFederatedPortalGuest(identity: FederatedIdentity, slug: string, request: GuestRequest): Promise<{ location: string; setCookie: string }> {
  const portal = await findPortalBySlug(slug);
  if (!portal) throw new AppError('not_found', 'This portal does not exist.');
  const partner = await prisma().partnerOrg.findFirst({ where: { id: identity.partnerOrgId, orgId: portal.orgId }, select: { id: true, domains: true } });
  if (!partner) throw new AppError('forbidden', 'Your organisation is not a partner of the organisation that runs this portal.');
  const guest = await upsertFederatedGuest(identity, partner, portal.orgId);
  const opened = await openOnPortal(portal, {
    guest: { id: guest.id, kind: 'FEDERATED', email: guest.email, disabledAt: guest.disabledAt, expiresAt: guest.expiresAt, partnerOrgId: guest.partnerOrgId },
    method: 'sso', groups: guest.groups,
  }, request);
  const base = `/p/${portal.slug}`;
  return { location: base, setCookie: portalCookieHeader(base, opened.accessToken, opened.expiresIn) };
}
