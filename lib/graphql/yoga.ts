import { getOperationAST, type DocumentNode } from 'graphql';
import { createGraphQLError, createYoga, type Plugin, type YogaInitialContext } from 'graphql-yoga';
import { AppError, isAppError } from '../errors';
import { log } from '../log';
import { resolvePrincipal } from '../auth/resolve';
import type { Principal } from '../auth/principal';
import { factsFromHeaders } from '../http/request-facts';
import { assertSameOrigin } from '../http/same-origin';
import { auditInvalidId } from '../http/staff-ids';
import type { GraphqlContext } from './builder';
import { graphqlErrorResponse, toGraphqlError } from './errors';
import { findInvalidIdArgument } from './id-arguments';
import { GRAPHQL_LIMITS, limitPlugins } from './limits';
import { takeGraphqlRequest } from './rate-limit';
import { schema } from './schema';

export const GRAPHQL_ENDPOINT = '/api/graphql';

type Ctx = YogaInitialContext & GraphqlContext;

/**
 * A cross-site page can make the browser send the console cookie, but not a matching Origin.
 * Bearer calls carry no ambient credential, so they skip this.
 */
const sameOriginMutations: Plugin<Ctx> = {
  onExecute({ args, setResultAndStopExecution }) {
    const ctx = args.contextValue;
    if (ctx.principal.kind !== 'staff') return;
    if (getOperationAST(args.document, args.operationName)?.operation !== 'mutation') return;
    try {
      assertSameOrigin(ctx.request.headers.get('origin'), ctx.request.headers.get('host'));
    } catch (e) {
      setResultAndStopExecution({ errors: [toGraphqlError(e)] });
    }
  },
};

/**
 * Every ID argument of the operation about to run must be a well-formed id (lib/http/ids.ts). A
 * malformed one is audited in the caller's organisation and the request is answered 404 not_found
 * before any resolver runs.
 */
const idArguments: Plugin<Ctx> = {
  async onExecute({ args, setResultAndStopExecution }) {
    const op = getOperationAST(args.document as DocumentNode, args.operationName);
    if (!op) return;
    const bad = findInvalidIdArgument(args.schema, args.document as DocumentNode, op, args.variableValues as Record<string, unknown> | undefined);
    if (!bad) return;
    try {
      await auditInvalidId(args.contextValue.principal, `graphql ${bad.field}`, bad.argument, bad.raw);
    } catch (e) {
      setResultAndStopExecution({ errors: [toGraphqlError(e)] });
      return;
    }
    setResultAndStopExecution({
      errors: [createGraphQLError(`Not found: ${bad.argument} of ${bad.field} is not a valid id.`, { extensions: { code: 'not_found', http: { status: 404 } } })],
    });
  },
};

export const yoga = createYoga<GraphqlContext>({
  schema,
  graphqlEndpoint: GRAPHQL_ENDPOINT,
  fetchAPI: { Response },
  // Introspection stays on (the schema is the API's documentation); the GraphiQL page is for development.
  graphiql: process.env.NODE_ENV !== 'production',
  landingPage: false,
  // No CORS headers: the console is same-origin, and integrations call from servers.
  cors: false,
  // Uploads are multipart at /api/v1/documents, not GraphQL.
  multipart: false,
  maxRequestBodySize: GRAPHQL_LIMITS.maxBodyBytes,
  // One operation per request: a batch would multiply every limit below.
  batching: false,
  maskedErrors: { maskError: (error) => toGraphqlError(error) },
  // Yoga logs every masked error, expected refusals included; describeError logs the unexpected ones once.
  logging: {
    debug: (...a: unknown[]) => log.debug({ yoga: a }, 'graphql'),
    info: (...a: unknown[]) => log.info({ yoga: a }, 'graphql'),
    warn: (...a: unknown[]) => log.warn({ yoga: a }, 'graphql'),
    error: (...a: unknown[]) => log.debug({ yoga: a }, 'graphql error'),
  },
  plugins: [...limitPlugins(() => schema), sameOriginMutations, idArguments],
});

/**
 * The route handler. Authentication happens before yoga sees the request, so a missing or bad
 * credential never reaches parsing or execution and answers 401 with the RFC 6750 challenge; then
 * the caller's request budget is taken (429 rate_limited with Retry-After when spent), still before
 * anything is parsed.
 */
export async function handleGraphql(request: Request): Promise<Response> {
  let principal: Principal;
  try {
    principal = await resolvePrincipal(
      { authorization: request.headers.get('authorization'), cookie: request.headers.get('cookie') },
      factsFromHeaders(request.headers),
    );
  } catch (e) {
    // CONTRACT: a missing credential is answered like a bad one, with error="invalid_token".
    return graphqlErrorResponse(isAppError(e) && e.code === 'unauthenticated' ? new AppError('invalid_token', e.message) : e);
  }
  try {
    await takeGraphqlRequest(principal);
  } catch (e) {
    return graphqlErrorResponse(e);
  }
  return yoga.handleRequest(request, { principal });
}
