import { describe, expect, it } from "vitest";
import { fromGlobalId, toGlobalId } from "../src/graphql/global-id.js";
import { type Result, errorCodes, useTestApi } from "./support/api.js";
import { catalogRows, demoRows, enterpriseNames, idsOf, sortedLike, today } from "./support/catalog-expectations.js";

const setup = useTestApi({ callers: false });

const CATALOG_IDS = `query ($filter: CatalogFilter, $orderBy: ProductOrder, $first: Int, $after: String, $last: Int, $before: String) {
  catalog(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id } }
  }
}`;

function localIds(result: Result): string[] {
  expect(result.errors).toBeUndefined();
  return result.data.catalog.edges.map((e: { node: { id: string } }) => fromGlobalId(e.node.id).key);
}

async function everyId(filter: Record<string, unknown>): Promise<{ ids: string[]; totalCount: number }> {
  const ids: string[] = [];
  let after: string | null = null;
  let totalCount = -1;
  for (;;) {
    const result: Result = await setup.api.run(CATALOG_IDS, { filter, first: 100, after });
    ids.push(...localIds(result));
    totalCount = result.data.catalog.totalCount;
    if (!result.data.catalog.pageInfo.hasNextPage) break;
    after = result.data.catalog.pageInfo.endCursor;
  }
  return { ids: ids.sort(), totalCount };
}

describe("catalog filters", () => {
  const cases: [string, Record<string, unknown>, (p: (typeof catalogRows)[number]) => boolean][] = [
    ["no filter: listed and unexpired only", {}, () => true],
    ["the prefecture code means every county", { countyCode: "433100" }, () => true],
    ["a county (花垣县)", { countyCode: "433124" }, (p) => p.originCountyCode === "433124"],
    ["a category", { category: "TEA" }, (p) => p.category === "TEA"],
    ["minimum price, inclusive", { minPrice: "68.00" }, (p) => Number(p.unitPrice) >= 68],
    ["maximum price, inclusive", { maxPrice: "39.90" }, (p) => Number(p.unitPrice) <= 39.9],
    ["a price range", { minPrice: "25", maxPrice: "68.00" }, (p) => Number(p.unitPrice) >= 25 && Number(p.unitPrice) <= 68],
    [
      "two-character Chinese search (百合) over name, brand and enterprise name",
      { search: "百合" },
      (p) => p.name.includes("百合") || (p.brand ?? "").includes("百合") || enterpriseNames.get(p.enterpriseId)!.includes("百合"),
    ],
    ["search 猕猴桃", { search: "猕猴桃" }, (p) => p.name.includes("猕猴桃") || (p.brand ?? "").includes("猕猴桃") || enterpriseNames.get(p.enterpriseId)!.includes("猕猴桃")],
    [
      "filters combine",
      { countyCode: "433125", category: "TEA", maxPrice: "200" },
      (p) => p.originCountyCode === "433125" && p.category === "TEA" && Number(p.unitPrice) <= 200,
    ],
  ];

  it.each(cases)("%s", async (_name, filter, predicate) => {
    const expected = idsOf(catalogRows.filter(predicate));
    expect(expected.length).toBeGreaterThan(0);
    const { ids, totalCount } = await everyId(filter);
    expect(ids).toEqual(expected);
    expect(totalCount).toBe(expected.length);
  });

  it("leaves out drafts, submitted, certified, rejected, revoked and expired products", async () => {
    const hidden = demoRows.products.filter((p) => !(p.status === "LISTED" && p.validUntil! >= today));
    expect(hidden.some((p) => p.status === "LISTED")).toBe(true); // the expired one
    const { ids } = await everyId({});
    for (const p of hidden) expect(ids).not.toContain(p.id);
  });

  it("finds 百合 where it appears only in the brand, and only in the enterprise's name", async () => {
    const { ids } = await everyId({ search: "百合" });
    const onlyEnterprise = catalogRows.find(
      (p) => !p.name.includes("百合") && !(p.brand ?? "").includes("百合") && enterpriseNames.get(p.enterpriseId)!.includes("百合"),
    );
    const onlyBrand = catalogRows.find((p) => !p.name.includes("百合") && (p.brand ?? "").includes("百合"));
    expect(onlyEnterprise && ids).toContain(onlyEnterprise!.id);
    expect(onlyBrand && ids).toContain(onlyBrand!.id);
  });

  it("filters by enterprise", async () => {
    const enterpriseId = catalogRows[0]!.enterpriseId;
    const { ids } = await everyId({ enterpriseId: toGlobalId("Enterprise", enterpriseId) });
    expect(ids).toEqual(idsOf(catalogRows.filter((p) => p.enterpriseId === enterpriseId)));
  });

  it("returns what changed at or after updatedSince (partners' incremental sync)", async () => {
    const times = catalogRows.map((p) => p.updatedAt!.getTime()).sort((a, b) => a - b);
    const since = new Date(times[Math.floor(times.length / 2)]!);
    const { ids } = await everyId({ updatedSince: since.toISOString() });
    expect(ids).toEqual(idsOf(catalogRows.filter((p) => p.updatedAt!.getTime() >= since.getTime())));
  });
});

describe("catalog pagination", () => {
  const orders = (["NAME", "UNIT_PRICE", "UPDATED_AT", "CATALOG_NO"] as const).flatMap((field) =>
    (["ASC", "DESC"] as const).map((direction) => [field, direction] as const),
  );

  it("has ties in the sort keys to break", () => {
    const prices = catalogRows.map((p) => p.unitPrice);
    const times = catalogRows.map((p) => p.updatedAt!.getTime());
    expect(new Set(prices).size).toBeLessThan(prices.length);
    expect(new Set(times).size).toBeLessThan(times.length);
  });

  it.each(orders)("walks every page by %s %s forward and backward, each row once and in order", async (field, direction) => {
    const expected = sortedLike(catalogRows, field, direction);
    const orderBy = { field, direction };

    const forward: string[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 50; guard++) {
      const result: Result = await setup.api.run(CATALOG_IDS, { orderBy, first: 7, after });
      forward.push(...localIds(result));
      expect(result.data.catalog.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!result.data.catalog.pageInfo.hasNextPage) break;
      after = result.data.catalog.pageInfo.endCursor;
    }
    expect(forward).toEqual(expected);

    const backward: string[][] = [];
    let before: string | null = null;
    for (let guard = 0; guard < 50; guard++) {
      const result: Result = await setup.api.run(CATALOG_IDS, { orderBy, last: 7, before });
      backward.unshift(localIds(result));
      expect(result.data.catalog.pageInfo.hasNextPage).toBe(before !== null);
      if (!result.data.catalog.pageInfo.hasPreviousPage) break;
      before = result.data.catalog.pageInfo.startCursor;
    }
    expect(backward.flat()).toEqual(expected);
  });

  it("defaults to the newest change first, 20 per page", async () => {
    const result = await setup.api.run(CATALOG_IDS, {});
    expect(localIds(result)).toEqual(sortedLike(catalogRows, "UPDATED_AT", "DESC").slice(0, 20));
  });

  it("returns an empty page for first: 0", async () => {
    const result = await setup.api.run(CATALOG_IDS, { first: 0 });
    expect(localIds(result)).toEqual([]);
    expect(result.data.catalog.pageInfo.hasNextPage).toBe(true);
  });
});
