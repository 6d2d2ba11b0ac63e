import {
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
} from "graphql";

/**
 * Walks the SDL for every argument and (nested) input field of type ID on Query and Mutation,
 * and builds minimal valid arguments around one of them. Used by test/id-inputs.test.ts, so a new
 * operation with an ID input is tested without anyone listing it.
 */

/** The expected type of an ID that may name an object of any type (`node(id:)`, audit entries). */
export const ANY_TYPE = "(any type)";

/**
 * IDs the naming rule cannot map by itself (`<type>Id`, `<type>Ids`, `<query>(id)`). Key: the
 * coordinate, `InputType.field` or `Root.field(argument)`.
 */
export const idTypeOverrides: Record<string, string> = {
  "Query.node(id)": ANY_TYPE,
  "Query.nodes(ids)": ANY_TYPE,
  "AuditLogFilter.entityId": ANY_TYPE,
  "AuditLogFilter.actorUserId": "User",
  "BudgetUnitFilter.parentId": "BudgetUnit",
  "CreateBudgetUnitInput.parentId": "BudgetUnit",
  "UpdateBudgetUnitInput.parentId": "BudgetUnit",
  "ResolveDataQualityIssueInput.issueId": "DataQualityIssue",
  "MarkNotificationsReadInput.ids": "Notification",
  "ReportSalesInput.corrects": "SalesReport",
  "Query.webhookDeliveries(subscriptionId)": "WebhookSubscription",
  "DeleteWebhookSubscriptionInput.subscriptionId": "WebhookSubscription",
  "EnableWebhookSubscriptionInput.subscriptionId": "WebhookSubscription",
  "RedeliverWebhookInput.deliveryId": "WebhookDelivery",
};

export interface IdArgument {
  operation: "query" | "mutation";
  /** the root field, e.g. reservePurchase */
  field: string;
  /** from the root field's argument down, e.g. ["input", "productId"] */
  path: string[];
  /** `InputType.field` or `Root.field(argument)` */
  coordinate: string;
  /** [ID!]: the tested value is sent as a one-element list */
  list: boolean;
  /** a type name, ANY_TYPE, or undefined when neither the rule nor the overrides map it */
  expected: string | undefined;
}

/** Object types whose objects carry a global ID (an `id: ID!` field). */
export function identifiedTypes(schema: GraphQLSchema): Set<string> {
  const names = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    const id = type.getFields().id;
    if (id && getNamedType(id.type).name === "ID") names.add(type.name);
  }
  return names;
}

const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/** The naming rule: `productId`/`productIds` → Product, `<query>(id)` → the query's type; then overrides. */
export function expectedIdType(coordinate: string, name: string, rootField: string, known: Set<string>): string | undefined {
  if (Object.hasOwn(idTypeOverrides, coordinate)) return idTypeOverrides[coordinate];
  const stem = /^(.+?)Ids?$/.exec(name)?.[1];
  if (stem && known.has(pascal(stem))) return pascal(stem);
  if (name === "id" && coordinate.startsWith("Query.") && known.has(pascal(rootField))) return pascal(rootField);
  return undefined;
}

/** Every ID argument and input field reachable from Query and Mutation. */
export function idArguments(schema: GraphQLSchema): IdArgument[] {
  const known = identifiedTypes(schema);
  const found: IdArgument[] = [];
  const roots = [
    ["query", schema.getQueryType()],
    ["mutation", schema.getMutationType()],
  ] as const;
  for (const [operation, root] of roots) {
    if (!root) continue;
    for (const field of Object.values(root.getFields())) {
      for (const argument of field.args) {
        const visit = (type: GraphQLInputType, path: string[], coordinate: string, name: string, seen: Set<string>) => {
          const named = getNamedType(type);
          if (named.name === "ID") {
            const list = isListType(isNonNullType(type) ? type.ofType : type);
            found.push({ operation, field: field.name, path, coordinate, list, expected: expectedIdType(coordinate, name, field.name, known) });
          } else if (isInputObjectType(named) && !seen.has(named.name)) {
            for (const inner of Object.values(named.getFields())) {
              visit(inner.type, [...path, inner.name], `${named.name}.${inner.name}`, inner.name, new Set([...seen, named.name]));
            }
          }
        };
        visit(argument.type, [argument.name], `${root.name}.${field.name}(${argument.name})`, argument.name, new Set());
      }
    }
  }
  return found;
}

export interface FillRules {
  /** a real ID for an ID field that is not the tested one (same naming rule); `path` from the argument */
  id(coordinate: string, name: string, path: string[]): Promise<string>;
  /** a plausible value of a String, Int … field, by its name */
  scalar(typeName: string, name: string): unknown;
  /** values fixed for this operation (by input field name), winning over "first enum value" and co. */
  fixed: Record<string, unknown>;
  /** optional input fields the operation needs anyway (e.g. createBenefitLink's household) */
  alsoFill: string[];
}

/**
 * The root field's arguments: the tested ID field set to `tested` (a list of it for [ID!]), every
 * other required argument or input field filled with a valid value of its type.
 */
export async function argumentsAround(field: GraphQLField<unknown, unknown>, target: IdArgument, tested: string, rules: FillRules): Promise<Record<string, unknown>> {
  const onTargetPath = (path: string[]) => path.every((part, i) => target.path[i] === part);

  const valueFor = async (type: GraphQLInputType, path: string[], coordinate: string, name: string): Promise<unknown> => {
    if (path.length === target.path.length && onTargetPath(path)) return target.list ? [tested] : tested;
    const inner = isNonNullType(type) ? type.ofType : type;
    if (isListType(inner)) return [await valueFor(inner.ofType, [...path, "0"], coordinate, name)];
    const named = getNamedType(inner);
    if (isInputObjectType(named)) {
      const value: Record<string, unknown> = {};
      for (const f of Object.values(named.getFields())) {
        const fieldPath = [...path, f.name];
        const needed = onTargetPath(fieldPath) || (isNonNullType(f.type) && f.defaultValue === undefined) || rules.alsoFill.includes(f.name);
        if (Object.hasOwn(rules.fixed, f.name) && !onTargetPath(fieldPath)) value[f.name] = rules.fixed[f.name];
        else if (needed) value[f.name] = await valueFor(f.type, fieldPath, `${named.name}.${f.name}`, f.name);
      }
      return value;
    }
    if (isEnumType(named)) return named.getValues()[0]!.value;
    if (named.name === "ID") return rules.id(coordinate, name, path);
    return rules.scalar(named.name, name);
  };

  const args: Record<string, unknown> = {};
  for (const argument of field.args) {
    const path = [argument.name];
    if (onTargetPath(path) || (isNonNullType(argument.type) && argument.defaultValue === undefined)) {
      args[argument.name] = await valueFor(argument.type, path, `${target.operation === "query" ? "Query" : "Mutation"}.${field.name}(${argument.name})`, argument.name);
    }
  }
  return args;
}

/** A selection that resolves the field cheaply: a payload's userErrors, a connection's nodes, or __typename. */
export function selectionFor(type: GraphQLNamedType): string {
  if (!isObjectType(type) && !isInterfaceType(type)) return "";
  const fields = type.getFields();
  if (fields.userErrors) return "{ __typename userErrors { code field message } }";
  if (fields.nodes && fields.pageInfo) return "{ nodes { __typename } }";
  return "{ __typename }";
}

/** `query ($a: T!, …) { field(a: $a, …) { … } }` for the given argument values. */
export function operationText(operation: "query" | "mutation", field: GraphQLField<unknown, unknown>, args: Record<string, unknown>): string {
  const used = field.args.filter((a) => Object.hasOwn(args, a.name));
  const definitions = used.map((a) => `$${a.name}: ${String(a.type)}`).join(", ");
  const call = used.length ? `(${used.map((a) => `${a.name}: $${a.name}`).join(", ")})` : "";
  return `${operation}${definitions ? ` (${definitions})` : ""} { ${field.name}${call} ${selectionFor(getNamedType(field.type))} }`;
}
