import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { toGlobalId } from "../src/graphql/global-id.js";
import { encodeCursor } from "../src/db/keyset.js";
import { createTestApi, errorCodes, testConfig, useTestApi } from "./support/api.js";
import { openTestDatabase } from "./support/database.js";

const setup = useTestApi({ callers: false });

describe("bad input gets a coded error, never INTERNAL_SERVER_ERROR", () => {
  const uuid = "b0000000-4331-4000-a000-000000000033";
  const cases: [string, string, Record<string, unknown>?][] = [
    ["first: 101", "{ catalog(first: 101) { totalCount } }"],
    ["last: 101", "{ catalog(last: 101) { totalCount } }"],
    ["first and last together", "{ catalog(first: 1, last: 1) { totalCount } }"],
    ["a malformed cursor", '{ catalog(first: 5, after: "not-a-cursor!") { totalCount } }'],
    ["a cursor of another order", "query ($c: String) { catalog(first: 5, after: $c, orderBy: {field: NAME}) { totalCount } }", { c: encodeCursor("UNIT_PRICE", "1.00", uuid) }],
    ["a malformed ID", '{ product(id: "%%%") { name } }'],
    ["an ID of an unknown type", "query ($id: ID!) { node(id: $id) { id } }", { id: Buffer.from(`Farmer:${uuid}`).toString("base64url") }],
    ["a foreign ID (a division's ID for a product)", "query ($id: ID!) { product(id: $id) { name } }", { id: toGlobalId("Division", "433124") }],
    ["minPrice: \"-1\"", '{ catalog(filter: {minPrice: "-1"}) { totalCount } }'],
    ["minPrice as a variable", "query ($f: CatalogFilter) { catalog(filter: $f) { totalCount } }", { f: { minPrice: "-1" } }],
    ["a price that is not a number", "query ($f: CatalogFilter) { catalog(filter: $f) { totalCount } }", { f: { maxPrice: "十元" } }],
    ["minPrice above maxPrice", '{ catalog(filter: {minPrice: "100", maxPrice: "10"}) { totalCount } }'],
    ["a county code that is not a county", '{ catalog(filter: {countyCode: "433199"}) { totalCount } }'],
    ["a village code as county", '{ catalog(filter: {countyCode: "433124103201"}) { totalCount } }'],
    ["an empty search", '{ catalog(filter: {search: "  "}) { totalCount } }'],
    ["a bad updatedSince", '{ catalog(filter: {updatedSince: "yesterday"}) { totalCount } }'],
    ["a malformed division code", '{ division(code: "湘西") { name } }'],
    ["too many IDs for nodes", "query ($ids: [ID!]!) { nodes(ids: $ids) { id } }", { ids: Array.from({ length: 101 }, () => toGlobalId("Division", "433100")) }],
    ["a bad page size on a nested list", "{ enterprises(first: 2) { edges { node { products(first: 500) { totalCount } } } } }"],
  ];

  it.each(cases)("%s", async (_name, query, variables) => {
    const result = await setup.api.run(query, variables);
    expect(result.errors?.length).toBeGreaterThan(0);
    const codes = errorCodes(result);
    expect(codes).not.toContain("INTERNAL_SERVER_ERROR");
    expect(codes.every((c) => c === "BAD_USER_INPUT" || c === "GRAPHQL_VALIDATION_FAILED")).toBe(true);
    const text = JSON.stringify(result.errors);
    expect(text).not.toMatch(/select |from "|stack|at .*\.ts:|Drizzle|postgres/i);
  });

  it("names the argument and the limit", async () => {
    const result = await setup.api.run("{ catalog(first: 101) { totalCount } }");
    expect(result.errors![0]!.message).toContain("100");
    expect(result.errors![0]!.extensions?.argument).toBe("first");
  });
});

describe("masking unexpected failures", () => {
  it("hides driver errors behind INTERNAL_SERVER_ERROR", async () => {
    const broken = await openTestDatabase({ seed: false });
    const brokenApi = await createTestApi(broken.database);
    // The database answers, but every catalog statement fails inside it (42P01). (A closed or
    // unreachable database is an outage instead: SERVICE_UNAVAILABLE, test/outage.test.ts.)
    await broken.database.rows(sql`drop table products cascade`);
    try {
      const result = await brokenApi.run("{ catalog(first: 1) { totalCount } }");
      expect(errorCodes(result)).toEqual(["INTERNAL_SERVER_ERROR"]);
      expect(result.errors![0]!.message).toBe("Internal server error");
      expect(JSON.stringify(result.errors)).not.toMatch(/stack|products|relation|exist|select|pglite|postgres/i);
    } finally {
      await brokenApi.stop();
      await broken.drop().catch(() => {});
    }
  });
});

describe("operation limits", () => {
  it("reports the cost of an operation in extensions.cost", async () => {
    const result = await setup.api.run("{ catalog(first: 10) { edges { node { name enterprise { name } } } } }");
    expect(result.errors).toBeUndefined();
    // 1 (catalog) + 10 × (edges 1 + node 1 + name 1 + enterprise (1 + name 1))
    expect(result.extensions?.cost).toMatchObject({ requested: 1 + 10 * 5, limit: testConfig.MAX_QUERY_COST });
  });

  it("costs lists by first/last, also given as variables", async () => {
    const small = await setup.api.run("query ($n: Int) { catalog(first: $n) { nodes { name } } }", { n: 2 });
    const large = await setup.api.run("query ($n: Int) { catalog(first: $n) { nodes { name } } }", { n: 100 });
    expect((small.extensions?.cost as { requested: number }).requested).toBe(1 + 2 * 2);
    expect((large.extensions?.cost as { requested: number }).requested).toBe(1 + 100 * 2);
  });

  it("refuses a too-costly query, naming the limit and its value", async () => {
    const result = await setup.api.run(
      "{ enterprises(first: 100) { edges { node { products(first: 100) { edges { node { name originCounty { name } } } } } } } }",
    );
    expect(result.data).toBeUndefined();
    expect(errorCodes(result)).toEqual(["QUERY_TOO_COSTLY"]);
    expect(result.errors![0]!.message).toContain(String(testConfig.MAX_QUERY_COST));
    expect(result.statements).toBe(0);
  });

  it("refuses a too-deep query", async () => {
    const deep = "{ division(code: \"433124103201\") { parent { parent { parent { parent { parent { parent { parent { parent { parent { name } } } } } } } } } } }";
    const result = await setup.api.run(deep);
    expect(errorCodes(result)).toEqual(["QUERY_TOO_DEEP"]);
    expect(result.errors![0]!.message).toMatch(new RegExp(`depth is 11, over the limit of ${testConfig.MAX_QUERY_DEPTH}`));
    expect(result.statements).toBe(0);
  });

  it("refuses a query aliased to death", async () => {
    const fields = Array.from({ length: 200 }, (_, i) => `a${i}: division(code: "433100") { name }`).join(" ");
    const result = await setup.api.run(`{ ${fields} }`);
    expect(errorCodes(result)).toEqual(["TOO_MANY_ALIASES"]);
    expect(result.errors![0]!.message).toContain(`over the limit of ${testConfig.MAX_QUERY_ALIASES}`);
  });

  it("counts fragments where they are used", async () => {
    const result = await setup.api.run(
      "query { catalog(first: 100) { ...deep } } fragment deep on ProductConnection { edges { node { enterprise { products(first: 100) { nodes { name } } } } } }",
    );
    expect(errorCodes(result)).toEqual(["QUERY_TOO_COSTLY"]);
  });

  it("refuses an operation with too many tokens, naming the limit", async () => {
    const names = Array.from({ length: testConfig.MAX_QUERY_TOKENS }, () => "name").join(" ");
    const result = await setup.api.run(`{ division(code: "433100") { ${names} } }`);
    expect(result.errors![0]!.message).toMatch(new RegExp(`more tha[nt] ${testConfig.MAX_QUERY_TOKENS} tokens`) /* graphql-js spells it "more that" */);
    expect(errorCodes(result)).toEqual(["GRAPHQL_PARSE_FAILED"]);
  });

  it("still answers the standard introspection query (partners build against it)", async () => {
    const { getIntrospectionQuery } = await import("graphql");
    const result = await setup.api.run(getIntrospectionQuery());
    expect(result.errors).toBeUndefined();
    expect(result.data.__schema.queryType.name).toBe("Query");
  });
});
