import { describe, expect, it } from "vitest";
import { useTestApi } from "./support/api.js";
import { catalogRows } from "./support/catalog-expectations.js";

/**
 * Issue 11: a catalog page reads the to-one relations it is asked for (enterprise, the enterprise's
 * county, origin county and village) in its own statement, with the same answer as field-by-field loads.
 */
const setup = useTestApi({ callers: false });

const PARTNER_PAGE = `query Page($first: Int, $after: String) {
  catalog(first: $first, after: $after) {
    edges { cursor node { id name unitPrice enterprise { name county { name } } originCounty { name } originVillage { name } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** The same facts asked product by product through `node`, which goes through the loaders one relation at a time. */
async function factsThroughNodes(ids: string[]) {
  const result = await setup.api.run(
    `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Product { id name unitPrice enterprise { name county { name } } originCounty { name } originVillage { name } } } }`,
    { ids },
  );
  expect(result.errors).toBeUndefined();
  return result.data.nodes;
}

describe("a catalog page with its relations", () => {
  it("is one statement, whatever the page size, and answers as the loaders do", async () => {
    const small = await setup.api.run(PARTNER_PAGE, { first: 2 });
    const large = await setup.api.run(PARTNER_PAGE, { first: 100 });
    expect(large.errors).toBeUndefined();
    expect(large.data.catalog.edges.length).toBe(catalogRows.length);
    expect(small.statements).toBe(1);
    expect(large.statements).toBe(1);
    const nodes = large.data.catalog.edges.map((e: { node: unknown }) => e.node);
    expect(nodes).toEqual(await factsThroughNodes(nodes.map((n: { id: string }) => n.id)));
    // 十八洞村's products name their village; products without one answer null.
    expect(nodes.some((n: { originVillage: { name: string } | null }) => n.originVillage?.name === "十八洞村")).toBe(true);
    expect(nodes.some((n: { originVillage: unknown }) => n.originVillage === null)).toBe(true);
  });

  it("reads only the relations selected, through fragments and aliases too", async () => {
    const viaFragments = await setup.api.run(
      `query { catalog(first: 5) { nodes { ...P } } } fragment P on Product { id supplier: enterprise { ... on Enterprise { name } } }`,
    );
    expect(viaFragments.errors).toBeUndefined();
    expect(viaFragments.statements).toBe(1);
    const names = viaFragments.data.catalog.nodes.map((n: { supplier: { name: string } }) => n.supplier.name);
    expect(names.every((name: string) => name.length > 0)).toBe(true);
    const plain = await setup.api.run(`query { catalog(first: 5) { nodes { id name } } }`);
    expect(plain.statements).toBe(1);
  });

  it("pages on with the cursors it hands out", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = await setup.api.run(PARTNER_PAGE, { first: 7, after });
      expect(page.errors).toBeUndefined();
      expect(page.statements).toBe(1);
      seen.push(...page.data.catalog.edges.map((e: { node: { id: string } }) => e.node.id));
      if (!page.data.catalog.pageInfo.hasNextPage) break;
      after = page.data.catalog.pageInfo.endCursor;
    }
    expect(seen.length).toBe(catalogRows.length);
    expect(new Set(seen).size).toBe(seen.length);
  });
});
