import type { GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import { describeError } from '../http/error-response';
import type { ErrorCode } from '../errors';

/**
 * Codes that are about the whole request (who is calling, whether it may proceed), not one field.
 * They set the HTTP status and the RFC 6750 challenge; any other code answers 200 with
 * `errors[].extensions.code`, as GraphQL over HTTP expects when other fields may still have data.
 */
const REQUEST_LEVEL: ReadonlySet<string> = new Set<ErrorCode>([
  'invalid_token', 'unauthenticated', 'insufficient_scope', 'forbidden', 'rate_limited', 'database_unavailable',
  // The action was not carried out because its audit event could not be written: 503, retry later.
  'audit_unavailable',
]);

// describeError's headers that belong on the HTTP response rather than in the body.
const PASSED_HEADERS = ['www-authenticate', 'retry-after'];

/**
 * By tag, not instanceof: graphql ships CJS and ESM builds, and a bundler or test runner may load
 * both, so a GraphQLError from yoga is not always an instance of the class we import.
 */
export const isGraphqlError = (e: unknown): e is GraphQLError => Object.prototype.toString.call(e) === '[object GraphQLError]';

/** True for errors GraphQL itself raised (syntax, validation, variable coercion): already safe to show. */
function isGraphqlOwn(e: unknown): boolean {
  if (!isGraphqlError(e)) return false;
  return e.originalError == null || isGraphqlOwn(e.originalError);
}

/**
 * Turns anything thrown during an operation into a GraphQL error carrying our stable code as
 * `extensions.code` and the safe message. Internal messages never leave; describeError logs them.
 */
export function toGraphqlError(error: unknown): GraphQLError {
  if (isGraphqlOwn(error)) return error as GraphQLError;
  const located = isGraphqlError(error) ? error : null;
  const d = describeError(located ? located.originalError : error);
  const headers: Record<string, string> = {};
  for (const h of PASSED_HEADERS) if (d.headers[h]) headers[h] = d.headers[h];
  // Built with yoga's own graphql instance, so yoga recognises it and keeps the extensions.
  return createGraphQLError(d.body.error_description, {
    nodes: located?.nodes,
    source: located?.source,
    positions: located?.positions,
    path: located?.path,
    extensions: {
      code: d.body.error,
      ...(d.body.issues ? { issues: d.body.issues } : {}),
      // graphql-yoga turns `http` into the response status and headers and strips it from the body.
      ...(REQUEST_LEVEL.has(d.body.error) ? { http: { status: d.status, headers } } : {}),
    },
  });
}

/** A complete GraphQL response for a refusal decided before any operation runs (authentication). */
export function graphqlErrorResponse(error: unknown): Response {
  const d = describeError(error);
  const body = { errors: [{ message: d.body.error_description, extensions: { code: d.body.error } }] };
  return new Response(JSON.stringify(body), { status: d.status, headers: d.headers });
}
