import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../src/config.js";
import { type TestApi, createTestApi, errorCodes, useTestApi } from "./support/api.js";

/**
 * GRAPHQL_JIT=true (issue 11): queries compiled by graphql-jit answer exactly as graphql-js does —
 * data, errors and their codes, masking — through the same Apollo pipeline. Each operation runs
 * twice per side (the second time from the compiled cache) and the two sides are compared.
 */
const setup = useTestApi();
let jit: TestApi;

beforeAll(async () => {
  jit = await createTestApi(setup.database, parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", GRAPHQL_JIT: "true" }));
}, 120_000);
afterAll(async () => {
  await jit?.stop();
});

const operations: [string, string, Record<string, unknown>?][] = [
  ["a catalog page with relations, cursors and totalCount", `query ($n: Int) { catalog(first: $n) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name unitPrice validUntil imageUrls enterprise { name county { name } } originCounty { name } originVillage { name } beneficiaryHouseholdCount } } } }`, { n: 7 }],
  ["fragments, aliases and __typename", `{ c: catalog(first: 3) { nodes { ...P __typename } } } fragment P on Product { id supplier: enterprise { ... on Enterprise { name status } } }`],
  ["node and nodes (the Node interface's resolveType)", `{ catalog(first: 2) { nodes { id } } divisions(first: 3) { nodes { id name } } }`],
  ["a forged cursor: BAD_USER_INPUT from the resolver", `{ catalog(first: 2, after: "bm90LWEtY3Vyc29y") { edges { cursor } } }`],
  ["a query that needs a login: UNAUTHENTICATED", `{ consumptionProgress(year: 2020) { year } }`],
  ["a bad variable: graphql-js's BAD_USER_INPUT", `query ($n: Int) { catalog(first: $n) { totalCount } }`, { n: "many" }],
  ["an out-of-range page size", `{ catalog(first: 100000) { totalCount } }`],
  ["a non-null variable's default, the variable omitted", `query ($n: Int! = 2) { catalog(first: $n) { totalCount edges { cursor } } }`],
  ["a nullable variable's default, the variable omitted", `query ($n: Int = 3) { catalog(first: $n) { edges { cursor } } }`],
  ["a variable with a default, given null", `query ($n: Int = 3) { catalog(first: $n) { edges { cursor } } }`, { n: null }],
];

describe("graphql-jit executor", () => {
  it.each(operations)("%s: the same answer as graphql-js", async (_name, query, variables) => {
    const expected = await setup.api.run(query, variables);
    for (let i = 0; i < 2; i++) {
      const actual = await jit.run(query, variables);
      expect(actual.data).toEqual(expected.data);
      expect(actual.errors).toEqual(expected.errors);
      expect(actual.statements).toBe(expected.statements);
    }
  });

  it("answers nodes by global ID with their types, and null for what is not there", async () => {
    const page = await jit.run(`{ catalog(first: 2) { nodes { id } } }`);
    const ids = page.data.catalog.nodes.map((n: { id: string }) => n.id);
    const result = await jit.run(`query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, { ids: [...ids, "UHJvZHVjdDpiMDAwMDAwMC00MzMxLTQwMDAtYTAwMC0wMDAwMDAwMDA5OTk"] });
    expect(result.errors).toBeUndefined();
    expect(result.data.nodes).toEqual([...ids.map((id: string) => ({ __typename: "Product", id })), null]);
  });

  it("leaves mutations to graphql-js: userErrors as before", async () => {
    const mutation = `mutation { login(input: { username: "nobody", password: "wrong-password" }) { token userErrors { code field } } }`;
    const expected = await setup.api.run(mutation, undefined, { clientAddress: "192.0.2.77" });
    const actual = await jit.run(mutation, undefined, { clientAddress: "192.0.2.78" });
    expect(errorCodes(actual)).toEqual([]);
    expect(actual.data).toEqual(expected.data);
  });
});
