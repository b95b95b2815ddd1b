import { z } from 'zod';
import { prisma } from '../db/client';
import { AppError } from '../errors';
import { recordAudit } from '../audit/record';
import { actorOf, authorize, type Principal } from '../auth/principal';
import { isId } from '../http/ids';
import { TLP_ORDER } from '../policy/types';
import { asciiDomain, emailDomain } from './domains';
import { buildIdpConfig, idpView, newProviderId, oidcInput, samlInput } from './idp-input';
import { oidcRedirectUri, samlAcsUrl, samlMetadataUrl } from './urls';

/** A partner's email domains: each a DNS name, stored as lower-case ASCII (punycode). */
export const domainsSchema = z.array(z.string().max(253)).min(1, 'give at least one email domain').max(50, 'at most 50 domains')
  .transform((list, ctx) => {
    const out: string[] = [];
    for (const d of list) {
      const a = asciiDomain(d);
      if (!a) ctx.addIssue({ code: 'custom', message: `"${d.slice(0, 80)}" is not a domain name` });
      else if (!out.includes(a)) out.push(a);
    }
    return out;
  });

const base = {
  name: z.string().trim().min(1, 'enter a name').max(120, 'at most 120 characters'),
  domains: domainsSchema,
  tlpCeiling: z.enum(TLP_ORDER).nullable().optional(),
  lawEnforcement: z.boolean().optional(),
  oidc: oidcInput.nullable().optional(),
  saml: samlInput.nullable().optional(),
};
const createInput = z.object(base);
const updateInput = z.object({ ...base, name: base.name.optional(), domains: domainsSchema.optional() });

const partnerSelect = {
  id: true, name: true, domains: true, tlpCeiling: true, lawEnforcement: true, createdAt: true, updatedAt: true,
  identityProviders: { select: { id: true, kind: true, name: true, enabled: true, config: true }, take: 1, orderBy: { createdAt: 'asc' as const } },
  _count: { select: { guests: true } },
} as const;

type Row = { id: string; name: string; domains: string[]; tlpCeiling: string | null; lawEnforcement: boolean; createdAt: Date; updatedAt: Date;
  identityProviders: Array<{ id: string; kind: 'OIDC' | 'SAML'; name: string; enabled: boolean; config: unknown }>; _count: { guests: number } };

function view(r: Row) {
  const idp = r.identityProviders[0];
  return {
    id: r.id, name: r.name, domains: r.domains, tlpCeiling: r.tlpCeiling as (typeof TLP_ORDER)[number] | null, lawEnforcement: r.lawEnforcement,
    createdAt: r.createdAt, updatedAt: r.updatedAt, guestCount: r._count.guests,
    idp: idp ? idpView(idp, { redirectUri: oidcRedirectUri(idp.id), acsUrl: samlAcsUrl(idp.id), spMetadataUrl: samlMetadataUrl(idp.id) }) : null,
  };
}
export type PartnerOrgView = ReturnType<typeof view>;

async function find(p: Principal, id: unknown, op: string): Promise<PartnerOrgView> {
  const row = isId(id) ? await prisma().partnerOrg.findFirst({ where: { id, orgId: p.orgId }, select: partnerSelect }) : null;
  if (!row) {
    await recordAudit({ orgId: p.orgId, type: op, actor: actorOf(p), request: p.request, outcome: 'denied', reason: 'not_found', details: { partnerOrgId: typeof id === 'string' ? id.slice(0, 80) : null } });
    throw new AppError('not_found', 'No such partner organisation.');
  }
  return view(row as Row);
}

/** A domain belongs to at most one partner of an organisation: otherwise an address would have two providers. */
async function assertDomainsFree(orgId: string, domains: string[], exceptId: string | null) {
  const clash = await prisma().partnerOrg.findFirst({ where: { orgId, domains: { hasSome: domains }, ...(exceptId ? { NOT: { id: exceptId } } : {}) }, select: { name: true, domains: true } });
  if (clash) {
    const d = domains.find((x) => clash.domains.includes(x));
    throw new AppError('conflict', `domains: ${d} already belongs to the partner organisation “${clash.name}”.`);
  }
}

export async function listPartnerOrgs(p: Principal): Promise<PartnerOrgView[]> {
  authorize(p, 'admin');
  const rows = await prisma().partnerOrg.findMany({ where: { orgId: p.orgId }, orderBy: [{ name: 'asc' }, { id: 'asc' }], select: partnerSelect });
  return (rows as Row[]).map(view);
}

export const getPartnerOrg = (p: Principal, id: unknown) => {
  authorize(p, 'admin');
  return find(p, id, 'partner_org.view');
};

/** Creates a partner organisation with its identity provider (admins). Audited; nothing is written on a refusal. */
export async function createPartnerOrg(p: Principal, raw: unknown): Promise<PartnerOrgView> {
  authorize(p, 'admin');
  const input = createInput.parse(raw);
  await assertDomainsFree(p.orgId, input.domains, null);
  const providerId = newProviderId();
  const idp = await buildIdpConfig(providerId, input, null);
  const id = await prisma().$transaction(async (tx) => {
    const org = await tx.partnerOrg.create({
      data: { orgId: p.orgId, name: input.name, domains: input.domains, tlpCeiling: input.tlpCeiling ?? null, lawEnforcement: input.lawEnforcement ?? false },
      select: { id: true },
    });
    await tx.identityProvider.create({ data: { id: providerId, partnerOrgId: org.id, kind: idp.kind, name: input.name, config: idp.config } });
    await recordAudit({ orgId: p.orgId, type: 'partner_org.create', actor: actorOf(p), request: p.request,
      details: { partnerOrgId: org.id, name: input.name, domains: input.domains, tlpCeiling: input.tlpCeiling ?? null, lawEnforcement: input.lawEnforcement ?? false, idp: { id: providerId, ...idp.summary } } }, tx);
    return org.id;
  });
  return find(p, id, 'partner_org.view');
}

/** Changes the fields given; `oidc` or `saml` replaces the provider's settings (an OIDC secret may be omitted to keep it). */
export async function updatePartnerOrg(p: Principal, id: unknown, raw: unknown): Promise<PartnerOrgView> {
  authorize(p, 'admin');
  const input = updateInput.parse(raw);
  const current = await find(p, id, 'partner_org.update');
  if (input.domains) await assertDomainsFree(p.orgId, input.domains, current.id);
  const prev = current.idp ? await prisma().identityProvider.findUniqueOrThrow({ where: { id: current.idp.id }, select: { id: true, kind: true, config: true } }) : null;
  const providerId = prev?.id ?? newProviderId();
  const idp = input.oidc || input.saml ? await buildIdpConfig(providerId, input, prev) : null;
  const changed = Object.entries(input).filter(([, v]) => v !== undefined && v !== null).map(([k]) => k);
  await prisma().$transaction(async (tx) => {
    await tx.partnerOrg.update({ where: { id: current.id }, data: {
      name: input.name, domains: input.domains, lawEnforcement: input.lawEnforcement,
      ...(input.tlpCeiling !== undefined ? { tlpCeiling: input.tlpCeiling } : {}),
    } });
    if (idp) {
      if (prev) await tx.identityProvider.update({ where: { id: prev.id }, data: { kind: idp.kind, config: idp.config, ...(input.name ? { name: input.name } : {}) } });
      else await tx.identityProvider.create({ data: { id: providerId, partnerOrgId: current.id, kind: idp.kind, name: input.name ?? current.name, config: idp.config } });
    } else if (input.name && prev) {
      await tx.identityProvider.update({ where: { id: prev.id }, data: { name: input.name } });
    }
    await recordAudit({ orgId: p.orgId, type: 'partner_org.update', actor: actorOf(p), request: p.request,
      details: { partnerOrgId: current.id, changed, ...(input.domains ? { domains: input.domains } : {}), ...(input.tlpCeiling !== undefined ? { tlpCeiling: input.tlpCeiling } : {}), ...(input.lawEnforcement !== undefined ? { lawEnforcement: input.lawEnforcement } : {}), ...(idp ? { idp: { id: providerId, ...idp.summary } } : {}) } }, tx);
  });
  return find(p, current.id, 'partner_org.view');
}

/** Deletes the partner and its provider. Its guests stay (their partner link is cleared) but can no longer sign in. */
export async function deletePartnerOrg(p: Principal, id: unknown): Promise<{ id: string }> {
  authorize(p, 'admin');
  const current = await find(p, id, 'partner_org.delete');
  await prisma().$transaction(async (tx) => {
    await tx.partnerOrg.delete({ where: { id: current.id } });
    await recordAudit({ orgId: p.orgId, type: 'partner_org.delete', actor: actorOf(p), request: p.request, details: { partnerOrgId: current.id, name: current.name, domains: current.domains } }, tx);
  });
  return { id: current.id };
}

/**
 * The enabled identity provider of the partner whose domains contain this address's domain: exact
 * match on the ASCII (punycode) form, so neither a subdomain nor a Unicode look-alike matches.
 */
export async function partnerProviderForEmail(orgId: string, email: string): Promise<{ partnerOrgId: string; providerId: string } | null> {
  const domain = emailDomain(email);
  if (!domain || !isId(orgId)) return null;
  const partner = await prisma().partnerOrg.findFirst({
    where: { orgId, domains: { has: domain } },
    select: { id: true, identityProviders: { where: { enabled: true }, select: { id: true }, take: 1, orderBy: { createdAt: 'asc' } } },
  });
  const idp = partner?.identityProviders[0];
  return partner && idp ? { partnerOrgId: partner.id, providerId: idp.id } : null;
}
