import { currentOrganization } from '../../orgs/current-org';
import { SCOPES, SCOPE_LABELS, type Scope } from '../../auth/scopes';
import type { Principal } from '../../auth/principal';
import { builder } from '../builder';
import { DateTime } from './scalars';
import { StaffRole, Tlp } from './enums';

type StaffPrincipal = Extract<Principal, { kind: 'staff' }>;
type KeyPrincipal = Extract<Principal, { kind: 'apikey' }>;

export const Organization = builder.objectRef<Awaited<ReturnType<typeof currentOrganization>>>('Organization').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    tlpCeiling: t.field({ type: Tlp, description: 'Highest marking that may leave the organisation through a share.', resolve: (o) => o.tlpCeiling }),
    defaultShareDays: t.exposeInt('defaultShareDays'),
    maxShareDays: t.exposeInt('maxShareDays'),
    retentionDays: t.exposeInt('retentionDays', { nullable: true }),
    createdAt: t.field({ type: DateTime, resolve: (o) => o.createdAt }),
  }),
});

const Viewer = builder.interfaceRef<Principal>('Viewer').implement({
  description: 'Who is calling: a signed-in staff member (StaffViewer) or an API key (ApiKeyViewer).',
  resolveType: (p) => (p.kind === 'staff' ? 'StaffViewer' : 'ApiKeyViewer'),
  fields: (t) => ({
    id: t.id({ description: 'Staff user id, or API key id.', resolve: (p) => (p.kind === 'staff' ? p.userId : p.keyId) }),
    scopes: t.stringList({ description: 'Scopes in force for this request.', resolve: (p) => SCOPES.filter((s) => p.scopes.has(s)) }),
    org: t.field({ type: Organization, resolve: (p) => currentOrganization(p) }),
  }),
});

builder.objectRef<StaffPrincipal>('StaffViewer').implement({
  interfaces: [Viewer],
  fields: (t) => ({
    email: t.exposeString('email'),
    name: t.exposeString('name'),
    role: t.field({ type: StaffRole, resolve: (p) => p.role }),
  }),
});

builder.objectRef<KeyPrincipal>('ApiKeyViewer').implement({
  interfaces: [Viewer],
  fields: (t) => ({
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix', { description: 'Public part of the key, e.g. lsn_ab12cd34.' }),
  }),
});

const ScopeInfo = builder.objectRef<{ name: Scope; label: string }>('ScopeInfo').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    label: t.exposeString('label'),
  }),
});

builder.queryFields((t) => ({
  me: t.field({ type: Viewer, resolve: (_r, _a, ctx) => ctx.principal }),
  availableScopes: t.field({
    type: [ScopeInfo],
    description: 'Every staff scope an API key can be given, with what it allows.',
    resolve: () => SCOPES.map((name) => ({ name, label: SCOPE_LABELS[name] })),
  }),
}));
