import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import ScopeAuthPlugin, { AuthScopeFailureType, type AuthFailure } from '@pothos/plugin-scope-auth';
import { AppError } from '../errors';
import { authorize, type Principal } from '../auth/principal';
import { SCOPES, type Scope } from '../auth/scopes';

/** What every resolver receives. The principal is resolved before the operation runs (see yoga.ts). */
export interface GraphqlContext { principal: Principal }

/**
 * The one schema builder. Each area adds its types and root fields in its own file under
 * types/ (builder.queryFields / builder.mutationFields) and is imported once from schema.ts.
 *
 * Field-level `authScopes` are a declarative first check; the lib/ domain function called by the
 * resolver authorises again, so a missing annotation can never widen access.
 */
export const builder = new SchemaBuilder<{
  Context: GraphqlContext;
  AuthScopes: Record<Scope, boolean>;
  DefaultFieldNullability: false;
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date | string };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  plugins: [ScopeAuthPlugin, ComplexityPlugin],
  defaultFieldNullability: false,
  // Field costs for the query cost limit: 1 a field; a list's selection counts 10 times unless the
  // field says how many items it returns (connections: their page size, see connection.ts). The limit
  // itself is enforced before execution by lib/graphql/limits.ts, with the request's variables.
  complexity: { defaultComplexity: 1, defaultListMultiplier: 10 },
  scopeAuth: {
    authScopes: (ctx) => Object.fromEntries(SCOPES.map((s) => [s, ctx.principal.scopes.has(s)])) as Record<Scope, boolean>,
    // Same code and message as the domain's own check: insufficient_scope for keys, forbidden for staff.
    unauthorizedError: (_parent, ctx, _info, result) => denial(ctx.principal, firstScope(result.failure)),
  },
});

builder.queryType({ description: 'Staff API. Every query needs a Bearer API key or the console session cookie.' });
builder.mutationType({ description: 'Cookie-authenticated mutations must come from the console origin; Bearer calls need no Origin.' });

export type Types = typeof builder.$inferSchemaTypes;

function firstScope(f: AuthFailure): Scope | null {
  if (f.kind === AuthScopeFailureType.AuthScope) return f.scope as Scope;
  if (f.kind === AuthScopeFailureType.AnyAuthScopes || f.kind === AuthScopeFailureType.AllAuthScopes) {
    for (const child of f.failures) {
      const s = firstScope(child);
      if (s) return s;
    }
  }
  return null;
}

function denial(p: Principal, scope: Scope | null): Error {
  if (!scope) return new AppError('forbidden', 'You are not allowed to do this.');
  try {
    authorize(p, scope);
  } catch (e) {
    return e as Error;
  }
  return new AppError('forbidden', 'You are not allowed to do this.');
}
