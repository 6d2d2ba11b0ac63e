import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { apiSchema } from "../src/app.js";
import { printApiSchema } from "../src/graphql/print-schema.js";

describe("published schema (schema/schema.graphql)", () => {
  it("matches the schema the code builds — run `npm run schema:emit` after changing the API", async () => {
    const published = await readFile(new URL("../schema/schema.graphql", import.meta.url), "utf8");
    expect(printApiSchema(await apiSchema())).toBe(published);
  });

  it("keeps the contract's names (API.md)", async () => {
    const sdl = printApiSchema(await apiSchema());
    for (const name of [
      "interface Node",
      "node(id: ID!): Node",
      "nodes(ids: [ID!]!): [Node]!",
      "catalog(",
      "productByCatalogNo(catalogNo: String!): Product",
      "scalar Decimal",
      "scalar Date",
      "scalar DateTime",
      "type UserError",
      "enum UserErrorCode",
      "type PageInfo",
    ]) {
      expect(sdl).toContain(name);
    }
  });
});
