import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { printApiSchema } from "../src/graphql/print-schema.js";

describe("published schema (schema/schema.graphql)", () => {
  it("matches the schema the code builds — run `npm run schema:emit` after changing the API", async () => {
    const published = await readFile(new URL("../schema/schema.graphql", import.meta.url), "utf8");
    expect(await printApiSchema()).toBe(published);
  });

  it("keeps the contract's names (API.md)", async () => {
    const sdl = await printApiSchema();
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
