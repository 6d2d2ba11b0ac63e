import { randomBytes, randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CATALOG_QUERY, PARTNER_QUERY } from "../bench/catalog-queries.js";
import { type App, createApp } from "../src/app.js";
import { parseConfig } from "../src/config.js";
import { credentialHeaders, dataOverHttp, useTestServer } from "./support/api.js";
import type { CallerName } from "./support/actors.js";
import { freshIdNumber, gid, productInState } from "./support/fixtures.js";
import { captureLogs } from "./support/log-capture.js";

/**
 * Issue 11: compiled reads (src/graphql/compiled-reads.ts) answer catalog pages with one statement in
 * which PostgreSQL writes the JSON. The contract: byte for byte the answer Apollo gives — checked here
 * against a second server on the same database with COMPILED_READS=false, over HTTP, as every kind of
 * caller, for every covered field, order, filter and paging direction; and whatever the path does not
 * cover (or would answer with an error) goes to Apollo unchanged.
 */
const logs = captureLogs("info");
// No answer cache (each request executed), and no request budget for anonymous callers: their
// requests' statements are then the read's own.
// One token secret, so both servers accept the callers' tokens.
const base = { NODE_ENV: "test", LOG_LEVEL: "info", RESPONSE_CACHE_ENTRIES: "0", RATE_LIMIT_ANONYMOUS_PER_MINUTE: "0", JWT_SECRET: randomBytes(32).toString("hex") } as const;
const config = parseConfig(base);
const setup = useTestServer({ config, logger: logs.logger });
let apolloOnly: App;
let apolloBase: string;

beforeAll(async () => {
  apolloOnly = await createApp({ ...config, COMPILED_READS: false }, setup.database, logs.logger);
  apolloBase = `http://127.0.0.1:${await apolloOnly.listen(0, "127.0.0.1")}`;
  // Text that JSON must escape, and optional fields both set and absent.
  const { admin, ownEnterpriseId } = setup.callers;
  const special = await productInState(setup.database, setup.app.services, admin, ownEnterpriseId, "LISTED", {
    name: '十八洞 "猕猴桃" \\ 礼盒 😀',
    description: '第一行\n第二行\t"引号" \\ 反斜杠 \u0001 控制字符',
    imageUrls: ["https://img.example.cn/十八洞/1.jpg", 'https://img.example.cn/a"b.jpg'],
    brand: null,
  });
  // 带贫人数 2: two households linked now (one of them twice), a third whose link has ended.
  const HOUSEHOLD = `mutation ($input: CreateHouseholdInput!) { createHousehold(input: $input) { household { id } userErrors { code message } } }`;
  const ids: string[] = [];
  for (const [i, headName] of ["龙先兰", "施成富", "杨秀梅"].entries()) {
    const input = { householdNo: `433124-CR-${Date.now().toString(36)}-${i}`, villageCode: "433124103201", headName, headIdNumber: freshIdNumber("433124"), members: 3, laborCapacity: true, developmentWillingness: true, status: "MONITORED_EDGE", monitoringReason: "因病" };
    ids.push((await dataOverHttp(setup, HOUSEHOLD, { input }, "admin")).createHousehold.household.id);
  }
  const LINK = `mutation ($input: CreateBenefitLinkInput!) { createBenefitLink(input: $input) { userErrors { code message } } }`;
  const link = { enterpriseId: gid.enterprise(ownEnterpriseId), productId: gid.product(special.id), year: 2026, income: "1200.00" };
  for (const input of [
    { ...link, householdId: ids[0], mechanism: "ORDER_PURCHASE", startDate: "2026-01-01" },
    { ...link, householdId: ids[0], mechanism: "EMPLOYMENT", startDate: "2026-02-01" },
    { ...link, householdId: ids[1], mechanism: "ORDER_PURCHASE", startDate: "2026-03-01" },
    { ...link, householdId: ids[2], mechanism: "ORDER_PURCHASE", startDate: "2026-01-01", endDate: "2026-06-30" },
  ]) {
    expect((await dataOverHttp(setup, LINK, { input }, "admin")).createBenefitLink.userErrors).toEqual([]);
  }
}, 120_000);
afterAll(() => apolloOnly?.stop());

interface Answer {
  status: number;
  contentType: string | null;
  body: string;
  compiled: unknown;
  sqlStatements: unknown;
}

async function post(server: string, caller: CallerName, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const correlation = randomUUID();
  const response = await fetch(`${server}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-request-id": correlation, ...credentialHeaders(setup.callers.credentials[caller]), ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  const line = logs.lines().find((l) => l.correlationId === correlation && l.msg === "graphql request");
  return { status: response.status, contentType: response.headers.get("content-type"), body: text, compiled: line?.compiled, sqlStatements: line?.sqlStatements };
}

/** Both servers' answers to one request; they must be the same bytes. */
async function both(caller: CallerName, body: unknown, headers: Record<string, string> = {}) {
  const apollo = await post(apolloBase, caller, body, headers);
  const compiled = await post(setup.base, caller, body, headers);
  if (compiled.body !== apollo.body) writeFileSync("/tmp/cr-diff.json", JSON.stringify({ body, apollo: apollo.body, compiled: compiled.body }));
  expect(compiled.body === apollo.body, "same bytes as Apollo's answer").toBe(true);
  expect(compiled.status).toBe(apollo.status);
  expect(compiled.contentType).toBe(apollo.contentType);
  return { apollo, compiled };
}

const CALLERS: CallerName[] = ["anonymous", "partner", "admin", "huayuanReviewer", "ownEnterprise", "officer"];

const EVERY_FIELD = `query Every($first: Int, $after: String, $last: Int, $before: String, $filter: CatalogFilter, $orderBy: ProductOrder) {
  catalog(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {
    __typename totalCount
    pageInfo { __typename hasNextPage hasPreviousPage startCursor endCursor }
    edges { __typename cursor node {
      __typename id name brand category spec unit unitPrice certifiedUnitPrice status catalogNo batch validFrom validUntil
      annualSupplyCapacity availableSupply description imageUrls createdAt updatedAt version beneficiaryHouseholdCount
      enterprise { __typename id name uscc kind status createdAt updatedAt version county { __typename id code name level isPoorVillage exitYear } }
      originCounty { id code name level isPoorVillage exitYear }
      place: originVillage { __typename id code name level isPoorVillage exitYear }
    } }
    list: nodes { id title: name unitPrice }
  }
}`;

describe("compiled reads of the catalog", () => {
  it("answer the benchmark's queries as Apollo does, compiled, in one statement, for every caller", async () => {
    for (const caller of CALLERS) {
      for (const query of [CATALOG_QUERY, PARTNER_QUERY]) {
        const { compiled, apollo } = await both(caller, { query });
        expect(compiled.compiled).toBe(true);
        expect(compiled.sqlStatements).toBeLessThanOrEqual(apollo.sqlStatements as number);
        if (caller === "anonymous") expect(compiled.sqlStatements).toBe(1);
        expect(JSON.parse(compiled.body).data.catalog.edges.length).toBeGreaterThan(5);
      }
    }
  });

  it("answer every covered field, alias and __typename as Apollo does, with totalCount as a second statement", async () => {
    for (const caller of CALLERS) {
      const { compiled, apollo } = await both(caller, { query: EVERY_FIELD, variables: { first: 100 }, operationName: "Every" });
      expect(compiled.compiled).toBe(true);
      expect(compiled.sqlStatements).toBeLessThanOrEqual(apollo.sqlStatements as number);
      if (caller === "anonymous") expect(compiled.sqlStatements).toBe(2);
      const page = JSON.parse(compiled.body).data.catalog;
      // The escaped text went through: the product made above is on the page, whole.
      const special = page.edges.find((e: { node: { name: string } }) => e.node.name.includes("猕猴桃"));
      expect(special.node.description).toBe('第一行\n第二行\t"引号" \\ 反斜杠 \u0001 控制字符');
      expect(special.node.brand).toBeNull();
      expect(special.node.beneficiaryHouseholdCount).toBe(2);
      expect(special.node.imageUrls).toEqual(["https://img.example.cn/十八洞/1.jpg", 'https://img.example.cn/a"b.jpg']);
    }
  });

  it("page forwards and backwards in every order as Apollo does, with the cursors each hands out", async () => {
    const orders = [
      undefined,
      { field: "NAME" },
      { field: "NAME", direction: "DESC" },
      { field: "UNIT_PRICE", direction: "DESC" },
      { field: "UPDATED_AT", direction: "ASC" },
      { field: "CATALOG_NO" },
    ];
    for (const orderBy of orders) {
      let after: string | null = null;
      let pages = 0;
      let last = "";
      for (;;) {
        const { compiled } = await both("partner", { query: EVERY_FIELD, variables: { first: 9, after, orderBy } });
        expect(compiled.compiled).toBe(true);
        const { pageInfo, edges } = JSON.parse(compiled.body).data.catalog;
        pages += 1;
        if (edges.length > 0) last = edges[edges.length - 1].cursor;
        if (!pageInfo.hasNextPage) break;
        after = pageInfo.endCursor;
      }
      expect(pages).toBeGreaterThan(2);
      // and back from the end
      const { compiled } = await both("anonymous", { query: EVERY_FIELD, variables: { last: 4, before: last, orderBy } });
      expect(compiled.compiled).toBe(true);
      expect(JSON.parse(compiled.body).data.catalog.edges).toHaveLength(4);
    }
    const { compiled } = await both("anonymous", { query: EVERY_FIELD, variables: { first: 0 } });
    expect(JSON.parse(compiled.body).data.catalog.edges).toEqual([]);
  });

  it("filter as Apollo does: search, county, category, enterprise (by its global ID), prices, updatedSince", async () => {
    const enterpriseId = gid.enterprise(setup.callers.ownEnterpriseId);
    const filters = [
      { search: "茶" },
      { search: "百合" },
      { search: "猕猴桃" },
      { countyCode: "433124" },
      { countyCode: "433100" },
      { category: "TEA" },
      { enterpriseId },
      { minPrice: "20", maxPrice: "90.5" },
      { updatedSince: "2020-01-01T00:00:00Z" },
      { updatedSince: "2999-01-01T00:00:00Z" },
    ];
    let nonEmpty = 0;
    for (const filter of filters) {
      const { compiled } = await both("partner", { query: EVERY_FIELD, variables: { first: 20, filter } });
      expect(compiled.compiled, JSON.stringify(filter)).toBe(true);
      if (JSON.parse(compiled.body).data.catalog.totalCount > 0) nonEmpty += 1;
    }
    expect(nonEmpty).toBeGreaterThan(5);
  });

  it("leave to Apollo, unchanged, what they do not cover or would refuse", async () => {
    const cases: { body: Record<string, unknown>; headers?: Record<string, string> }[] = [
      // shapes not covered
      { body: { query: "{ catalog(first: 2) { edges { node { ...F } } } } fragment F on Product { id name }" } },
      { body: { query: "query ($x: Boolean!) { catalog(first: 2) { edges { node { id name @include(if: $x) } } } }", variables: { x: true } } },
      { body: { query: "{ catalog(first: 2) { nodes { id enterprise { products(first: 1) { nodes { id } } } } } }" } },
      { body: { query: "{ catalog(first: 2) { nodes { id } } viewer { __typename } }" } },
      { body: { query: "{ catalog(first: 2) { nodes { id name name } } }" } },
      { body: { query: "{ catalog(first: 2) { nodes { id } } }", extensions: { persistedQuery: { version: 1, sha256Hash: "0".repeat(64) } } } },
      { body: { query: "{ catalog(first: 2) { nodes { id } } }" }, headers: { accept: "application/graphql-response+json" } },
      // errors, which only Apollo writes
      { body: { query: "{ catalog(first: 2) { nodes { id nosuchfield } } }" } },
      { body: { query: "{ catalog(first: 101) { nodes { id } } }" } },
      { body: { query: "{ catalog(first: 2, after: \"not-a-cursor\") { nodes { id } } }" } },
      { body: { query: "query ($f: Int) { catalog(first: $f) { nodes { id } } }", variables: { f: "many" } } },
      { body: { query: "query ($s: String) { catalog(first: 2, filter: { search: $s }) { nodes { id } } }", variables: { s: "\u0000茶" } } },
      { body: { query: "{ catalog(first: 2, filter: { countyCode: \"999999\" }) { nodes { id } } }" } },
      { body: { query: "query A { catalog(first: 2) { nodes { id } } }", operationName: "B" } },
      { body: { query: `{ catalog(first: 2) { nodes { ${Array.from({ length: 40 }, (_, i) => `a${i}: id`).join(" ")} } } }` } },
    ];
    for (const { body, headers } of cases) {
      const { compiled } = await both("anonymous", body, headers);
      expect(compiled.compiled, JSON.stringify(body)).toBeUndefined();
    }
    // A variable of the wrong type: a clear error from Apollo, as before.
    const wrong = await both("anonymous", { query: "query ($f: Int) { catalog(first: $f) { nodes { id } } }", variables: { f: "many" } });
    expect(JSON.parse(wrong.compiled.body).errors[0].extensions.code).toBe("BAD_USER_INPUT");
  });

  it("leave a suspended enterprise's products out as Apollo does (its status read from the joined row), and bring them back", async () => {
    const enterpriseId = gid.enterprise(setup.callers.ownEnterpriseId);
    const QUERY = `query Own($filter: CatalogFilter) { catalog(first: 50, filter: $filter) { totalCount nodes { id name } } }`;
    const listed = async (filter?: object) => JSON.parse((await both("anonymous", { query: QUERY, variables: { filter } })).compiled.body).data.catalog.totalCount as number;
    const before = { own: await listed({ enterpriseId }), all: await listed(), searched: await listed({ search: "茶" }) };
    expect(before.own).toBeGreaterThan(0);
    const SUSPEND = `mutation ($input: SuspendEnterpriseInput!) { suspendEnterprise(input: $input) { userErrors { code } } }`;
    const REINSTATE = `mutation ($input: ReinstateEnterpriseInput!) { reinstateEnterprise(input: $input) { userErrors { code } } }`;
    expect((await dataOverHttp(setup, SUSPEND, { input: { enterpriseId, reason: "带贫机制未落实" } }, "prefectureReviewer")).suspendEnterprise.userErrors).toEqual([]);
    try {
      expect(await listed({ enterpriseId })).toBe(0);
      expect(await listed()).toBe(before.all - before.own);
      expect(await listed({ search: "茶" })).toBeLessThanOrEqual(before.searched);
      for (const caller of CALLERS) await both(caller, { query: CATALOG_QUERY });
    } finally {
      expect((await dataOverHttp(setup, REINSTATE, { input: { enterpriseId } }, "prefectureReviewer")).reinstateEnterprise.userErrors).toEqual([]);
    }
    expect(await listed({ enterpriseId })).toBe(before.own);
  });

  it("logged no failure of the path itself in all of the above (a fault there would silently hand every read to Apollo)", () => {
    expect(logs.lines().filter((line) => line.msg === "compiled read failed; Apollo answers")).toEqual([]);
    expect(logs.lines().filter((line) => line.compiled === true).length).toBeGreaterThan(50);
  });
});
