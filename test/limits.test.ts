import { getIntrospectionQuery } from "graphql";
import { describe, expect, it } from "vitest";
import { toGlobalId } from "../src/graphql/global-id.js";
import { MAX_ERRORS_PER_RESPONSE } from "../src/graphql/limits.js";
import { errorCodes, testConfig, useTestApi } from "./support/api.js";

const setup = useTestApi({ callers: false });

const costOf = (result: { extensions?: Record<string, unknown> }) => (result.extensions?.cost as { requested: number } | undefined)?.requested;
const refusedValue = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) =>
  (result.errors?.[0]?.extensions?.limit as { value: number } | undefined)?.value;

describe("introspection counts toward the limits", () => {
  it("refuses 250 aliased __schema { types { fields { args } } } (aliases)", async () => {
    const copies = Array.from({ length: 250 }, (_, i) => `s${i}: __schema { types { fields { args { name } } } }`).join(" ");
    const result = await setup.api.run(`{ ${copies} }`);
    expect(result.data).toBeUndefined();
    expect(errorCodes(result)).toEqual(["TOO_MANY_ALIASES"]);
    expect(refusedValue(result)).toBe(250);
    expect(JSON.stringify(result).length).toBeLessThan(2_000);
  });

  it("costs introspection: one standard introspection query fits, two do not", async () => {
    const one = await setup.api.run(getIntrospectionQuery());
    expect(one.errors).toBeUndefined();
    const options = { descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true };
    expect((await setup.api.run(getIntrospectionQuery(options))).errors).toBeUndefined();
    expect(costOf(one)).toBeGreaterThan(1_000);
    expect(costOf(one)).toBeLessThanOrEqual(testConfig.MAX_QUERY_COST);
    // The same query asking for the schema twice, under two aliases.
    const query = getIntrospectionQuery();
    const fragments = query.indexOf("fragment FullType");
    const operation = query.slice(0, fragments).trimEnd();
    const schemaSelection = operation.slice(operation.indexOf("__schema"), -1);
    const twice = `${operation.slice(0, -1).replace("__schema", "a: __schema")} b: ${schemaSelection} }\n${query.slice(fragments)}`;
    const result = await setup.api.run(twice);
    expect(errorCodes(result)).toEqual(["QUERY_TOO_COSTLY"]);
    expect(refusedValue(result)).toBeGreaterThan(testConfig.MAX_QUERY_COST);
  });

  it("costs a nested introspection fan-out", async () => {
    const result = await setup.api.run("{ a: __schema { types { fields { args { name } } } } b: __schema { types { fields { args { name } } } } }");
    expect(result.errors).toBeUndefined();
    // 2 × __schema (1 + types (1 + 5 × fields (1 + 5 × args (1 + 5 × name 1)))), introspection lists as 5 items
    expect(costOf(result)).toBe(2 * (1 + (1 + 5 * (1 + 5 * (1 + 5 * 1)))));
    const many = Array.from({ length: 30 }, (_, i) => `s${i}: __schema { types { fields { args { type { fields { name } } } } } }`).join(" ");
    const refused = await setup.api.run(`{ ${many} }`);
    expect(errorCodes(refused)).toEqual(["QUERY_TOO_COSTLY"]);
  });

  it("counts introspection depth (ofType chains excepted)", async () => {
    // (graphql's own rule refuses 3 nested fields/inputFields/interfaces/possibleTypes lists; this has 2)
    const deep = "{ __schema { directives { args { type { inputFields { type { fields { args { type { enumValues { name } } } } } } } } } } }";
    const result = await setup.api.run(deep);
    expect(errorCodes(result), JSON.stringify(result.errors)).toEqual(["QUERY_TOO_DEEP"]);
    expect(refusedValue(result)).toBe(11);
  });

  it("counts __type like __schema", async () => {
    const copies = Array.from({ length: 40 }, (_, i) => `t${i}: __type(name: "Query") { name }`).join(" ");
    expect(errorCodes(await setup.api.run(`{ ${copies} }`))).toEqual(["TOO_MANY_ALIASES"]);
  });
});

describe("cost uses variable values and defaults", () => {
  const nested = (first: string) => `enterprises(first: ${first}) { nodes { products(first: ${first}) { nodes { name } } } }`;

  it("a default of 100 costs what the literal 100 costs (refused alike)", async () => {
    const literal = await setup.api.run(`{ ${nested("100")} }`);
    const byDefault = await setup.api.run(`query ($n: Int = 100) { ${nested("$n")} }`);
    const byValue = await setup.api.run(`query ($n: Int) { ${nested("$n")} }`, { n: 100 });
    expect(errorCodes(literal)).toEqual(["QUERY_TOO_COSTLY"]);
    expect(errorCodes(byDefault)).toEqual(["QUERY_TOO_COSTLY"]);
    expect(errorCodes(byValue)).toEqual(["QUERY_TOO_COSTLY"]);
    expect(refusedValue(byDefault)).toBe(refusedValue(literal));
    expect(refusedValue(byValue)).toBe(refusedValue(literal));
  });

  it("a value given overrides the default; an explicit null means the default page", async () => {
    const small = await setup.api.run(`query ($n: Int = 100) { catalog(first: $n) { nodes { name } } }`, { n: 2 });
    expect(costOf(small)).toBe(1 + 2 * 2);
    const none = await setup.api.run(`query ($n: Int = 100) { catalog(first: $n) { nodes { name } } }`, { n: null });
    expect(costOf(none)).toBe(1 + 20 * 2);
  });

  it("nodes(ids: $ids) with 100 IDs costs what the literal list costs", async () => {
    const ids = Array.from({ length: 100 }, () => toGlobalId("Division", "433100"));
    const select = "id ... on Division { name children { name } }";
    const byVariable = await setup.api.run(`query ($ids: [ID!]!) { nodes(ids: $ids) { ${select} } }`, { ids });
    const literal = await setup.api.run(`{ nodes(ids: [${ids.map((id) => JSON.stringify(id)).join(", ")}]) { ${select} } }`);
    expect(literal.errors).toBeUndefined();
    expect(byVariable.errors).toBeUndefined();
    expect(costOf(byVariable)).toBe(costOf(literal));
    expect(costOf(byVariable)).toBeGreaterThan(100 * 20);
  });

  it("a default list for ids is costed by its length", async () => {
    const ids = Array.from({ length: 50 }, () => JSON.stringify(toGlobalId("Division", "433100"))).join(", ");
    const result = await setup.api.run(`query ($ids: [ID!]! = [${ids}]) { nodes(ids: $ids) { id ... on Division { children { name } } } }`);
    expect(result.errors).toBeUndefined();
    expect(costOf(result)).toBe(1 + 50 * (1 + 1 + 20 * 1));
  });
});

describe("at most 20 errors per response, then one summary", () => {
  it("caps validation errors", async () => {
    const fields = Array.from({ length: 60 }, (_, i) => `nope${i}`).join(" ");
    const result = await setup.api.run(`{ ${fields} }`);
    expect(result.errors).toHaveLength(MAX_ERRORS_PER_RESPONSE + 1);
    expect(errorCodes(result).slice(0, MAX_ERRORS_PER_RESPONSE)).toEqual(Array(MAX_ERRORS_PER_RESPONSE).fill("GRAPHQL_VALIDATION_FAILED"));
    const summary = result.errors![MAX_ERRORS_PER_RESPONSE]!;
    expect(summary.extensions).toMatchObject({ code: "TOO_MANY_ERRORS", omitted: 40 });
    expect(summary.message).toContain("40 more errors");
  });

  it("caps execution errors", async () => {
    const fields = Array.from({ length: 25 }, (_, i) => `p${i}: product(id: "%%%${i}") { name }`).join(" ");
    const result = await setup.api.run(`{ ${fields} }`);
    expect(result.errors).toHaveLength(MAX_ERRORS_PER_RESPONSE + 1);
    expect(result.errors![MAX_ERRORS_PER_RESPONSE]!.extensions).toMatchObject({ code: "TOO_MANY_ERRORS", omitted: 5 });
  });

  it("5,000 unknown keys in a filter variable give a small answer", async () => {
    const filter = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`unknownKey${i}`, i]));
    const result = await setup.api.run("query ($f: CatalogFilter) { catalog(filter: $f) { totalCount } }", { f: filter });
    expect(result.data ?? undefined).toBeUndefined();
    expect(result.errors!.length).toBeGreaterThan(0);
    expect(result.errors!.length).toBeLessThanOrEqual(MAX_ERRORS_PER_RESPONSE + 1);
    expect(errorCodes(result)).not.toContain("INTERNAL_SERVER_ERROR");
    expect(JSON.stringify(result).length).toBeLessThan(20_000);
  });
});
