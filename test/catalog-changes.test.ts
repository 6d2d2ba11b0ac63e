import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { BUDGET_UNIT } from "../seeds/budget-units.js";
import { products } from "../src/db/schema.js";
import { toGlobalId } from "../src/graphql/global-id.js";
import { ResponseCache } from "../src/http/response-cache.js";
import { CATALOG_EXPIRY_LOCK } from "../src/modules/catalog/catalog-expiry.job.js";
import { CatalogExpiryJob, inCatalog } from "../src/modules/catalog/index.js";
import type { ProductRow } from "../src/modules/catalog/index.js";
import { eventsAfter, recordEvent } from "../src/modules/outbox/index.js";
import { errorCodes, useTestApi } from "./support/api.js";
import type { CallerName } from "./support/actors.js";
import { onPostgres, outboxSettled } from "./support/database.js";
import { gid, productInState } from "./support/fixtures.js";

/**
 * Issue 12.2: `catalogChanges`, the public catalog's change feed — ADDED, UPDATED (public fields
 * only), REMOVED with each reason — read through the front door by the public and partners.
 */
const setup = useTestApi();

const FEED = `query ($after: String, $first: Int) {
  catalogChanges(after: $after, first: $first) {
    edges { cursor node { id sequence kind reason catalogNo fields at product { id name } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface Change {
  id: string;
  sequence: string;
  kind: string;
  reason: string | null;
  catalogNo: string;
  fields: string[];
  at: string;
  product: { id: string; name: string } | null;
}

const as = (caller: CallerName) => setup.callers.credentials[caller];

/** The feed's current end, as a partner starting a sync asks for it. */
async function feedEnd(caller: CallerName = "anonymous"): Promise<string | null> {
  // Everything committed so far is in the feed before its end is taken (see outboxSettled).
  await outboxSettled(setup.database);
  const result = await setup.api.run(FEED, { first: 0 }, as(caller));
  expect(result.errors).toBeUndefined();
  return result.data.catalogChanges.pageInfo.endCursor;
}

/** Every change after `after`, paged with the cursors handed out. */
async function changesAfter(after: string | null, caller: CallerName = "anonymous", first = 7): Promise<Change[]> {
  await outboxSettled(setup.database);
  const seen: Change[] = [];
  for (;;) {
    const result = await setup.api.run(FEED, { after, first }, as(caller));
    expect(result.errors).toBeUndefined();
    const { edges, pageInfo } = result.data.catalogChanges;
    seen.push(...edges.map((e: { node: Change }) => e.node));
    if (edges.length > 0) expect(pageInfo.endCursor).toBe(edges[edges.length - 1].cursor);
    after = pageInfo.endCursor;
    if (!pageInfo.hasNextPage) return seen;
  }
}

const about = (changes: Change[], product: ProductRow) => changes.filter((c) => c.catalogNo === product.catalogNo);
const summary = (changes: Change[]) => changes.map((c) => [c.kind, c.reason, ...c.fields].filter(Boolean).join(" "));

async function listed(fields: Record<string, unknown> = {}, enterpriseId = setup.callers.ownEnterpriseId) {
  return productInState(setup.database, setup.api.services, setup.callers.admin, enterpriseId, "LISTED", { availableSupply: 100, ...fields });
}

const UPDATE = `mutation ($input: UpdateProductInput!) { updateProduct(input: $input) { product { version status } userErrors { code message } } }`;
const REVOKE = `mutation ($input: RevokeCertificationInput!) { revokeCertification(input: $input) { product { status } userErrors { code message } } }`;
const SUSPEND = `mutation ($input: SuspendEnterpriseInput!) { suspendEnterprise(input: $input) { enterprise { status } userErrors { code message } } }`;
const REINSTATE = `mutation ($input: ReinstateEnterpriseInput!) { reinstateEnterprise(input: $input) { enterprise { status } userErrors { code message } } }`;
const ADJUST = `mutation ($input: AdjustProductSupplyInput!) { adjustProductSupply(input: $input) { product { availableSupply } userErrors { code message } } }`;
const RESERVE = `mutation ($input: ReservePurchaseInput!) { reservePurchase(input: $input) { order { id status } userErrors { code message } } }`;
const SHIP = `mutation ($id: ID!) { markShipped(input: {orderId: $id}) { order { status } userErrors { code message } } }`;

async function mutate(query: string, input: Record<string, unknown>, caller: CallerName = "admin") {
  const result = await setup.api.run(query, { input }, as(caller));
  expect(result.errors).toBeUndefined();
  const payload = Object.values(result.data as Record<string, { userErrors: unknown[] }>)[0]!;
  expect(payload.userErrors).toEqual([]);
  return payload;
}

describe("catalogChanges", () => {
  it("announces a listing (ADDED) and a public edit (UPDATED with its fields), to the public and partners alike", async () => {
    const start = await feedEnd();
    const product = await listed({ name: "保靖黄金茶 明前特级" });
    await mutate(UPDATE, { productId: gid.product(product.id), expectedVersion: product.version, description: "吕洞山村茶园直供", unitPrice: "90.00" });
    const seen = about(await changesAfter(start), product);
    expect(summary(seen)).toEqual(["ADDED", "UPDATED unitPrice description"]);
    expect(seen[0]!.product).toEqual({ id: gid.product(product.id), name: "保靖黄金茶 明前特级" });
    expect(seen[0]!.id).toMatch(/.+/);
    expect(new Date(seen[1]!.at).getTime()).toBeGreaterThanOrEqual(new Date(seen[0]!.at).getTime());
    // A partner key reads the same feed.
    expect(summary(about(await changesAfter(start, "partner"), product))).toEqual(summary(seen));
  });

  it("leaves stock and orders out, and orders move neither version nor updatedAt", async () => {
    const product = await listed();
    const start = await feedEnd();
    await mutate(ADJUST, { productId: gid.product(product.id), delta: 5 });
    const order = (await mutate(
      RESERVE,
      { budgetUnitId: toGlobalId("BudgetUnit", BUDGET_UNIT.caizheng), productId: gid.product(product.id), quantity: 2, idempotencyKey: `feed-${Date.now()}`, channel: "CANTEEN" },
      "officer",
    )) as unknown as { order: { id: string } };
    const shipped = await setup.api.run(SHIP, { id: order.order.id }, as("ownEnterprise"));
    expect(shipped.data.markShipped.order.status).toBe("SHIPPED");
    expect(about(await changesAfter(start), product)).toEqual([]);
    const [row] = await setup.database.db.select().from(products).where(eq(products.id, product.id));
    expect(row!.version).toBe(product.version);
    expect(row!.updatedAt.getTime()).toBe(product.updatedAt.getTime());
    expect(row!.availableSupply).toBe(103);
    // The order's own changes are in the outbox, for webhooks, under their topic.
    await outboxSettled(setup.database);
    const orderEvents = (await eventsAfter(setup.database, null, 10_000, ["order.changed"])).events.filter(
      (e) => e.payload.productId === product.id,
    );
    expect(orderEvents.map((e) => e.payload.status)).toEqual(["RESERVED", "SHIPPED"]);
  });

  it("says why a product left: REVOKED, SENT_BACK_TO_REVIEW; the public then sees no product, its office still does", async () => {
    const revoked = await listed();
    const renamed = await listed();
    const start = await feedEnd();
    await mutate(REVOKE, { productId: gid.product(revoked.id), reason: "抽检不合格" }, "huayuanReviewer");
    const sentBack = (await mutate(UPDATE, { productId: gid.product(renamed.id), expectedVersion: renamed.version, name: "十八洞村猕猴桃(新包装)" }, "ownEnterprise")) as unknown as {
      product: { status: string };
    };
    expect(sentBack.product.status).toBe("SUBMITTED");
    const publicView = await changesAfter(start);
    expect(summary(about(publicView, revoked))).toEqual(["REMOVED REVOKED"]);
    expect(summary(about(publicView, renamed))).toEqual(["REMOVED SENT_BACK_TO_REVIEW"]);
    expect(about(publicView, revoked)[0]!.product).toBeNull();
    expect(about(await changesAfter(start, "huayuanReviewer"), revoked)[0]!.product).toEqual({ id: gid.product(revoked.id), name: revoked.name });
  });

  it("announces a suspension for each listed product of the enterprise (REMOVED SUSPENDED) and the reinstatement (ADDED)", async () => {
    const enterpriseId = setup.callers.otherEnterpriseId; // 保靖 tea enterprise
    const mine = [await listed({ name: "保靖黄金茶 一级", originCountyCode: "433125", originVillageCode: null }, enterpriseId)];
    mine.push(await listed({ name: "保靖黄金茶 二级", originCountyCode: "433125", originVillageCode: null }, enterpriseId));
    const start = await feedEnd();
    await mutate(SUSPEND, { enterpriseId: gid.enterprise(enterpriseId), reason: "带贫机制未落实" }, "prefectureReviewer");
    // Revoking a product of the suspended enterprise says nothing more: it has already left.
    await mutate(REVOKE, { productId: gid.product(mine[1]!.id), reason: "抽检不合格" }, "prefectureReviewer");
    await mutate(REINSTATE, { enterpriseId: gid.enterprise(enterpriseId) }, "prefectureReviewer");
    const seen = await changesAfter(start);
    expect(summary(about(seen, mine[0]!))).toEqual(["REMOVED SUSPENDED", "ADDED"]);
    expect(summary(about(seen, mine[1]!))).toEqual(["REMOVED SUSPENDED"]);
    // Every product of the enterprise that the catalog showed (seeded ones too) left and came back.
    const suspended = seen.filter((c) => c.reason === "SUSPENDED").map((c) => c.catalogNo);
    const added = seen.filter((c) => c.kind === "ADDED").map((c) => c.catalogNo);
    expect(suspended.length).toBeGreaterThan(2);
    expect(added.sort()).toEqual(suspended.filter((no) => no !== mine[1]!.catalogNo).sort());
  });

  it("announces expiry with a day-boundary job (China time), once however often it runs", async () => {
    const product = await listed();
    const start = await feedEnd();
    const job = new CatalogExpiryJob(setup.database);
    // 23:59 China time on the last day of validity: still listed.
    const lastDay = new Date(`${product.validUntil}T23:59:00+08:00`);
    expect((await job.runOnce(lastDay)).ran).toBe(true);
    expect(about(await changesAfter(start), product)).toEqual([]);
    // 00:00:30 China time the next day (16:00:30 UTC the day before): expired.
    const nextDay = new Date(new Date(`${product.validUntil}T00:00:30+08:00`).getTime() + 24 * 3600_000);
    const first = await job.runOnce(nextDay);
    const second = await job.runOnce(nextDay);
    expect(first.announced).toBeGreaterThan(0);
    expect(second).toMatchObject({ ran: true, announced: 0 });
    expect(summary(about(await changesAfter(start), product))).toEqual(["REMOVED EXPIRED"]);
  });

  it("announces expiry on its own when the business day turns in China time (the job's timer, an injected clock)", async () => {
    const product = await listed();
    const start = await feedEnd();
    // 23:59 China time on the last day of validity (15:59 UTC): the server's job checks every 20 ms here.
    let now = new Date(`${product.validUntil}T23:59:00+08:00`);
    const job = new CatalogExpiryJob(setup.database, { now: () => now, checkEveryMs: 20 });
    job.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(about(await changesAfter(start), product)).toEqual([]);
      now = new Date(now.getTime() + 90_000); // 00:00:30 China time, 16:00:30 UTC: still the same day in UTC
      let seen: Change[] = [];
      for (const deadline = Date.now() + 30_000; seen.length === 0 && Date.now() < deadline; ) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        seen = about(await changesAfter(start), product);
      }
      expect(summary(seen)).toEqual(["REMOVED EXPIRED"]);
      // Its timer goes on checking: nothing more is said that day.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(summary(about(await changesAfter(start), product))).toEqual(["REMOVED EXPIRED"]);
    } finally {
      await job.stop();
    }
  });

  it.runIf(onPostgres)("runs the expiry job in one replica at a time (advisory lock): refused while another holds it; two at once announce each listing once", async () => {
    const mine = [await listed(), await listed(), await listed()];
    const start = await feedEnd();
    const lastDay = mine.map((p) => p.validUntil!).sort().at(-1)!;
    const nextDay = new Date(new Date(`${lastDay}T00:00:30+08:00`).getTime() + 24 * 3600_000);
    const other = postgres(setup.tdb.url!, { max: 1, onnotice: () => {} });
    try {
      // Another replica is running the job: this one does nothing.
      await other`select pg_advisory_lock(${CATALOG_EXPIRY_LOCK.toString()}::bigint)`;
      expect(await new CatalogExpiryJob(setup.database).runOnce(nextDay)).toMatchObject({ ran: false, announced: 0 });
      expect(about(await changesAfter(start), mine[0]!)).toEqual([]);
      await other`select pg_advisory_unlock(${CATALOG_EXPIRY_LOCK.toString()}::bigint)`;
    } finally {
      await other.end();
    }
    // Two replicas at the turn of the day, one listing per transaction so that they contend.
    const runs = await Promise.all([0, 1].map(() => new CatalogExpiryJob(setup.database, { batchSize: 1 }).runOnce(nextDay)));
    expect(runs.some((r) => r.ran)).toBe(true);
    await outboxSettled(setup.database);
    const removed = (await changesAfter(start, "anonymous", 100)).filter((c) => c.reason === "EXPIRED");
    expect(runs[0]!.announced + runs[1]!.announced).toBe(removed.length);
    expect(new Set(removed.map((c) => c.catalogNo)).size).toBe(removed.length);
    for (const product of mine) expect(summary(about(removed, product))).toEqual(["REMOVED EXPIRED"]);
    // Once more, by either: nothing left to say.
    expect(await new CatalogExpiryJob(setup.database).runOnce(nextDay)).toMatchObject({ ran: true, announced: 0 });
  });

  it("pages 100 changes in at most 2 statements, for the public and for an office", async () => {
    // A full page: 120 changes about products in the catalog and out of it (revoked, sent back), alternately,
    // so that callers who may see products outside the catalog have the product policy consulted for some.
    const start = await feedEnd();
    const numbered = await setup.database.rows<{ id: string; catalog_no: string; in_catalog: boolean }>(
      sql`select ${products.id} as id, ${products.catalogNo} as catalog_no, coalesce(${inCatalog()}, false) as in_catalog
          from ${products} where ${products.catalogNo} is not null order by ${products.id}`,
    );
    const inside = numbered.filter((p) => p.in_catalog);
    const outside = numbered.filter((p) => !p.in_catalog);
    expect(inside.length).toBeGreaterThan(0);
    expect(outside.length).toBeGreaterThan(0);
    const events = Array.from({ length: 120 }, (_, i) => {
      const p = i % 2 === 0 ? inside[i % inside.length]! : outside[i % outside.length]!;
      return { topic: "catalog.changed" as const, aggregateType: "Product", aggregateId: p.id, payload: { kind: "UPDATED", reason: null, catalogNo: p.catalog_no, fields: ["description"] } };
    });
    await setup.database.transaction((tx) => recordEvent(tx, events));
    await outboxSettled(setup.database);
    for (const caller of ["anonymous", "partner", "admin", "officer", "huayuanReviewer", "ownEnterprise"] as const) {
      const page = await setup.api.run(FEED, { after: start, first: 100 }, as(caller));
      expect(page.errors).toBeUndefined();
      expect(page.data.catalogChanges.edges.length).toBe(100);
      expect(page.data.catalogChanges.pageInfo.hasNextPage).toBe(true);
      expect(page.statements).toBeLessThanOrEqual(2);
    }
    // The public sees products in the catalog only; an admin sees the others too (the second statement's work).
    const seenBy = async (caller: CallerName) =>
      (await setup.api.run(FEED, { after: start, first: 100 }, as(caller))).data.catalogChanges.edges.filter((e: { node: Change }) => e.node.product).length;
    expect(await seenBy("anonymous")).toBe(50);
    expect(await seenBy("admin")).toBe(100);
    const plain = await setup.api.run(`query ($after: String) { catalogChanges(after: $after, first: 100) { nodes { kind catalogNo } } }`, { after: start });
    expect(plain.data.catalogChanges.nodes).toHaveLength(100);
    expect(plain.statements).toBe(1);
  });

  it("finds a change by its global ID", async () => {
    const page = await setup.api.run(FEED, { first: 1 });
    const change = page.data.catalogChanges.edges[0].node as Change;
    const found = await setup.api.run(`query ($id: ID!) { node(id: $id) { ... on CatalogChange { id kind catalogNo sequence } } }`, { id: change.id });
    expect(found.data.node).toEqual({ id: change.id, kind: change.kind, catalogNo: change.catalogNo, sequence: change.sequence });
  });

  it("refuses a forged cursor and an oversized page with BAD_USER_INPUT", async () => {
    expect(errorCodes(await setup.api.run(FEED, { after: "eyJ4IjoxfQ", first: 5 }))).toEqual(["BAD_USER_INPUT"]);
    expect(errorCodes(await setup.api.run(FEED, { after: "1-2; drop table products", first: 5 }))).toEqual(["BAD_USER_INPUT"]);
    expect(errorCodes(await setup.api.run(FEED, { first: 101 }))).toEqual(["BAD_USER_INPUT"]);
    expect(errorCodes(await setup.api.run(FEED, { first: -1 }))).toEqual(["BAD_USER_INPUT"]);
  });

  it("is never answered from the response cache (a change settles when an earlier transaction ends, which announces nothing)", () => {
    const cache = new ResponseCache({ maxEntries: 10, maxBytes: 1 << 20, ttlMs: 60_000 });
    const request = (query: string) => ({ method: "POST", body: { query }, search: "", accept: "application/json" });
    expect(cache.keyFor({ kind: "anonymous" }, request("{ catalog(first: 5) { nodes { id } } }"))).toBeDefined();
    expect(cache.keyFor({ kind: "anonymous" }, request("{ catalogChanges(first: 5) { nodes { kind } } }"))).toBeUndefined();
    expect(cache.keyFor({ kind: "anonymous" }, request("query Q { ...F } fragment F on Query { catalogChanges { nodes { kind } } }"))).toBeUndefined();
  });
});
