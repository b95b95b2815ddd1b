import type { ArgBuilder, ObjectRef } from '@pothos/core';
import { AppError } from '../errors';
import { builder, type Types } from './builder';

/**
 * Relay-style connections (edges/node/cursor, nodes, pageInfo), forward pagination only. A domain
 * list function returns a Page; `connectionType` gives any node type its <Name>Connection and
 * <Name>Edge, so a new list (shares, guests...) is one call.
 */
export interface Page<T> {
  nodes: T[];
  hasNextPage: boolean;
  cursorOf: (node: T) => string;
  totalCount?: () => Promise<number>;
}

const PageInfo = builder.objectRef<{ hasNextPage: boolean; startCursor: string | null; endCursor: string | null }>('PageInfo').implement({
  description: 'Forward pagination: pass endCursor as `after` while hasNextPage is true.',
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage'),
    // Paging is forward only; the spec allows false here when it is not computed.
    hasPreviousPage: t.boolean({ resolve: () => false }),
    startCursor: t.exposeString('startCursor', { nullable: true }),
    endCursor: t.exposeString('endCursor', { nullable: true }),
  }),
});

export function connectionType<T>(name: string, node: ObjectRef<Types, T>, opts: { totalCount?: boolean } = {}) {
  const Edge = builder.objectRef<{ node: T; cursor: string }>(`${name}Edge`).implement({
    fields: (t) => ({
      cursor: t.exposeString('cursor'),
      // TS cannot resolve Pothos' result type for an open generic T; the ref ties node to T already.
      node: t.field({ type: node, resolve: (e) => e.node as never }),
    }),
  });
  return builder.objectRef<Page<T>>(`${name}Connection`).implement({
    fields: (t) => ({
      edges: t.field({ type: [Edge], resolve: (p) => p.nodes.map((n) => ({ node: n, cursor: p.cursorOf(n) })) }),
      nodes: t.field({ type: [node], resolve: (p) => p.nodes }),
      pageInfo: t.field({
        type: PageInfo,
        resolve: (p) => ({
          hasNextPage: p.hasNextPage,
          startCursor: p.nodes.length ? p.cursorOf(p.nodes[0]) : null,
          endCursor: p.nodes.length ? p.cursorOf(p.nodes[p.nodes.length - 1]) : null,
        }),
      }),
      ...(opts.totalCount ? {
        totalCount: t.int({
          description: 'Matching items across all pages.',
          resolve: (p) => {
            if (!p.totalCount) throw new AppError('internal', 'totalCount is not available for this list.');
            return p.totalCount();
          },
        }),
      } : {}),
    }),
  });
}

/** `first` and `after` arguments shared by every connection field; the domain validates the range. */
export const pageArgs = (arg: ArgBuilder<Types>, maxFirst: number) => ({
  first: arg.int({ required: false, description: `Page size, 1 to ${maxFirst}.` }),
  after: arg.string({ required: false, description: 'endCursor of the previous page.' }),
});

/** Checked here too so the message names the GraphQL argument, not the domain's own parameter. */
export function pageSize(first: number | null | undefined, max: number): number | undefined {
  if (first == null) return undefined;
  if (first < 1 || first > max) throw new AppError('validation_failed', `first must be between 1 and ${max}.`);
  return first;
}

/** Opaque cursors for lists whose domain cursor is a row id. */
export const encodeIdCursor = (kind: string, id: string) => Buffer.from(`${kind}:${id}`).toString('base64url');
export function decodeIdCursor(kind: string, cursor: string | null | undefined): string | undefined {
  if (cursor == null) return undefined;
  const s = Buffer.from(cursor, 'base64url').toString();
  if (!s.startsWith(`${kind}:`)) throw new AppError('validation_failed', 'Invalid cursor.');
  return s.slice(kind.length + 1);
}
