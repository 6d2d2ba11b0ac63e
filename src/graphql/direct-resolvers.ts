import { type GraphQLFieldResolver, type GraphQLResolveInfo, type GraphQLSchema, isObjectType } from "graphql";
import { getMetadataStorage } from "type-graphql";

/**
 * type-graphql calls every `@FieldResolver` through a generic wrapper: per call it builds a
 * resolver-data object, looks the resolver instance up in its container, runs the middleware chain
 * (empty here), and then `getParams` sorts the parameter list (V8's sort copies it), maps it to an
 * array and tests each value for a promise. On a catalog page of 50 products that is 150 calls
 * (`id`, `enterprise`, `enterprise.county`) and about a fifth of the bytes a request allocates.
 *
 * For a field resolver with no middleware, no `@Authorized` roles and only `@Root()`, `@Ctx()` and
 * `@Info()` parameters (none of which type-graphql converts: a root parameter without a declared
 * class type is passed as it is), the wrapper does nothing but call the method: this replaces it
 * with a direct call of the same method on one instance of the resolver class (they hold no state;
 * type-graphql's default container also makes one per class), with the arguments in their declared
 * order. Any other field resolver (arguments to convert, roles, middleware, a custom parameter
 * decorator, a class with constructor parameters) keeps type-graphql's wrapper. Must run on the
 * schema built from `resolvers` with no global middleware (schema.ts).
 */

type Parameter = { kind: string; index: number; propertyName?: string; getType?: unknown };
type FieldResolverMetadata = {
  kind: "internal" | "external";
  target: new (...args: never[]) => Record<string, unknown>;
  methodName: string;
  params?: Parameter[];
  roles?: unknown[];
  middlewares?: unknown[];
  getObjectType?: () => Function;
};
type FieldMetadata = { name: string; schemaName: string; target: Function };
type ObjectTypeMetadata = { name: string; fields?: FieldMetadata[] };

type Reader = (root: unknown, context: Record<string, unknown>, info: GraphQLResolveInfo) => unknown;

function readerOf(parameter: Parameter): Reader | undefined {
  const property = parameter.propertyName;
  switch (parameter.kind) {
    case "root":
      if (parameter.getType) return undefined; // converted to a class instance by type-graphql
      return property ? (root) => (root as Record<string, unknown>)[property] : (root) => root;
    case "context":
      return property ? (_root, context) => context[property] : (_root, context) => context;
    case "info":
      return (_root, _context, info) => info;
    default:
      return undefined;
  }
}

/** The direct call of `definition`'s method, or undefined when type-graphql's wrapper does more than call it. */
function directResolver(definition: FieldResolverMetadata, instances: Map<Function, Record<string, unknown>>): GraphQLFieldResolver<unknown, Record<string, unknown>> | undefined {
  if (definition.kind !== "external" || definition.roles !== undefined || (definition.middlewares?.length ?? 0) > 0) return undefined;
  const target = definition.target;
  if (target.length > 0) return undefined;
  const parameters = [...(definition.params ?? [])].sort((a, b) => a.index - b.index);
  if (parameters.some((parameter, i) => parameter.index !== i)) return undefined;
  const readers = parameters.map(readerOf);
  if (!readers.every((reader): reader is Reader => reader !== undefined)) return undefined;
  let instance = instances.get(target);
  if (!instance) {
    instance = new target();
    instances.set(target, instance);
  }
  const self = instance;
  const method = self[definition.methodName];
  if (typeof method !== "function") return undefined;
  const call = method as (...args: unknown[]) => unknown;
  const [a, b, c] = readers;
  switch (readers.length) {
    case 0:
      return () => call.call(self);
    case 1:
      return (root, _args, context, info) => call.call(self, a!(root, context, info));
    case 2:
      return (root, _args, context, info) => call.call(self, a!(root, context, info), b!(root, context, info));
    case 3:
      return (root, _args, context, info) => call.call(self, a!(root, context, info), b!(root, context, info), c!(root, context, info));
    default:
      return (root, _args, context, info) => call.apply(self, readers.map((read) => read(root, context, info)));
  }
}

/**
 * Replaces type-graphql's wrapper by a direct call on every object field whose resolver qualifies
 * (see above); returns the fields replaced, as `Type.field`.
 */
export function useDirectFieldResolvers(schema: GraphQLSchema, resolvers: readonly Function[]): string[] {
  const storage = getMetadataStorage() as unknown as { objectTypes: ObjectTypeMetadata[]; fieldResolvers: FieldResolverMetadata[] };
  const objectTypes = new Map(storage.objectTypes.map((metadata) => [metadata.name, metadata]));
  // As type-graphql picks a field's resolver (schema-generator.js): the first of the built resolver
  // classes' field resolvers for the field's declaring class and property.
  const candidates = storage.fieldResolvers.filter((definition) => definition.kind === "internal" || resolvers.includes(definition.target));
  const instances = new Map<Function, Record<string, unknown>>();
  const replaced: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    const metadata = objectTypes.get(type.name);
    if (!metadata?.fields) continue;
    for (const field of Object.values(type.getFields())) {
      if (!field.resolve) continue;
      // the type's own declaration of the field (the one type-graphql's fields map keeps)
      const declared = metadata.fields.filter((f) => f.schemaName === field.name).at(-1);
      if (!declared) continue;
      const definition = candidates.find((d) => d.getObjectType?.() === declared.target && d.methodName === declared.name);
      if (!definition) continue;
      const direct = directResolver(definition, instances);
      if (!direct) continue;
      field.resolve = direct;
      replaced.push(`${type.name}.${field.name}`);
    }
  }
  return replaced;
}
