import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUDGET_UNIT } from "../seeds/budget-units.js";
import { createServices } from "../src/app.js";
import type { Services } from "../src/graphql/context.js";
import { toGlobalId } from "../src/graphql/global-id.js";
import { testConfig } from "./support/api.js";
import { type Callers, setUpCallers } from "./support/actors.js";
import { type TestDatabase, onPostgres, openTestDatabase } from "./support/database.js";
import { gid, productInState } from "./support/fixtures.js";
import { type ServerProcess, startServerProcess } from "./support/server-process.js";

if (!onPostgres) console.log("procurement concurrency tests skipped: set TEST_DATABASE_URL to run them on PostgreSQL (4 server processes)");

const JWT_SECRET = "shared-secret-of-the-four-replicas-0123456789";

describe.skipIf(!onPostgres)("procurement under concurrency: 4 server processes on one PostgreSQL", () => {
  let tdb: TestDatabase;
  let servers: ServerProcess[] = [];
  let services: Services;
  let callers: Callers;
  let officerToken: string;
  let enterpriseToken: string;

  beforeAll(async () => {
    tdb = await openTestDatabase();
    services = createServices(tdb.database, { ...testConfig, JWT_SECRET });
    callers = await setUpCallers(tdb.database, services);
    officerToken = callers.credentials.officer.authorization!;
    enterpriseToken = callers.credentials.ownEnterprise.authorization!;
    const env = { DATABASE_URL: tdb.url!, NODE_ENV: "test", LOG_LEVEL: "info", JWT_SECRET, DB_POOL_SIZE: "10", RATE_LIMIT_ANONYMOUS_PER_MINUTE: "0", RATE_LIMIT_USER_PER_MINUTE: "0" };
    const started = await Promise.allSettled([0, 1, 2, 3].map(() => startServerProcess(env)));
    servers = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
    const failed = started.find((s) => s.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }, 180_000);

  afterAll(async () => {
    for (const s of servers) if (s.child.exitCode === null) s.child.kill("SIGTERM");
    await Promise.all(servers.map((s) => s.exited));
    await tdb?.drop();
  });

  const call = async (i: number, query: string, variables: Record<string, unknown>, authorization = officerToken) => {
    const response = await fetch(`${servers[i % servers.length]!.baseUrl}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as any;
  };

  const RESERVE = `mutation ($input: ReservePurchaseInput!) { reservePurchase(input: $input) { order { id quantity status } userErrors { code message } } }`;
  const reserveInput = (productId: string, key: string, quantity = 1) => ({
    input: { budgetUnitId: toGlobalId("BudgetUnit", BUDGET_UNIT.caizheng), productId: gid.product(productId), quantity, idempotencyKey: key },
  });
  const supplyOf = async (productId: string) => (await services.catalog.productsByIds([productId]))[0]!.availableSupply;
  const ordersOf = async (productId: string) =>
    (await tdb.database.rows<{ n: number; q: number }>(sql`select count(*)::int as n, coalesce(sum(quantity), 0)::int as q from orders where product_id = ${productId} and status <> 'CANCELLED'`))[0]!;

  it("never oversells: 400 concurrent reservations of 1 against a supply of 100", async () => {
    const product = await productInState(tdb.database, services, callers.admin, callers.ownEnterpriseId, "LISTED", { availableSupply: 100 });
    const results = await Promise.all(Array.from({ length: 400 }, (_, i) => call(i, RESERVE, reserveInput(product.id, `oversell-${i}-${product.id}`))));
    const succeeded = results.filter((r) => r.data?.reservePurchase?.order);
    const refused = results.filter((r) => r.data?.reservePurchase?.userErrors?.[0]?.code === "INSUFFICIENT_SUPPLY");
    expect(succeeded).toHaveLength(100);
    expect(refused).toHaveLength(300);
    expect(await supplyOf(product.id)).toBe(0);
    expect(await ordersOf(product.id)).toEqual({ n: 100, q: 100 });
  });

  it("makes one order of 50 concurrent identical requests, with 50 identical payloads", async () => {
    const product = await productInState(tdb.database, services, callers.admin, callers.ownEnterpriseId, "LISTED", { availableSupply: 500 });
    const variables = reserveInput(product.id, `same-key-${product.id}`, 3);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => call(i, RESERVE, variables)));
    const payloads = new Set(results.map((r) => JSON.stringify(r.data)));
    expect(payloads.size).toBe(1);
    expect(results[0].data.reservePurchase.userErrors).toEqual([]);
    expect(await ordersOf(product.id)).toEqual({ n: 1, q: 3 });
    expect(await supplyOf(product.id)).toBe(497);
  });

  it("lets exactly one of cancel and ship win on one order, returning supply at most once", async () => {
    const product = await productInState(tdb.database, services, callers.admin, callers.ownEnterpriseId, "LISTED", { availableSupply: 1000 });
    for (let round = 0; round < 10; round++) {
      const order = (await call(round, RESERVE, reserveInput(product.id, `race-${round}-${product.id}`, 5))).data.reservePurchase.order;
      const [cancel, ship] = await Promise.all([
        call(round, `mutation ($id: ID!) { cancelReservation(input: {orderId: $id}) { order { status } userErrors { code } } }`, { id: order.id }),
        call(round + 1, `mutation ($id: ID!) { markShipped(input: {orderId: $id}) { order { status } userErrors { code } } }`, { id: order.id }, enterpriseToken),
      ]);
      const winners = [cancel.data.cancelReservation, ship.data.markShipped].filter((p) => p.userErrors.length === 0);
      expect(winners).toHaveLength(1);
      const loser = [cancel.data.cancelReservation, ship.data.markShipped].find((p) => p.userErrors.length > 0);
      expect(loser.userErrors[0].code).toBe("INVALID_TRANSITION");
    }
    const open = await ordersOf(product.id);
    expect(await supplyOf(product.id)).toBe(1000 - open.q);
  });

  it("does not deadlock when concurrent requests touch several products in different orders", async () => {
    const a = await productInState(tdb.database, services, callers.admin, callers.ownEnterpriseId, "LISTED", { availableSupply: 1000 });
    const b = await productInState(tdb.database, services, callers.admin, callers.ownEnterpriseId, "LISTED", { availableSupply: 1000 });
    // Reserve on A then B, and on B then A, while cancelling earlier orders of both: 120 concurrent requests.
    const earlier = [];
    for (let i = 0; i < 20; i++) earlier.push((await call(i, RESERVE, reserveInput(i % 2 ? a.id : b.id, `pre-${i}-${a.id}`, 2))).data.reservePurchase.order.id);
    const work = Array.from({ length: 40 }, (_, i) => async () => {
      const [first, second] = i % 2 ? [a, b] : [b, a];
      const r1 = await call(i, RESERVE, reserveInput(first.id, `dl-${i}-1-${a.id}`, 1));
      const r2 = await call(i + 1, RESERVE, reserveInput(second.id, `dl-${i}-2-${a.id}`, 1));
      return [r1, r2];
    });
    const cancels = earlier.map((id, i) => () => call(i, `mutation ($id: ID!) { cancelReservation(input: {orderId: $id}) { userErrors { code } } }`, { id }));
    const results = (await Promise.all([...work.map((w) => w()), ...cancels.map((c) => c())])).flat();
    for (const r of results) {
      expect(r.errors).toBeUndefined();
      const payload = r.data.reservePurchase ?? r.data.cancelReservation;
      expect(payload.userErrors).toEqual([]);
    }
    expect(await supplyOf(a.id)).toBe(1000 - (await ordersOf(a.id)).q);
    expect(await supplyOf(b.id)).toBe(1000 - (await ordersOf(b.id)).q);
  });
});
