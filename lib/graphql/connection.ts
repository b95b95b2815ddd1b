import type { ArgBuilder, ObjectRef } from '@pothos/core';
import { AppError } from '../errors';
import { isId } from '../http/ids';
import { builder, type Types } from './builder';

/** No connection pages more than this many nodes, whatever its own maximum says. */
export const MAX_PAGE_SIZE = 200;

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
      // The page size is counted once, by the connection field (pageComplexity), not again here.
      edges: t.field({ type: [Edge], complexity: { field: 1, multiplier: 1 }, resolve: (p) => p.nodes.map((n) => ({ node: n, cursor: p.cursorOf(n) })) }),
      nodes: t.field({ type: [node], complexity: { field: 1, multiplier: 1 }, resolve: (p) => p.nodes }),
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
export function pageArgs(arg: ArgBuilder<Types>, maxFirst: number) {
  if (!Number.isInteger(maxFirst) || maxFirst < 1 || maxFirst > MAX_PAGE_SIZE) throw new Error(`A connection page may hold 1 to ${MAX_PAGE_SIZE} nodes, not ${maxFirst}.`);
  return {
    first: arg.int({ required: false, description: `Page size, 1 to ${maxFirst}.` }),
    after: arg.string({ required: false, description: 'endCursor of the previous page.' }),
  };
}

/**
 * The cost of a connection field for the query cost limit (lib/graphql/limits.ts): its selection
 * counts once per node the page may hold, `first` when given (a variable counts for its value),
 * otherwise the page size the domain uses by default.
 */
export function pageComplexity(defaultFirst: number, maxFirst: number) {
  return (args: { first?: number | null }) => ({
    field: 1,
    // Out-of-range values are refused by pageSize with a clear message; the estimate stays bounded.
    multiplier: Math.min(Math.max(args.first ?? defaultFirst, 1), maxFirst),
  });
}

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
  const id = s.startsWith(`${kind}:`) ? s.slice(kind.length + 1) : null;
  // The decoded id goes into a query as a row id: anything but a well-formed id is refused here.
  if (!isId(id)) throw new AppError('validation_failed', 'Invalid cursor.');
  return id;
}
