import { createApiKey, listApiKeys, revokeApiKey } from '../../auth/api-keys';
import { getApiKey } from '../../auth/api-key-read';
import type { CreatedKey } from '../../auth/api-keys';
import { builder } from '../builder';
import { DateTime } from './scalars';
import { StaffRef } from './staff-ref';

type KeyView = Awaited<ReturnType<typeof getApiKey>>;

export const ApiKey = builder.objectRef<KeyView>('ApiKey').implement({
  description: 'An API key. The secret is shown only once, by createApiKey.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix', { description: 'Public part of the key, e.g. lsn_ab12cd34.' }),
    scopes: t.exposeStringList('scopes'),
    active: t.boolean({ resolve: (k) => k.revokedAt === null }),
    createdAt: t.field({ type: DateTime, resolve: (k) => k.createdAt }),
    lastUsedAt: t.field({ type: DateTime, nullable: true, resolve: (k) => k.lastUsedAt }),
    revokedAt: t.field({ type: DateTime, nullable: true, resolve: (k) => k.revokedAt }),
    createdBy: t.field({ type: StaffRef, nullable: true, resolve: (k) => k.createdBy }),
  }),
});

const CreatedApiKey = builder.objectRef<CreatedKey>('CreatedApiKey').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix'),
    scopes: t.exposeStringList('scopes'),
    key: t.exposeString('key', { description: 'The full secret, for `Authorization: Bearer`. Shown only here, once.' }),
  }),
});

builder.queryFields((t) => ({
  apiKeys: t.field({
    type: [ApiKey],
    description: 'Active keys first, then revoked ones; newest first within each.',
    authScopes: { admin: true },
    resolve: (_r, _a, ctx) => listApiKeys(ctx.principal),
  }),
}));

builder.mutationFields((t) => ({
  createApiKey: t.field({
    type: CreatedApiKey,
    description: 'Without `scopes` the key gets every staff scope. You cannot grant a scope you do not hold.',
    authScopes: { admin: true },
    args: {
      name: t.arg.string({ required: true }),
      scopes: t.arg.stringList({ required: false, description: 'See availableScopes.' }),
    },
    resolve: (_r, a, ctx) => createApiKey(ctx.principal, { name: a.name, scopes: a.scopes ?? undefined }),
  }),
  revokeApiKey: t.field({
    type: ApiKey,
    description: 'Revokes a key at once. Revoking a revoked key changes nothing.',
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_r, a, ctx) => {
      await revokeApiKey(ctx.principal, a.id);
      return getApiKey(ctx.principal, a.id);
    },
  }),
}));
