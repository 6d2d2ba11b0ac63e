import "reflect-metadata";
import { type GraphQLSchema, isInterfaceType } from "graphql";
import { type NonEmptyArray, buildSchema } from "type-graphql";
import { authChecker } from "./auth.js";
import { useDirectFieldResolvers } from "./direct-resolvers.js";
import { UserError } from "./errors.js";
import { NodeResolver } from "./node.resolver.js";
import { nodeTypeName } from "./node.js";

/** The executable schema from the modules' resolvers (the composition root names them). */
export async function buildApiSchema(resolvers: readonly Function[]): Promise<GraphQLSchema> {
  const built = [NodeResolver, ...resolvers];
  const schema = await buildSchema({
    resolvers: built as unknown as NonEmptyArray<Function>,
    authChecker,
    authMode: "error",
    // UserError is part of the published contract before the first mutation uses it.
    orphanedTypes: [UserError],
    validate: false,
    emitSchemaFile: false,
  });
  // type-graphql wraps resolveType in an async function; graphql-jit (jit-executor.ts) needs the
  // type's name synchronously, as graphql-js also accepts it.
  const node = schema.getType("Node");
  if (isInterfaceType(node)) node.resolveType = nodeTypeName;
  // Field resolvers without middleware, roles or converted arguments: called directly, without
  // type-graphql's per-call wrapper (no global middleware is configured above).
  useDirectFieldResolvers(schema, built);
  return schema;
}
