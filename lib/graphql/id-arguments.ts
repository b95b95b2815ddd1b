import {
  getArgumentValues, getVariableValues, isInputObjectType, isListType, isNonNullType, isScalarType, Kind, TypeInfo, visit,
  visitWithTypeInfo, BREAK, type DocumentNode, type GraphQLInputType, type GraphQLSchema, type OperationDefinitionNode,
} from 'graphql';
import { isId } from '../http/ids';

export interface InvalidIdArgument {
  /** The field whose argument carried it, e.g. "document" or "Share.accessLog". */
  field: string;
  /** Where in the arguments, e.g. "id" or "input.documentIds[2]". */
  argument: string;
  raw: unknown;
}

/**
 * Finds the first value of type ID, anywhere in the arguments of the operation that is about to run
 * (literal or variable, nested in input objects and lists), that is not a well-formed id.
 *
 * GraphQL's own ID type accepts any string, so without this a NUL byte or a 3,000-character value
 * would reach a resolver, a query and the audit trail. Checking here, before execution, covers every
 * ID argument of every field the same way, including ones added later.
 *
 * Returns null when the variables do not coerce (execution reports that) or nothing is wrong.
 */
export function findInvalidIdArgument(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, rawVariables: Record<string, unknown> | undefined): InvalidIdArgument | null {
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables ?? {});
  if (coerced.errors) return null;
  const variables = coerced.coerced;
  // Only the operation that runs, with the fragments it may spread.
  const runs: DocumentNode = { kind: Kind.DOCUMENT, definitions: document.definitions.filter((d) => d === operation || d.kind === Kind.FRAGMENT_DEFINITION) };
  const typeInfo = new TypeInfo(schema);
  let found: InvalidIdArgument | null = null;
  visit(runs, visitWithTypeInfo(typeInfo, {
    Field(node) {
      const def = typeInfo.getFieldDef();
      if (!def || def.args.length === 0) return;
      let values: Record<string, unknown>;
      try {
        values = getArgumentValues(def, node, variables);
      } catch {
        return; // execution reports arguments that do not coerce
      }
      const parent = typeInfo.getParentType();
      const fieldLabel = parent && parent !== schema.getRootType(operation.operation) ? `${parent.name}.${def.name}` : def.name;
      for (const arg of def.args) {
        const bad = firstBadId(arg.type, values[arg.name], arg.name);
        if (bad) {
          found = { field: fieldLabel, argument: bad.path, raw: bad.raw };
          return BREAK;
        }
      }
    },
  }));
  return found;
}

function firstBadId(type: GraphQLInputType, value: unknown, path: string): { path: string; raw: unknown } | null {
  if (value === undefined || value === null) return null;
  if (isNonNullType(type)) return firstBadId(type.ofType, value, path);
  if (isListType(type)) {
    const items = Array.isArray(value) ? value : [value];
    for (let i = 0; i < items.length; i++) {
      const bad = firstBadId(type.ofType, items[i], `${path}[${i}]`);
      if (bad) return bad;
    }
    return null;
  }
  if (isInputObjectType(type)) {
    const fields = type.getFields();
    for (const [name, f] of Object.entries(fields)) {
      const bad = firstBadId(f.type, (value as Record<string, unknown>)[name], `${path}.${name}`);
      if (bad) return bad;
    }
    return null;
  }
  if (isScalarType(type) && type.name === 'ID' && !isId(value)) return { path, raw: value };
  return null;
}
