import { z } from 'zod';
import { prisma } from '../db/client';
import { AppError } from '../errors';
import { recordAudit } from '../audit/record';
import { actorOf, authorize, type Principal } from '../auth/principal';
import { emailDomain } from './domains';
import { buildIdpConfig, idpView, newProviderId, oidcInput, samlInput } from './idp-input';
import { domainsSchema } from './partners';
import { staffExtra } from './providers';
import { oidcRedirectUri, samlAcsUrl, samlMetadataUrl } from './urls';

const setInput = z.object({
  name: z.string().trim().min(1, 'enter the name people will see (e.g. “Contoso Entra ID”)').max(120),
  domains: domainsSchema,
  enabled: z.boolean().optional(),
  oidc: oidcInput.nullable().optional(),
  saml: samlInput.nullable().optional(),
});

const view = (row: { id: string; kind: 'OIDC' | 'SAML'; name: string; enabled: boolean; config: unknown; updatedAt: Date }) => ({
  ...idpView(row, { redirectUri: oidcRedirectUri(row.id), acsUrl: samlAcsUrl(row.id), spMetadataUrl: samlMetadataUrl(row.id) }),
  domains: staffExtra.parse(row.config).domains,
  updatedAt: row.updatedAt,
});
export type StaffIdpView = ReturnType<typeof view>;

const select = { id: true, kind: true, name: true, enabled: true, config: true, updatedAt: true } as const;

/** The home organisation's own IdP for console sign-in, or null (admins). */
export async function getStaffIdentityProvider(p: Principal): Promise<StaffIdpView | null> {
  authorize(p, 'admin');
  const row = await prisma().identityProvider.findUnique({ where: { staffOrgId: p.orgId }, select });
  return row ? view(row) : null;
}

/** Sets (creates or replaces) the staff IdP. Staff keep their passwords: SSO is offered beside them. */
export async function setStaffIdentityProvider(p: Principal, raw: unknown): Promise<StaffIdpView> {
  authorize(p, 'admin');
  const input = setInput.parse(raw);
  const prev = await prisma().identityProvider.findUnique({ where: { staffOrgId: p.orgId }, select: { id: true, kind: true, config: true } });
  const id = prev?.id ?? newProviderId();
  // Re-saving the name or domains alone keeps the provider's settings.
  const idp = input.oidc || input.saml ? await buildIdpConfig(id, input, prev) : null;
  if (!idp && !prev) throw new AppError('validation_failed', 'Give the identity provider: oidc {issuer, clientId, clientSecret} or saml {metadataXml}.');
  const base = idp ? (idp.config as Record<string, unknown>) : (prev!.config as Record<string, unknown>);
  const config = { ...base, domains: input.domains };
  await prisma().$transaction(async (tx) => {
    if (prev) await tx.identityProvider.update({ where: { id }, data: { name: input.name, enabled: input.enabled ?? true, config, ...(idp ? { kind: idp.kind } : {}) } });
    else await tx.identityProvider.create({ data: { id, staffOrgId: p.orgId, kind: idp!.kind, name: input.name, enabled: input.enabled ?? true, config } });
    await recordAudit({ orgId: p.orgId, type: 'staff_idp.set', actor: actorOf(p), request: p.request,
      details: { providerId: id, name: input.name, domains: input.domains, enabled: input.enabled ?? true, ...(idp ? { idp: idp.summary } : {}) } }, tx);
  });
  return (await getStaffIdentityProvider(p))!;
}

export async function removeStaffIdentityProvider(p: Principal): Promise<{ id: string } | null> {
  authorize(p, 'admin');
  const prev = await prisma().identityProvider.findUnique({ where: { staffOrgId: p.orgId }, select: { id: true, name: true } });
  if (!prev) return null;
  await prisma().$transaction(async (tx) => {
    await tx.identityProvider.delete({ where: { id: prev.id } });
    await recordAudit({ orgId: p.orgId, type: 'staff_idp.remove', actor: actorOf(p), request: p.request, details: { providerId: prev.id, name: prev.name } }, tx);
  });
  return { id: prev.id };
}

/**
 * For the sign-in page's "single sign-on" step: the enabled staff IdP whose domains include the
 * address's domain (exact ASCII match), or null. The caller answers the same way either way.
 */
export async function staffProviderForEmail(email: string): Promise<{ providerId: string; name: string } | null> {
  const domain = emailDomain(email);
  if (!domain) return null;
  const rows = await prisma().identityProvider.findMany({
    where: { enabled: true, staffOrgId: { not: null }, config: { path: ['domains'], array_contains: [domain] } },
    select: { id: true, name: true }, take: 2, orderBy: { createdAt: 'asc' },
  });
  // Two organisations claiming one domain: neither is chosen (an administrator must sort it out).
  return rows.length === 1 ? { providerId: rows[0].id, name: rows[0].name } : null;
}

/** The name of an enabled staff IdP, for the sign-in page's "Sign in with <name>" button; null otherwise. */
export async function staffProviderName(providerId: unknown): Promise<string | null> {
  if (typeof providerId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(providerId)) return null;
  const row = await prisma().identityProvider.findFirst({ where: { id: providerId, enabled: true, staffOrgId: { not: null } }, select: { name: true } });
  return row?.name ?? null;
}
