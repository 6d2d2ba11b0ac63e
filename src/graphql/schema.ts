import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { CatalogResolver, EnterpriseProductsResolver } from "../modules/catalog/catalog.resolver.js";
import { EnterpriseResolver } from "../modules/enterprises/enterprise.resolver.js";
import { DivisionResolver } from "../modules/geography/division.resolver.js";
import { UserError } from "./errors.js";
import { NodeResolver } from "./node.resolver.js";

let built: Promise<GraphQLSchema> | undefined;

/** The executable schema, assembled from the modules' resolvers (built once per process). */
export function buildApiSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: [NodeResolver, DivisionResolver, EnterpriseResolver, CatalogResolver, EnterpriseProductsResolver],
    // UserError is part of the published contract before the first mutation uses it.
    orphanedTypes: [UserError],
    validate: false,
    emitSchemaFile: false,
  });
  return built;
}
