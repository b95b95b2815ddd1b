import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { complexityFromQuery } from '@pothos/plugin-complexity';
import {
  getNamedType, getVariableValues, isListType, isNonNullType, isObjectType, Kind, type ASTVisitor, type DocumentNode, type FragmentDefinitionNode,
  type GraphQLError, type GraphQLOutputType, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode, type ValidationContext,
} from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { MAX_PAGE_SIZE } from './connection';

/**
 * What one GraphQL request may ask for. Every refusal happens before anything executes, with
 * `extensions.code` = "query_too_complex" (documented in docs/SECURITY.md).
 *
 * The values leave room for every query the API documentation shows and for a full page of every
 * connection with all its fields: the deepest selection the schema allows is 7 levels
 * (shares → edges → node → accessLog → edges → node → field); a 200-event page of the audit trail
 * with every field, edges and pageInfo costs 5,001, a 100-share page with every field 4,901. The
 * review's aliased `auditEvents(first: 200) { nodes { id at type actor ip details hash prevHash } }`
 * costs 1,801 a copy, so six of them are over the limit whatever the alias limit says.
 */
export const GRAPHQL_LIMITS = {
  /** Request body (yoga). */
  maxBodyBytes: 256 * 1024,
  /** Lexical tokens in the document: stops huge documents at parse time, before any validation. */
  maxTokens: 2_000,
  /** Nested selections, fragments flattened. */
  maxDepth: 10,
  /** Aliased fields per operation: aliases are how one request repeats an expensive field. */
  maxAliases: 15,
  /** Directive uses per operation. */
  maxDirectives: 10,
  /** Estimated cost, see `complexity` in builder.ts: about one per value the answer may hold. */
  maxCost: 10_000,
  /** `first` of every connection. */
  maxPageSize: MAX_PAGE_SIZE,
} as const;

/**
 * A limit refusal. Like GraphQL's own validation errors (and as yoga answers the parse and validation
 * ones), it is HTTP 400 for `application/graphql-response+json` and 200 for legacy `application/json`,
 * as the GraphQL-over-HTTP specification asks; either way nothing has run.
 */
export function queryTooComplex(message: string): GraphQLError {
  return createGraphQLError(message, { extensions: { code: 'query_too_complex', http: { status: 400, spec: true } } });
}

// graphql-armor prefixes its messages as if they were syntax errors; they are limits.
const armorMessage = (e: GraphQLError) => `The query is over a limit: ${e.message.replace(/^Syntax Error: /, '')}`;

/** graphql-armor's checks: tokens at parse time, then depth, aliases and directives at validation. */
function armorPlugin(): Plugin {
  const report = { propagateOnRejection: false, onReject: [(ctx: ValidationContext | null, e: GraphQLError) => {
    if (!ctx) throw queryTooComplex(armorMessage(e)); // parse phase: nothing to report into
    ctx.reportError(queryTooComplex(armorMessage(e)));
  }] };
  return EnvelopArmorPlugin({
    maxTokens: { n: GRAPHQL_LIMITS.maxTokens, ...report },
    // `__schema { … }` is exempt: the standard introspection query nests ofType 9 levels deep, which
    // is linear (each level is one type or null); introspectionCycles bounds what could multiply.
    maxDepth: { n: GRAPHQL_LIMITS.maxDepth, flattenFragments: true, ignoreIntrospection: true, ...report },
    maxAliases: { n: GRAPHQL_LIMITS.maxAliases, ...report },
    maxDirectives: { n: GRAPHQL_LIMITS.maxDirectives, ...report },
    // Cost is computed by the complexity check below, which knows page sizes and variables.
    costLimit: { enabled: false },
    // Introspection is open to every authenticated caller, so suggestions reveal nothing new.
    blockFieldSuggestion: { enabled: false },
  }) as Plugin;
}

// List fields of __Type: repeating one of them along a path (types → fields → type → fields …)
// multiplies the answer by the size of the schema at every level.
const TYPE_LISTS = new Set(['fields', 'inputFields', 'interfaces', 'possibleTypes', 'enumValues']);

/**
 * Introspection is a cycle the cost estimate does not see (its fields are not ours): a 10-level
 * `__schema { types { fields { type { fields …` answers millions of values. The standard
 * introspection query visits one list of __Type per path, so more than one is refused.
 */
export function introspectionCycles(context: ValidationContext): ASTVisitor {
  const schema = context.getSchema();
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of context.getDocument().definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);

  const walk = (set: SelectionSetNode, type: GraphQLOutputType | null, lists: number, seen: Set<string>): boolean => {
    for (const sel of set.selections) {
      if (sel.kind === Kind.FRAGMENT_SPREAD) {
        const f = fragments.get(sel.name.value);
        if (f && !seen.has(f.name.value) && walk(f.selectionSet, type, lists, new Set(seen).add(f.name.value))) return true;
        continue;
      }
      if (sel.kind === Kind.INLINE_FRAGMENT) {
        if (walk(sel.selectionSet, type, lists, seen)) return true;
        continue;
      }
      if (!sel.selectionSet) continue;
      const name = sel.name.value;
      const parent = type ? getNamedType(type) : null;
      const field = parent && isObjectType(parent) ? parent.getFields()[name] : undefined;
      const next = name === '__schema' ? schema.getType('__Schema') : name === '__type' ? schema.getType('__Type') : field?.type ?? null;
      const onType = parent?.name === '__Type' && TYPE_LISTS.has(name) && field && isListType(isNonNullType(field.type) ? field.type.ofType : field.type);
      const count = lists + (onType ? 1 : 0);
      if (count > 1) return true;
      if (walk(sel.selectionSet, (next as GraphQLOutputType | null), count, seen)) return true;
    }
    return false;
  };

  return {
    OperationDefinition(op: OperationDefinitionNode) {
      const root = schema.getRootType(op.operation);
      if (root && walk(op.selectionSet, root, 0, new Set())) {
        context.reportError(queryTooComplex('The query is over a limit: introspection may visit one list of a type (fields, inputFields, interfaces, possibleTypes or enumValues) per path.'));
      }
    },
  };
}

/**
 * The cost check, just before execution, when the variables are known: `first: $n` counts for what
 * $n is. Only the operation that runs is measured (a cheap first operation cannot hide an expensive
 * one chosen by operationName). Nothing executes when the estimate is over the limit.
 */
function costCheck(schema: () => GraphQLSchema): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const doc = args.document as DocumentNode;
      const op = doc.definitions.find((d): d is OperationDefinitionNode =>
        d.kind === Kind.OPERATION_DEFINITION && (args.operationName ? d.name?.value === args.operationName : true));
      if (!op) return; // execution reports the unknown operation
      const only: DocumentNode = { kind: Kind.DOCUMENT, definitions: doc.definitions.filter((d) => d === op || d.kind === Kind.FRAGMENT_DEFINITION) };
      const variables = (args.variableValues ?? {}) as Record<string, unknown>;
      // Variables that do not coerce: execution refuses them, with GraphQL's own message, before running anything.
      if (getVariableValues(schema(), op.variableDefinitions ?? [], variables).errors) return;
      let cost: number;
      try {
        cost = complexityFromQuery(only, { schema: schema(), ctx: args.contextValue as object, variables }).complexity;
      } catch {
        // Fails closed: a query whose cost cannot be estimated does not run.
        setResultAndStopExecution({ errors: [queryTooComplex('The query is over a limit: its cost could not be estimated.')] });
        return;
      }
      if (cost > GRAPHQL_LIMITS.maxCost) {
        setResultAndStopExecution({ errors: [queryTooComplex(`The query is over a limit: its estimated cost is ${Math.ceil(cost).toLocaleString('en-US')}, the maximum is ${GRAPHQL_LIMITS.maxCost.toLocaleString('en-US')}. Ask for smaller pages (first) or fewer fields, or split it.`)] });
      }
    },
  };
}

/** The limit plugins, in the order they act: parse, validation, then just before execution. */
export function limitPlugins(schema: () => GraphQLSchema): Plugin[] {
  const rules: Plugin = { onValidate({ addValidationRule }) { addValidationRule(introspectionCycles); } };
  return [armorPlugin(), rules, costCheck(schema)];
}
