import { addPortalDomain, listPortalDomains, removePortalDomain, verifyPortalDomain, type PortalDomainView } from '../../portals/domains';
import { builder } from '../builder';
import { DateTime } from './scalars';
import { Portal } from './portals';
import { can } from '../../auth/principal';

const PortalDomainStatus = builder.enumType('PortalDomainStatus', {
  description: 'VERIFIED: serves the portal. PENDING: waiting for its TXT record. LOST: served, then its TXT record disappeared.',
  values: ['VERIFIED', 'PENDING', 'LOST'] as const,
});

export const PortalDomain = builder.objectRef<PortalDomainView>('PortalDomain').implement({
  description: 'A custom domain claimed by a portal. It serves the portal at `/` once the TXT record txtName holds txtValue and it is verified.',
  fields: (t) => ({
    id: t.exposeID('id'),
    portalId: t.exposeID('portalId'),
    hostname: t.exposeString('hostname', { description: 'Lower-case ASCII (internationalised names as punycode), no port.' }),
    verified: t.exposeBoolean('verified'),
    status: t.field({ type: PortalDomainStatus, resolve: (d) => d.status }),
    txtName: t.exposeString('txtName', { description: 'The DNS name of the TXT record to create: _liaison-challenge.<hostname>.' }),
    txtValue: t.exposeString('txtValue', { description: 'The exact value the TXT record must hold.' }),
    verifiedAt: t.field({ type: DateTime, nullable: true, resolve: (d) => d.verifiedAt }),
    lastCheckedAt: t.field({ type: DateTime, nullable: true, resolve: (d) => d.lastCheckedAt }),
    lastError: t.exposeString('lastError', { nullable: true, description: 'Why the last check did not verify the domain.' }),
    createdAt: t.field({ type: DateTime, resolve: (d) => d.createdAt }),
  }),
});

builder.queryFields((t) => ({
  portalDomains: t.field({
    type: [PortalDomain],
    description: 'The custom domains of a portal, oldest first (admins).',
    authScopes: { admin: true },
    args: { portalId: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => listPortalDomains(ctx.principal, a.portalId),
  }),
}));

builder.mutationFields((t) => ({
  addPortalDomain: t.field({
    type: PortalDomain,
    description: 'Claims a host for a portal; create the TXT record it returns, then call verifyPortalDomain (admins).',
    authScopes: { admin: true },
    args: { portalId: t.arg.id({ required: true }), hostname: t.arg.string({ required: true }) },
    resolve: (_r, a, ctx) => addPortalDomain(ctx.principal, a.portalId, a.hostname),
  }),
  verifyPortalDomain: t.field({
    type: PortalDomain,
    description: 'Looks the TXT record up now. A failed check is not an error: the domain comes back unverified, with lastError.',
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => verifyPortalDomain(ctx.principal, a.id),
  }),
  removePortalDomain: t.field({
    type: 'Boolean',
    description: 'Stops serving the domain and deletes the claim (admins).',
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_r, a, ctx) => Boolean(await removePortalDomain(ctx.principal, a.id)),
  }),
}));

// The portal's domains as a field of Portal (admins, like portalDomains; others get null rather than an error).
builder.objectField(Portal, 'domains', (t) => t.field({
  type: [PortalDomain],
  nullable: true,
  description: 'The custom domains of this portal (admins only; null for other roles).',
  resolve: (portal, _a, ctx) => (can(ctx.principal, 'admin') ? listPortalDomains(ctx.principal, portal.id) : null),
}));
