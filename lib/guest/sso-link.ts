import { prisma } from '../db/client';
import { config } from '../config';

/** Where a partner's people start signing in: the provider's start route, returning to the link when known. */
export function ssoStartUrl(providerId: string, linkToken?: string | null): string {
  const u = new URL(`/sso/${encodeURIComponent(providerId)}/start`, config().publicUrl);
  if (linkToken) u.searchParams.set('return', `/s/${linkToken}`);
  return u.toString();
}

/** The enabled identity provider of the partner organisation (of `orgId`) whose domains contain the address's. */
export async function partnerProviderForEmail(orgId: string, email: string | null | undefined): Promise<{ partnerOrgId: string; providerId: string } | null> {
  if (!email) return null;
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  const idp = await prisma().identityProvider.findFirst({
    where: { enabled: true, partnerOrg: { orgId, domains: { has: domain } } },
    select: { id: true, partnerOrgId: true },
    orderBy: { createdAt: 'asc' },
  });
  return idp?.partnerOrgId ? { partnerOrgId: idp.partnerOrgId, providerId: idp.id } : null;
}

/** The sso_url of an sso_required refusal: the link is carried back only when the caller presented it. */
export async function ssoUrlForGuest(share: { orgId: string }, email: string | null | undefined, linkToken?: string | null): Promise<string | undefined> {
  const p = await partnerProviderForEmail(share.orgId, email);
  return p ? ssoStartUrl(p.providerId, linkToken) : undefined;
}
