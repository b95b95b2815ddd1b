import { z } from 'zod';
import { prisma } from '../db/client';
import { isId } from '../http/ids';
import type { IdpKind } from '../generated/prisma/enums';

/** OIDC provider config as stored (the client secret sealed, see seal.ts). */
export const oidcStored = z.object({
  issuer: z.string(),
  clientId: z.string(),
  clientSecretSealed: z.string(),
  requireMfa: z.boolean().default(false),
  /** acr values that count as multi-factor, besides an `amr` that says so. */
  mfaAcrValues: z.array(z.string()).default([]),
});
export type OidcStored = z.infer<typeof oidcStored>;

export const samlStored = z.object({
  metadataXml: z.string(),
  entityId: z.string(),
  ssoUrl: z.string(),
  certs: z.array(z.string()).min(1),
  requireMfa: z.boolean().default(false),
});
export type SamlStored = z.infer<typeof samlStored>;

/** The staff IdP also names the email domains whose staff it signs in (the sign-in page's lookup). */
export const staffExtra = z.object({ domains: z.array(z.string()).default([]) });

export interface LoadedProvider {
  id: string;
  kind: IdpKind;
  name: string;
  enabled: boolean;
  /** The organisation whose audit trail and data this provider belongs to. */
  orgId: string;
  purpose: 'guest' | 'staff';
  partnerOrg: { id: string; name: string; domains: string[] } | null;
  oidc: OidcStored | null;
  saml: SamlStored | null;
  staffDomains: string[];
  updatedAt: Date;
}

/** A provider by id (from a URL path), with its owner; null when the id is malformed or unknown. */
export async function loadProvider(id: unknown): Promise<LoadedProvider | null> {
  if (!isId(id)) return null;
  const row = await prisma().identityProvider.findUnique({
    where: { id },
    include: { partnerOrg: { select: { id: true, orgId: true, name: true, domains: true } } },
  });
  if (!row) return null;
  const orgId = row.partnerOrg?.orgId ?? row.staffOrgId;
  if (!orgId) return null;
  const cfg = row.config as unknown;
  return {
    id: row.id, kind: row.kind, name: row.name, enabled: row.enabled, orgId, updatedAt: row.updatedAt,
    purpose: row.staffOrgId ? 'staff' : 'guest',
    partnerOrg: row.partnerOrg ? { id: row.partnerOrg.id, name: row.partnerOrg.name, domains: row.partnerOrg.domains } : null,
    oidc: row.kind === 'OIDC' ? oidcStored.parse(cfg) : null,
    saml: row.kind === 'SAML' ? samlStored.parse(cfg) : null,
    staffDomains: row.staffOrgId ? staffExtra.parse(cfg).domains : [],
  };
}
