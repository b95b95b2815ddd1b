import { Kind, valueFromASTUntyped } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import { builder } from '../builder';

// Date-only ("2026-12-31", midnight UTC) or a full timestamp with its offset: never a zone-less
// local time, which would mean a different instant on every server.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/;

function parseDateTime(value: unknown): Date {
  if (typeof value !== 'string' || !ISO_8601.test(value)) throw createGraphQLError('DateTime must be an ISO 8601 string such as 2026-12-31T17:00:00Z.');
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw createGraphQLError('DateTime is not a valid date.');
  return d;
}

export const DateTime = builder.scalarType('DateTime', {
  description: 'An instant as an ISO 8601 string in UTC, e.g. 2026-12-31T17:00:00.000Z. Input also accepts a date (midnight UTC) or an explicit offset.',
  serialize: (v) => (v instanceof Date ? v.toISOString() : new Date(v).toISOString()),
  parseValue: parseDateTime,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw createGraphQLError('DateTime must be a string.');
    return parseDateTime(ast.value);
  },
});

export const Json = builder.scalarType('JSON', {
  description: 'Any JSON value.',
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});
