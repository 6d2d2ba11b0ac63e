import { describe, expect, it } from "vitest";
import { fromGlobalId, toGlobalId } from "../src/graphql/global-id.js";
import { useTestApi } from "./support/api.js";
import { catalogRows, demoRows, today } from "./support/catalog-expectations.js";

const setup = useTestApi({ callers: false });

const CATALOG_WITH_RELATIONS = `query ($first: Int) {
  catalog(first: $first) {
    totalCount
    edges { node { id name enterprise { name county { name } } originCounty { name } originVillage { name } } }
  }
}`;

describe("SQL statements per request", () => {
  it("do not grow with the page size (catalog with enterprise, county, village and totalCount)", async () => {
    const one = await setup.api.run(CATALOG_WITH_RELATIONS, { first: 1 });
    const hundred = await setup.api.run(CATALOG_WITH_RELATIONS, { first: 100 });
    expect(one.errors).toBeUndefined();
    expect(hundred.errors).toBeUndefined();
    expect(hundred.data.catalog.edges.length).toBe(catalogRows.length);
    expect(one.statements).toBe(hundred.statements);
    expect(hundred.statements).toBeLessThanOrEqual(5);
  });

  it("do not grow with the page size when lists show 带贫人数 (beneficiaryHouseholdCount)", async () => {
    const query = `query ($first: Int) { catalog(first: $first) { nodes { name beneficiaryHouseholdCount enterprise { name } } } }`;
    const one = await setup.api.run(query, { first: 1 });
    const hundred = await setup.api.run(query, { first: 100 });
    expect(hundred.errors).toBeUndefined();
    expect(hundred.data.catalog.nodes.length).toBe(catalogRows.length);
    expect(one.statements).toBe(hundred.statements);
  });

  it("batch Enterprise.products across a page of enterprises", async () => {
    const query = `query ($first: Int) { enterprises(first: $first) { edges { node { name county { name } products(first: 3) { totalCount nodes { name originCounty { name } } } } } } }`;
    const one = await setup.api.run(query, { first: 1 });
    const all = await setup.api.run(query, { first: 100 });
    expect(all.errors).toBeUndefined();
    expect(all.data.enterprises.edges.length).toBe(demoRows.enterprises.filter((e) => e.status === "VERIFIED").length); // anonymous: VERIFIED ones
    expect(one.statements).toBe(all.statements);
  });

  it("batch Division.children and Division.parent", async () => {
    const query = `query ($first: Int) { divisions(level: TOWNSHIP, first: $first) { nodes { name parent { name } children { name parent { code } } } } }`;
    const one = await setup.api.run(query, { first: 1 });
    const many = await setup.api.run(query, { first: 32 });
    expect(many.data.divisions.nodes.length).toBe(32);
    expect(one.statements).toBe(many.statements);
  });
});

describe("relations", () => {
  it("pages each enterprise's own catalog products", async () => {
    const result = await setup.api.run(`{ enterprises(first: 50) { nodes { id products(first: 20) { totalCount nodes { id enterprise { id } } } } } }`);
    expect(result.errors).toBeUndefined();
    for (const enterprise of result.data.enterprises.nodes) {
      const enterpriseId = fromGlobalId(enterprise.id).key;
      const expected = catalogRows.filter((p) => p.enterpriseId === enterpriseId).map((p) => p.id);
      const got = enterprise.products.nodes.map((p: { id: string }) => fromGlobalId(p.id).key);
      expect(got.sort()).toEqual(expected.sort());
      expect(enterprise.products.totalCount).toBe(expected.length);
      for (const p of enterprise.products.nodes) expect(p.enterprise.id).toBe(enterprise.id);
    }
  });

  it("pages within one enterprise with cursors", async () => {
    const counts = new Map<string, number>();
    for (const p of catalogRows) counts.set(p.enterpriseId, (counts.get(p.enterpriseId) ?? 0) + 1);
    const [enterpriseId, count] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
    expect(count).toBeGreaterThan(2);
    const query = `query ($id: ID!, $after: String) { enterprise(id: $id) { products(first: 2, after: $after, orderBy: {field: NAME}) { pageInfo { hasNextPage endCursor } nodes { id } } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 20; guard++) {
      const result: any = await setup.api.run(query, { id: toGlobalId("Enterprise", enterpriseId), after });
      seen.push(...result.data.enterprise.products.nodes.map((n: { id: string }) => n.id));
      if (!result.data.enterprise.products.pageInfo.hasNextPage) break;
      after = result.data.enterprise.products.pageInfo.endCursor;
    }
    expect(seen.length).toBe(count);
    expect(new Set(seen).size).toBe(count);
  });

  it("walks 十八洞村 up to the prefecture and back down", async () => {
    const result = await setup.api.run(`{ division(code: "433124103201") { name level isPoorVillage exitYear parent { name level parent { name code parent { name code parent { name } } } } } }`);
    const village = result.data.division;
    expect(village).toMatchObject({ name: "十八洞村", level: "VILLAGE", isPoorVillage: true, exitYear: 2017 });
    expect(village.parent).toMatchObject({ name: "双龙镇", level: "TOWNSHIP" });
    expect(village.parent.parent).toMatchObject({ name: "花垣县", code: "433124" });
    expect(village.parent.parent.parent).toMatchObject({ name: "湘西土家族苗族自治州", code: "433100", parent: null });

    const down = await setup.api.run(`{ division(code: "433124103") { children { name } } }`);
    expect(down.data.division.children.map((c: { name: string }) => c.name)).toContain("十八洞村");
  });

  it("lists the eight counties with their real codes", async () => {
    const result = await setup.api.run(`{ divisions(parentCode: "433100") { totalCount nodes { code name level } } }`);
    expect(result.data.divisions.totalCount).toBe(8);
    expect(result.data.divisions.nodes.map((d: { code: string; name: string }) => `${d.code} ${d.name}`)).toEqual([
      "433101 吉首市",
      "433122 泸溪县",
      "433123 凤凰县",
      "433124 花垣县",
      "433125 保靖县",
      "433126 古丈县",
      "433127 永顺县",
      "433130 龙山县",
    ]);
  });

  it("filters enterprises by county and kind", async () => {
    const result = await setup.api.run(`{ enterprises(filter: {countyCode: "433124"}, first: 100) { totalCount nodes { name county { code } } } }`);
    const expected = demoRows.enterprises.filter((e) => e.countyCode === "433124");
    expect(result.data.enterprises.totalCount).toBe(expected.length);
    expect(result.data.enterprises.nodes.map((e: { name: string }) => e.name).sort()).toEqual(expected.map((e) => e.name).sort());
    const coops = await setup.api.run(`{ enterprises(filter: {kind: COOPERATIVE}, first: 100) { nodes { kind } } }`);
    expect(coops.data.enterprises.nodes.length).toBe(demoRows.enterprises.filter((e) => e.kind === "COOPERATIVE").length);
  });
});

describe("node, nodes, product and productByCatalogNo", () => {
  const listed = catalogRows[0]!;
  const draft = demoRows.products.find((p) => p.status === "DRAFT")!;
  const expired = demoRows.products.find((p) => p.status === "LISTED" && p.validUntil! < today)!;

  it("resolves any global ID through node, with its type", async () => {
    const query = `query ($id: ID!) { node(id: $id) { __typename id ... on Product { name } ... on Division { name } ... on Enterprise { name } } }`;
    const product = await setup.api.run(query, { id: toGlobalId("Product", listed.id!) });
    expect(product.data.node).toMatchObject({ __typename: "Product", name: listed.name, id: toGlobalId("Product", listed.id!) });
    const village = await setup.api.run(query, { id: toGlobalId("Division", "433124103201") });
    expect(village.data.node).toMatchObject({ __typename: "Division", name: "十八洞村" });
    const enterprise = await setup.api.run(query, { id: toGlobalId("Enterprise", listed.enterpriseId) });
    expect(enterprise.data.node.__typename).toBe("Enterprise");
  });

  it("returns nodes in the order asked, null where missing or not public", async () => {
    const ids = [
      toGlobalId("Division", "433101"),
      toGlobalId("Product", draft.id!),
      toGlobalId("Product", listed.id!),
      toGlobalId("Product", "00000000-0000-4000-8000-000000000000"),
    ];
    const result = await setup.api.run(`query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids });
    expect(result.data.nodes).toEqual([{ id: ids[0] }, null, { id: ids[2] }, null]);
  });

  it("shows only public catalog products to anonymous callers", async () => {
    const query = `query ($id: ID!) { product(id: $id) { name catalogNo unitPrice validFrom validUntil createdAt } }`;
    const found = await setup.api.run(query, { id: toGlobalId("Product", listed.id!) });
    expect(found.data.product).toMatchObject({ name: listed.name, catalogNo: listed.catalogNo, validUntil: listed.validUntil });
    expect(found.data.product.unitPrice).toMatch(/^\d+\.\d{2}$/);
    expect(found.data.product.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect((await setup.api.run(query, { id: toGlobalId("Product", draft.id!) })).data.product).toBeNull();
    expect((await setup.api.run(query, { id: toGlobalId("Product", expired.id!) })).data.product).toBeNull();
  });

  it("finds a listing by catalog number, and not an expired one", async () => {
    const query = `query ($no: String!) { productByCatalogNo(catalogNo: $no) { name catalogNo } }`;
    expect((await setup.api.run(query, { no: listed.catalogNo })).data.productByCatalogNo).toEqual({ name: listed.name, catalogNo: listed.catalogNo });
    expect((await setup.api.run(query, { no: expired.catalogNo })).data.productByCatalogNo).toBeNull();
    expect((await setup.api.run(query, { no: "433124-2099-999999" })).data.productByCatalogNo).toBeNull();
  });
});
