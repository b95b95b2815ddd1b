import { listSigningKeys, rotateSigningKeyAsAdmin } from '../../tokens/admin';
import { builder } from '../builder';
import { DateTime } from './scalars';

const SigningKey = builder.objectRef<Awaited<ReturnType<typeof listSigningKeys>>[number]>('SigningKey').implement({
  description: "One of your organisation's guest-token keys, published in /.well-known/jwks.json. Each organisation has its own.",
  fields: (t) => ({
    kid: t.exposeID('kid', { description: 'RFC 7638 thumbprint, the JWT header kid.' }),
    alg: t.exposeString('alg'),
    createdAt: t.field({ type: DateTime, resolve: (k) => k.createdAt }),
    signing: t.boolean({ description: 'True for the key that signs new tokens.', resolve: (k) => k.rotatedAt === null && k.retireAt === null }),
    rotatedAt: t.field({ type: DateTime, nullable: true, description: 'When it stopped signing.', resolve: (k) => k.rotatedAt }),
    retireAt: t.field({ type: DateTime, nullable: true, description: 'When it stops verifying and leaves the JWKS.', resolve: (k) => k.retireAt }),
  }),
});

const RotatedKey = builder.objectRef<{ kid: string; rotatedKids: string[]; retireAt: Date }>('RotatedKey').implement({
  fields: (t) => ({
    kid: t.exposeID('kid', { description: 'The new signing key.' }),
    rotatedKids: t.exposeIDList('rotatedKids', { description: 'Keys that stopped signing now; they verify until retireAt.' }),
    retireAt: t.field({
      type: DateTime,
      nullable: true,
      description: 'When the rotated keys stop verifying (after the longest token they may have signed). null when there was none.',
      resolve: (r) => (r.rotatedKids.length ? r.retireAt : null),
    }),
  }),
});

builder.queryFields((t) => ({
  signingKeys: t.field({
    type: [SigningKey],
    description: "Your organisation's guest-token keys in the JWKS, newest first.",
    authScopes: { admin: true },
    resolve: (_r, _a, ctx) => listSigningKeys(ctx.principal),
  }),
}));

builder.mutationFields((t) => ({
  rotateSigningKey: t.field({
    type: RotatedKey,
    description: "Rotates your organisation's guest-token key (other organisations' keys are untouched): a new key signs from now on; the old one keeps verifying until its tokens have expired. Audited as signing_key.rotate.",
    authScopes: { admin: true },
    resolve: (_r, _a, ctx) => rotateSigningKeyAsAdmin(ctx.principal),
  }),
}));
