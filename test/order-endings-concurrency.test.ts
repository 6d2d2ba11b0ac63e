import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { BUDGET_UNIT } from "../seeds/budget-units.js";
import { fromGlobalId, toGlobalId } from "../src/graphql/global-id.js";
import type { CallerName } from "./support/actors.js";
import { rootFieldOverHttp, useTestServer } from "./support/api.js";
import { onPostgres } from "./support/database.js";
import { gid, productInState } from "./support/fixtures.js";

/**
 * Issue 10 item 10 under concurrency: refusals, cancellations, shipments and confirmations racing
 * over HTTP on one order, each request in its own transaction on its own pooled connection. The
 * status update is conditional, so exactly one step wins and the supply returns at most once. Only
 * PostgreSQL runs transactions in parallel (PGlite has one connection), hence PostgreSQL only.
 */
if (!onPostgres) console.log("order-endings concurrency tests skipped: set TEST_DATABASE_URL to run them on PostgreSQL (parallel transactions)");

const RACERS = 8;
const ROUNDS = 5;

describe.skipIf(!onPostgres)("order endings under concurrency (PostgreSQL)", () => {
  const setup = useTestServer();
  let serial = 0;

  const graphql = (query: string, variables: Record<string, unknown>, caller: CallerName) =>
    rootFieldOverHttp<{ order: { id: string; status: string } | null; userErrors: { code: string }[] }>(setup, query, variables, caller);

  const step = (field: string, extra = "") =>
    `mutation ($id: ID!) { r: ${field}(input: {orderId: $id${extra}}) { order { id status } userErrors { code } } }`;
  const REJECT = step("rejectDelivery", `, reason: "到货破损"`);
  const CANCEL = step("cancelReservation", `, reason: "计划取消"`);
  const SHIP = step("markShipped");
  const CONFIRM = step("confirmDelivery", `, invoiceNo: "0440020011"`);

  async function listed(supply: number) {
    const product = await productInState(setup.database, setup.app.services, setup.callers.admin, setup.callers.ownEnterpriseId, "LISTED", { availableSupply: supply });
    return product.id;
  }
  async function reserved(productId: string, quantity: number) {
    const payload = await graphql(
      `mutation ($input: ReservePurchaseInput!) { r: reservePurchase(input: $input) { order { id status } userErrors { code } } }`,
      { input: { budgetUnitId: toGlobalId("BudgetUnit", BUDGET_UNIT.caizheng), productId: gid.product(productId), quantity, idempotencyKey: `race-end-${Date.now()}-${serial++}` } },
      "officer",
    );
    expect(payload.userErrors).toEqual([]);
    return payload.order!.id;
  }
  const supplyOf = async (productId: string) =>
    (await setup.database.rows<{ s: number }>(sql`select available_supply as s from products where id = ${productId}::uuid`))[0]!.s;
  /** Supply taken and not given back, by the orders' final statuses. */
  const heldBy = async (productId: string) =>
    Number((await setup.database.rows<{ q: number }>(sql`
      select coalesce(sum(quantity), 0)::int as q from orders where product_id = ${productId}::uuid and status not in ('CANCELLED', 'REJECTED')`))[0]!.q);
  const auditCount = async (orderId: string, operation: string) =>
    Number((await setup.database.rows<{ n: number }>(sql`
      select count(*)::int as n from audit_log where entity_type = 'Order' and entity_id = ${fromGlobalId(orderId).key} and operation = ${operation}`))[0]!.n);

  it(`lets exactly one of ${RACERS} parallel rejectDelivery calls win, returning the supply once`, async () => {
    const product = await listed(1000);
    for (let round = 0; round < ROUNDS; round++) {
      const id = await reserved(product, 7);
      expect((await graphql(SHIP, { id }, "ownEnterprise")).userErrors).toEqual([]);
      const before = await supplyOf(product);
      const results = await Promise.all(Array.from({ length: RACERS }, () => graphql(REJECT, { id }, "officer")));
      const winners = results.filter((r) => r.userErrors.length === 0);
      expect(winners).toHaveLength(1);
      expect(winners[0]!.order!.status).toBe("REJECTED");
      expect(results.filter((r) => r.userErrors[0]?.code === "INVALID_TRANSITION")).toHaveLength(RACERS - 1);
      expect(await supplyOf(product)).toBe(before + 7);
      expect(await auditCount(id, "rejectDelivery")).toBe(1);
    }
    expect(await supplyOf(product)).toBe(1000 - (await heldBy(product)));
  });

  it("lets exactly one of rejectDelivery and confirmDelivery win on a shipped order", async () => {
    const product = await listed(1000);
    for (let round = 0; round < ROUNDS; round++) {
      const id = await reserved(product, 3);
      await graphql(SHIP, { id }, "ownEnterprise");
      const results = await Promise.all(Array.from({ length: RACERS }, (_, i) => graphql(i % 2 ? REJECT : CONFIRM, { id }, "officer")));
      const winners = results.filter((r) => r.userErrors.length === 0);
      expect(winners).toHaveLength(1);
      expect(results.filter((r) => r.userErrors[0]?.code === "INVALID_TRANSITION")).toHaveLength(RACERS - 1);
    }
    expect(await supplyOf(product)).toBe(1000 - (await heldBy(product)));
  });

  it("returns the supply at most once when cancel, ship and reject race on a reserved order", async () => {
    const product = await listed(1000);
    for (let round = 0; round < ROUNDS; round++) {
      const id = await reserved(product, 5);
      // Cancel and ship compete for RESERVED; rejections can only win after the shipment.
      const racers = Array.from({ length: RACERS }, (_, i) =>
        i % 3 === 0 ? graphql(CANCEL, { id }, "officer") : i % 3 === 1 ? graphql(SHIP, { id }, "ownEnterprise") : graphql(REJECT, { id }, "officer"),
      );
      await Promise.all(racers);
      const returned = (await auditCount(id, "cancelReservation")) + (await auditCount(id, "rejectDelivery"));
      expect(returned).toBeLessThanOrEqual(1);
      expect(await auditCount(id, "cancelReservation") + (await auditCount(id, "markShipped"))).toBe(1);
    }
    expect(await supplyOf(product)).toBe(1000 - (await heldBy(product)));
  });
});
