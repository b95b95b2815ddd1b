import { getOperationAST } from 'graphql';
import { createYoga, type Plugin, type YogaInitialContext } from 'graphql-yoga';
import { AppError, isAppError } from '../errors';
import { log } from '../log';
import { resolvePrincipal } from '../auth/resolve';
import type { Principal } from '../auth/principal';
import { factsFromHeaders } from '../http/request-facts';
import { assertSameOrigin } from '../http/same-origin';
import type { GraphqlContext } from './builder';
import { graphqlErrorResponse, toGraphqlError } from './errors';
import { schema } from './schema';

export const GRAPHQL_ENDPOINT = '/api/graphql';

// Enough for any real query; stops documents of many thousands of aliased fields cheaply, at parse time.
const MAX_TOKENS = 5_000;
const MAX_BODY_BYTES = 256 * 1024;

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

const parseLimits: Plugin = {
  onParse({ parseFn, setParseFn }) {
    setParseFn((source, options) => parseFn(source, { ...options, maxTokens: MAX_TOKENS }));
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
  maxRequestBodySize: MAX_BODY_BYTES,
  maskedErrors: { maskError: (error) => toGraphqlError(error) },
  // Yoga logs every masked error, expected refusals included; describeError logs the unexpected ones once.
  logging: {
    debug: (...a: unknown[]) => log.debug({ yoga: a }, 'graphql'),
    info: (...a: unknown[]) => log.info({ yoga: a }, 'graphql'),
    warn: (...a: unknown[]) => log.warn({ yoga: a }, 'graphql'),
    error: (...a: unknown[]) => log.debug({ yoga: a }, 'graphql error'),
  },
  plugins: [parseLimits, sameOriginMutations],
});

/**
 * The route handler. Authentication happens before yoga sees the request, so a missing or bad
 * credential never reaches parsing or execution and answers 401 with the RFC 6750 challenge.
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
  return yoga.handleRequest(request, { principal });
}
