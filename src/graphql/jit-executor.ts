import type { ApolloServerOptionsWithGateway } from "@apollo/server";
import { type DocumentNode, type ExecutionResult, GraphQLError, type GraphQLSchema, Kind, type OperationDefinitionNode, execute, getVariableValues, valueFromASTUntyped } from "graphql";
import { type CompiledQuery, compileQuery, isCompiledQuery } from "graphql-jit";

/**
 * Queries run as code compiled for their document (graphql-jit) instead of graphql-js's generic
 * walk over the selection: per field, graphql-js looks up the definition, collects arguments, checks
 * for promises and builds path and info objects; the compiled function does what this document
 * needs and nothing else. Plugged into Apollo Server as its executor (the gateway interface), so
 * parsing, validation, the plugins (limits, input hygiene, outcome, availability, error cap),
 * error formatting and the HTTP layer's response cache stay as they are.
 *
 * Compiled queries are kept per parsed document (Apollo's document store hands the same
 * DocumentNode for the same text, and drops it when it evicts it) and operation. graphql-js runs
 * instead for mutations (rare; serial semantics kept exactly), introspection (its output must be
 * graphql-js's own), and any document graphql-jit cannot compile. Variables are coerced by graphql-js
 * first, so a bad variable fails with graphql-js's exact errors (Apollo's BAD_USER_INPUT detection
 * reads their text).
 *
 * A variable's default (`query ($ids: [ID!]! = ["…"])`) reaches graphql-jit as input: graphql-jit
 * 0.8 refuses an omitted non-null variable even when it has a default ("was not provided"), and
 * puts a nullable one's default in as JSON of its internal value (a DateTime as a string, not a
 * Date). An omitted variable with a default is given to it as the default literal's plain value,
 * which it then coerces as it coerces every input (graphql-js has already checked it).
 */

/** Apollo Server's gateway interface and its executor (named through @apollo/server's own types). */
type GatewayInterface = ApolloServerOptionsWithGateway<never>["gateway"];
type GatewayExecutor = NonNullable<Awaited<ReturnType<GatewayInterface["load"]>>["executor"]>;

/** A compiled operation and its variables' defaults as input values ([name, value]). */
interface CompiledOperation {
  query: CompiledQuery;
  defaults: [string, unknown][];
}

/** What a document compiles to per operation: the compiled query, or null where graphql-js runs. */
type Compiled = Map<string, CompiledOperation | null>;

export interface JitExecutor {
  executor: GatewayExecutor;
  /** Operations executed compiled and by graphql-js since start (tests, bench). */
  counts: { compiled: number; interpreted: number };
}

function selectsIntrospection(operation: OperationDefinitionNode): boolean {
  return operation.selectionSet.selections.some((s) => s.kind !== Kind.FIELD || s.name.value === "__schema" || s.name.value === "__type");
}

/**
 * graphql-jit's errors have `extensions` undefined when the thrown error had none (graphql-js's are
 * an empty object, and Apollo's error formatting reads `extensions.code` of every error): the same
 * error as graphql-js makes it (message, path, locations, the thrown error as `originalError`).
 */
function asGraphqlJsError(error: GraphQLError): GraphQLError {
  const copy = new GraphQLError(error.message, { path: error.path, originalError: error.originalError ?? undefined, extensions: error.extensions });
  (copy as { locations?: GraphQLError["locations"] }).locations = error.locations;
  return copy;
}

export function createJitExecutor(schema: GraphQLSchema): JitExecutor {
  const compiledByDocument = new WeakMap<DocumentNode, Compiled>();
  const counts = { compiled: 0, interpreted: 0 };

  const compiledFor = (document: DocumentNode, operation: OperationDefinitionNode, operationName: string | undefined): CompiledOperation | null => {
    let perOperation = compiledByDocument.get(document);
    if (!perOperation) {
      perOperation = new Map();
      compiledByDocument.set(document, perOperation);
    }
    const key = operationName ?? "";
    let compiled = perOperation.get(key);
    if (compiled === undefined) {
      compiled = null;
      // Fragments at the root (spreads, inline fragments) could hide introspection: graphql-js runs those.
      if (operation.operation === "query" && !selectsIntrospection(operation)) {
        try {
          const result = compileQuery(schema, document, operationName);
          if (isCompiledQuery(result)) {
            const defaults = (operation.variableDefinitions ?? []).flatMap((definition): [string, unknown][] =>
              definition.defaultValue ? [[definition.variable.name.value, valueFromASTUntyped(definition.defaultValue)]] : [],
            );
            compiled = { query: result, defaults };
          }
        } catch {
          compiled = null;
        }
      }
      perOperation.set(key, compiled);
    }
    return compiled;
  };

  const executor: GatewayExecutor = async (request) => {
    const { document, operation, operationName, context } = request;
    const variables = request.request.variables ?? {};
    const compiled = operation ? compiledFor(document, operation, operationName ?? undefined) : null;
    if (!compiled || !operation) {
      counts.interpreted += 1;
      return (await execute({ schema, document, contextValue: context, variableValues: variables, operationName: operationName ?? undefined })) as ExecutionResult;
    }
    if (operation.variableDefinitions?.length) {
      const coerced = getVariableValues(schema, operation.variableDefinitions, variables, { maxErrors: 50 });
      if (coerced.errors) return { errors: coerced.errors };
    }
    counts.compiled += 1;
    let inputs = variables;
    for (const [name, value] of compiled.defaults) {
      if (!Object.prototype.hasOwnProperty.call(inputs, name)) inputs = { ...inputs, [name]: value };
    }
    const result = (await compiled.query.query(undefined, context, inputs)) as ExecutionResult;
    return result.errors ? { ...result, errors: result.errors.map(asGraphqlJsError) } : result;
  };
  return { executor, counts };
}

/** Apollo Server's gateway option for a fixed schema run by `executor`. */
export function staticGateway(schema: GraphQLSchema, executor: GatewayExecutor): GatewayInterface {
  return {
    async load() {
      return { schema, executor };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: "" });
      return () => {};
    },
    async stop() {},
  };
}
