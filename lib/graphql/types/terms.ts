import { createTerms, listTerms, reviseTerms } from '../../terms/service';
import { termsVersionCounts } from '../../terms/counts';
import type { Principal } from '../../auth/principal';
import type { TermsVersion as TermsVersionRow } from '../../generated/prisma/client';
import { builder } from '../builder';
import { DateTime } from './scalars';

type Counts = { acceptances: number; shares: number };
/** listTerms loads the counts; createTerms/reviseTerms return the bare row and they load on demand. */
type VersionView = TermsVersionRow & { _count?: Counts };
type TermsView = Awaited<ReturnType<typeof listTerms>>[number];

const counted = new WeakMap<VersionView, Promise<Counts>>();
function counts(v: VersionView, p: Principal): Counts | Promise<Counts> {
  if (v._count) return v._count;
  let c = counted.get(v);
  if (!c) counted.set(v, (c = termsVersionCounts(p, v.id)));
  return c;
}

export const TermsVersion = builder.objectRef<VersionView>('TermsVersion').implement({
  description: 'One immutable text of a set of terms. Acceptances keep pointing at the version accepted.',
  fields: (t) => ({
    id: t.exposeID('id'),
    termsId: t.exposeID('termsId', { description: 'The set of terms this version belongs to (for reviseTerms).' }),
    version: t.exposeInt('version', { description: '1, then 2, 3... for each revision.' }),
    title: t.exposeString('title'),
    body: t.exposeString('body', { description: 'As typed; render it as text.' }),
    createdAt: t.field({ type: DateTime, resolve: (v) => v.createdAt }),
    acceptanceCount: t.int({ resolve: async (v, _a, ctx) => (await counts(v, ctx.principal)).acceptances }),
    shareCount: t.int({ description: 'Shares that require this version.', resolve: async (v, _a, ctx) => (await counts(v, ctx.principal)).shares }),
  }),
});

const Terms = builder.objectRef<TermsView>('Terms').implement({
  description: 'A named set of terms and conditions, with every version.',
  fields: (t) => ({
    id: t.exposeID('id'),
    title: t.exposeString('title', { description: "The latest version's title." }),
    createdAt: t.field({ type: DateTime, resolve: (x) => x.createdAt }),
    versions: t.field({ type: [TermsVersion], description: 'Newest first.', resolve: (x) => x.versions }),
    latest: t.field({
      type: TermsVersion,
      // Every set is created with version 1 and versions are never deleted.
      resolve: (x) => x.versions[0],
    }),
  }),
});

builder.queryFields((t) => ({
  terms: t.field({
    type: [Terms],
    description: 'Terms of your organisation, newest first.',
    authScopes: { 'shares:read': true },
    resolve: (_r, _a, ctx) => listTerms(ctx.principal),
  }),
}));

builder.mutationFields((t) => ({
  createTerms: t.field({
    type: TermsVersion,
    description: 'Creates a set of terms and returns its version 1.',
    authScopes: { 'shares:write': true },
    args: { title: t.arg.string({ required: true }), body: t.arg.string({ required: true }) },
    resolve: (_r, a, ctx) => createTerms(ctx.principal, { title: a.title, body: a.body }),
  }),
  reviseTerms: t.field({
    type: TermsVersion,
    description: 'Adds a new version. Shares keep the version they point at until updateShare moves them.',
    authScopes: { 'shares:write': true },
    args: { termsId: t.arg.id({ required: true }), title: t.arg.string({ required: true }), body: t.arg.string({ required: true }) },
    resolve: (_r, a, ctx) => reviseTerms(ctx.principal, a.termsId, { title: a.title, body: a.body }),
  }),
}));
