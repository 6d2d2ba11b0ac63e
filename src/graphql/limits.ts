import type { ApolloServerPlugin } from "@apollo/server";
import {
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type GraphQLField,
  type ValueNode,
  GraphQLError,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
} from "graphql";
import { DEFAULT_PAGE_SIZE } from "../db/keyset.js";

/** Limits that protect the server from expensive operations (API.md, "Protection"). */
export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
}

export interface OperationMeasure {
  depth: number;
  aliases: number;
  cost: number;
}

/** Lists without `first`/`last` (e.g. `Division.children`) are costed as this many items. */
const UNPAGED_LIST_ESTIMATE = DEFAULT_PAGE_SIZE;

/**
 * Introspection lists (`types`, `fields`, `args`, …) are costed as this many items: the standard
 * introspection query (partners build against it) costs about 8,300 (8,700 with every option of
 * getIntrospectionQuery), so one fits under the default limit of 10,000 and two do not.
 */
const INTROSPECTION_LIST_ESTIMATE = 5;

/**
 * Measures an operation: depth (fields deep), aliases, and cost — introspection included (only
 * `__Type.ofType`, a bounded chain of type wrappers, adds no depth). Cost: every field 1, plus its
 * selection's cost times the items it may return — `first`/`last`, a default page for connections
 * without them, the number of `ids` for `nodes` — with variables read from the request or their
 * defaults, so `first: $n` costs what `first: 100` costs. Items inside a connection (`edges`,
 * `nodes`) are already counted by the connection field.
 */
export function measureOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): OperationMeasure {
  let aliases = 0;
  let maxDepth = 0;
  const rootType =
    operation.operation === "query"
      ? schema.getQueryType()
      : operation.operation === "mutation"
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  if (!rootType) return { depth: 0, aliases: 0, cost: 0 };

  const defaults = new Map<string, ValueNode>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) defaults.set(definition.variable.name.value, definition.defaultValue);
  }
  const argumentNumber = (node: ValueNode | undefined): number | undefined => {
    if (!node) return undefined;
    if (node.kind === Kind.INT) return Number(node.value);
    if (node.kind === Kind.VARIABLE) {
      const name = node.name.value;
      // An absent variable takes its default (a variable in a default cannot occur: graphql refuses it).
      if (!Object.hasOwn(variables, name)) return defaults.has(name) ? argumentNumber(defaults.get(name)) : undefined;
      const value = variables[name];
      if (typeof value === "number") return value;
      // A list variable (`ids: $ids`); a single value where a list is expected is coerced to a list of one.
      if (Array.isArray(value)) return value.length;
      return value == null ? undefined : 1;
    }
    if (node.kind === Kind.LIST) return node.values.length;
    return undefined;
  };

  const visit = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, depth: number, seen: Set<string>): number => {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments[selection.name.value];
        if (!fragment || seen.has(fragment.name.value)) continue;
        const condition = schema.getType(fragment.typeCondition.name.value);
        if (!isCompositeType(condition)) continue;
        cost += visit(fragment.selectionSet, condition, depth, new Set([...seen, fragment.name.value]));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (!isCompositeType(condition)) continue;
        cost += visit(selection.selectionSet, condition, depth, seen);
      } else {
        cost += fieldCost(selection, parent, depth, seen);
      }
    }
    return cost;
  };

  const fieldDefinition = (name: string, parent: GraphQLCompositeType): GraphQLField<unknown, unknown> | undefined => {
    if (parent === rootType && name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
    if (parent === rootType && name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
    return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
  };

  const fieldCost = (field: FieldNode, parent: GraphQLCompositeType, depth: number, seen: Set<string>): number => {
    if (field.alias) aliases += 1;
    const name = field.name.value;
    if (name === "__typename") return 0;
    const introspection = name.startsWith("__") || parent.name.startsWith("__");
    const fieldDepth = introspection && name === "ofType" ? depth : depth + 1;
    maxDepth = Math.max(maxDepth, fieldDepth);
    if (!field.selectionSet) return 1;
    const definition = fieldDefinition(name, parent);
    if (!definition) return 1;
    const named = getNamedType(definition.type);
    if (!isCompositeType(named)) return 1;
    const childCost = visit(field.selectionSet, named, fieldDepth, seen);
    const args = new Map(field.arguments?.map((a) => [a.name.value, a.value]) ?? []);
    const paged = argumentNumber(args.get("first")) ?? argumentNumber(args.get("last"));
    const insideConnection = parent.name.endsWith("Connection");
    let items = 1;
    if (introspection) items = isListType(getNullableType(definition.type)) ? INTROSPECTION_LIST_ESTIMATE : 1;
    else if (paged !== undefined) items = paged;
    else if (named.name.endsWith("Connection")) items = DEFAULT_PAGE_SIZE;
    else if (isListType(getNullableType(definition.type)) && !insideConnection) {
      items = argumentNumber(args.get("ids")) ?? UNPAGED_LIST_ESTIMATE;
    }
    return 1 + Math.max(items, 0) * childCost;
  };

  const cost = visit(operation.selectionSet, rootType, 0, new Set());
  return { depth: maxDepth, aliases, cost };
}

function refuse(code: string, limit: string, value: number, max: number): GraphQLError {
  return new GraphQLError(`Operation refused: ${limit} is ${value}, over the limit of ${max}`, {
    extensions: { code, limit: { name: limit, max, value }, http: { status: 400 } },
  });
}

const measures = new WeakMap<object, OperationMeasure>();

/** Refuses operations over the limits, and reports the cost in `extensions.cost`. */
export function queryLimitsPlugin(limits: QueryLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, operation, document, request, contextValue }) {
          if (!operation) return;
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
          }
          const measure = measureOperation(schema, operation, fragments, request.variables ?? {});
          measures.set(contextValue as object, measure);
          if (measure.depth > limits.maxDepth) throw refuse("QUERY_TOO_DEEP", "depth", measure.depth, limits.maxDepth);
          if (measure.aliases > limits.maxAliases) throw refuse("TOO_MANY_ALIASES", "aliases", measure.aliases, limits.maxAliases);
          if (measure.cost > limits.maxCost) throw refuse("QUERY_TOO_COSTLY", "cost", measure.cost, limits.maxCost);
        },
        async willSendResponse({ response, contextValue }) {
          const measure = measures.get(contextValue as object);
          if (!measure || response.body.kind !== "single") return;
          response.body.singleResult.extensions = {
            ...response.body.singleResult.extensions,
            cost: { requested: measure.cost, limit: limits.maxCost, depth: measure.depth },
          };
        },
      };
    },
  };
}

/** At most this many errors per response; the rest are summed up in one more. */
export const MAX_ERRORS_PER_RESPONSE = 20;
/** An error message longer than this is cut (graphql quotes whole variable values in some). */
export const MAX_ERROR_MESSAGE_LENGTH = 500;

/**
 * Caps a response's errors: the first 20, each message at most 500 characters, then one
 * `TOO_MANY_ERRORS` error saying how many were left out (5,000 unknown keys in a variable must not
 * make a 2 MB answer).
 */
export const errorCapPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (response.body.kind !== "single") return;
        const result = response.body.singleResult;
        if (!result.errors) return;
        const shown = result.errors.slice(0, MAX_ERRORS_PER_RESPONSE).map((error) =>
          error.message.length > MAX_ERROR_MESSAGE_LENGTH ? { ...error, message: `${error.message.slice(0, MAX_ERROR_MESSAGE_LENGTH)}…` } : error,
        );
        const left = result.errors.length - shown.length;
        if (left > 0) {
          shown.push({
            message: `${left} more error${left === 1 ? "" : "s"} not shown (at most ${MAX_ERRORS_PER_RESPONSE} per response)`,
            extensions: { code: "TOO_MANY_ERRORS", omitted: left },
          });
        }
        (result as { errors?: typeof shown }).errors = shown;
      },
    };
  },
};
