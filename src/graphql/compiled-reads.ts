import {
  type DocumentNode,
  type FieldNode,
  GraphQLError,
  type GraphQLField,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type VariableDefinitionNode,
  getArgumentValues,
  getVariableValues,
  parse,
  validate,
} from "graphql";
import { isDatabaseUnavailable } from "../db/errors.js";
import { ForbiddenError, InvalidArgumentError, UnauthenticatedError, UserFacingError, UserFacingErrors } from "../errors.js";
import type { RequestContext } from "./context.js";
import { findUnsafeLiteral, findUnsafeValue } from "./input-hygiene.js";
import { type QueryLimits, measureOperation } from "./limits.js";

/**
 * Compiled reads: the hottest read shapes (a partner paging the catalog) answered without graphql
 * execution. A module compiles a root field's selection once per query text into one SQL statement
 * reading just the selected columns and a writer that strings each row's JSON together as Apollo
 * would have written it. No resolver runs, no row becomes a typed object.
 *
 * Only what is certainly the same as Apollo's answer is answered here. Anything else, and any
 * failure at all (a bad cursor, a refused filter, a lost connection), goes to Apollo, which
 * answers it in full — errors included — exactly as before: this path never writes an error. An
 * unreachable database is thrown to the HTTP layer, which retries the read once through Apollo.
 * What it covers: one query operation, one root field of a module that compiles it, plain fields
 * (aliases and __typename; no fragments, no directives), variables coerced as graphql coerces them,
 * the same validation, input hygiene and query limits (and their `extensions.cost`) as Apollo's.
 */

/** A root field's value as JSON text, for its coerced arguments; throws on anything but success. */
export type FieldAnswer = (args: Record<string, unknown>, context: RequestContext) => Promise<string>;

/** A module's compiler of one root query field: undefined when the selection is not one it covers. */
export type RootFieldCompiler = (field: FieldNode, schema: GraphQLSchema) => FieldAnswer | undefined;

interface Plan {
  operation: OperationDefinitionNode;
  operationName: string | null;
  variables: readonly VariableDefinitionNode[];
  field: FieldNode;
  fieldDefinition: GraphQLField<unknown, unknown>;
  responseKey: string;
  answer: FieldAnswer;
}

/**
 * The plain fields of a selection set by response key, or undefined when it holds anything else:
 * fragments, directives, or one response key twice (graphql would merge them).
 */
export function plainFields(set: SelectionSetNode | undefined): Map<string, FieldNode> | undefined {
  if (!set) return undefined;
  const fields = new Map<string, FieldNode>();
  for (const selection of set.selections) {
    if (selection.kind !== Kind.FIELD || (selection.directives && selection.directives.length > 0)) return undefined;
    const key = selection.alias?.value ?? selection.name.value;
    if (fields.has(key)) return undefined;
    fields.set(key, selection);
  }
  return fields;
}

/** Whether a field has no arguments and no selection (a leaf read as it is). */
export const isBareLeaf = (field: FieldNode) => !field.selectionSet && (field.arguments?.length ?? 0) === 0;

const MAX_PLANS = 500;

const isCallerError = (error: unknown) =>
  error instanceof InvalidArgumentError ||
  error instanceof UserFacingError ||
  error instanceof UserFacingErrors ||
  error instanceof ForbiddenError ||
  error instanceof UnauthenticatedError ||
  (error instanceof GraphQLError && error.extensions?.code === "BAD_USER_INPUT");

export interface CompiledReadsOptions {
  schema: GraphQLSchema;
  /** the root query fields some module compiles */
  roots: Readonly<Record<string, RootFieldCompiler>>;
  limits: QueryLimits;
  /** as Apollo's parseOptions.maxTokens */
  maxTokens: number;
}

interface RequestBody {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
  extensions?: unknown;
}

export class CompiledReads {
  /** query text → its plan, or null when it is not covered (Apollo answers it) */
  private readonly plans = new Map<string, Plan | null>();

  constructor(private readonly options: CompiledReadsOptions) {}

  /**
   * The whole response body for a POSTed JSON request that this path covers, or undefined: then the
   * caller hands the request to Apollo. Throws only when the database is unreachable (the caller
   * retries the read once through Apollo, as it retries Apollo's own reads).
   */
  async answer(context: RequestContext, body: unknown): Promise<string | undefined> {
    if (body === null || typeof body !== "object" || Array.isArray(body)) return undefined;
    const { query, variables, operationName, extensions } = body as RequestBody;
    if (typeof query !== "string" || extensions !== undefined) return undefined;
    if (variables != null && (typeof variables !== "object" || Array.isArray(variables))) return undefined;
    if (operationName != null && typeof operationName !== "string") return undefined;
    const plan = this.planOf(query);
    if (!plan || (operationName != null && operationName !== plan.operationName)) return undefined;
    const raw = (variables ?? {}) as Record<string, unknown>;
    if (findUnsafeValue(raw, "variables") !== undefined) return undefined;
    const coerced = getVariableValues(this.options.schema, plan.variables, raw, { maxErrors: 1 });
    if (coerced.errors) return undefined;
    const { limits, schema } = this.options;
    const measure = measureOperation(schema, plan.operation, {}, raw);
    if (measure.depth > limits.maxDepth || measure.aliases > limits.maxAliases || measure.cost > limits.maxCost) return undefined;
    let value: string;
    try {
      const args = getArgumentValues(plan.fieldDefinition, plan.field, coerced.coerced);
      value = await plan.answer(args, context);
    } catch (error) {
      // An unreachable database is the caller's to handle (one retry, then 503), as for Apollo's reads.
      if (isDatabaseUnavailable(error)) throw error;
      // Apollo answers instead, and reports what the caller did wrong. Anything else is a fault of
      // this path: logged, so a path that always falls back does not go unseen.
      if (!isCallerError(error)) context.logger.warn({ err: error, operationName: plan.operationName?.slice(0, 100) }, "compiled read failed; Apollo answers");
      return undefined;
    }
    context.outcome.compiled = true;
    context.outcome.operationName = plan.operationName;
    context.outcome.operation = { type: "query", name: plan.operationName };
    const cost = { requested: measure.cost, limit: limits.maxCost, depth: measure.depth };
    // As Apollo writes it (runHttpQuery: errors, data, extensions; JSON.stringify + "\n").
    return `{"data":{${JSON.stringify(plan.responseKey)}:${value}},"extensions":{"cost":${JSON.stringify(cost)}}}\n`;
  }

  private planOf(query: string): Plan | null {
    let plan = this.plans.get(query);
    if (plan === undefined) {
      plan = this.compile(query);
      if (this.plans.size >= MAX_PLANS) this.plans.clear();
      this.plans.set(query, plan);
    }
    return plan;
  }

  private compile(query: string): Plan | null {
    const { schema, roots, maxTokens } = this.options;
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens });
    } catch {
      return null;
    }
    if (document.definitions.length !== 1) return null;
    const operation = document.definitions[0]!;
    if (operation.kind !== Kind.OPERATION_DEFINITION || operation.operation !== "query") return null;
    if ((operation.directives?.length ?? 0) > 0 || (operation.variableDefinitions ?? []).some((v) => (v.directives?.length ?? 0) > 0)) return null;
    if (validate(schema, document).length > 0 || findUnsafeLiteral(document) !== undefined) return null;
    const rootFields = plainFields(operation.selectionSet);
    if (!rootFields || rootFields.size !== 1) return null;
    const [[responseKey, field]] = [...rootFields];
    const compiler = Object.hasOwn(roots, field.name.value) ? roots[field.name.value] : undefined;
    const fieldDefinition = schema.getQueryType()?.getFields()[field.name.value];
    if (!compiler || !fieldDefinition) return null;
    const answer = compiler(field, schema);
    if (!answer) return null;
    return {
      operation,
      operationName: operation.name?.value ?? null,
      variables: operation.variableDefinitions ?? [],
      field,
      fieldDefinition,
      responseKey,
      answer,
    };
  }
}
