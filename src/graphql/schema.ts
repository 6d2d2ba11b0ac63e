import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { type NonEmptyArray, buildSchema } from "type-graphql";
import { authChecker } from "./auth.js";
import { UserError } from "./errors.js";
import { NodeResolver } from "./node.resolver.js";

/** The executable schema from the modules' resolvers (the composition root names them). */
export function buildApiSchema(resolvers: readonly Function[]): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [NodeResolver, ...resolvers] as unknown as NonEmptyArray<Function>,
    authChecker,
    authMode: "error",
    // UserError is part of the published contract before the first mutation uses it.
    orphanedTypes: [UserError],
    validate: false,
    emitSchemaFile: false,
  });
}
