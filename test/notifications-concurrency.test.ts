import { describe, expect, it } from "vitest";
import { BUDGET_UNIT } from "../seeds/budget-units.js";
import { toGlobalId } from "../src/graphql/global-id.js";
import type { CallerName } from "./support/actors.js";
import { rootFieldOverHttp, useTestServer } from "./support/api.js";
import { onPostgres } from "./support/database.js";
import { gid, productInState } from "./support/fixtures.js";

/**
 * Issue 12 item 4 under concurrency: racing requests over HTTP, each its own transaction on its own
 * pooled connection. Only what commits is announced: of parallel reservations of a scarce product,
 * exactly the placed orders are announced to the supplier; of parallel shipments of one order, one
 * shipment reaches the unit. Parallel marks of one notification all answer the first read time.
 * Only PostgreSQL runs transactions in parallel (PGlite has one connection), hence PostgreSQL only.
 */
if (!onPostgres) console.log("notifications concurrency tests skipped: set TEST_DATABASE_URL to run them on PostgreSQL (parallel transactions)");

const RACERS = 12;

describe.skipIf(!onPostgres)("notifications under concurrency (PostgreSQL)", () => {
  const setup = useTestServer();
  let serial = 0;
  const caizheng = toGlobalId("BudgetUnit", BUDGET_UNIT.caizheng);
  const graphql = <T = any>(query: string, variables: Record<string, unknown>, caller: CallerName) => rootFieldOverHttp<T>(setup, query, variables, caller);

  /** A caller's notices of a kind about one object (newest 100). */
  const noticesAbout = async (caller: CallerName, subjectId: string, kind: string) =>
    ((await graphql(`{ notifications(first: 100) { nodes { id kind subjectId } } }`, {}, caller)).nodes as { id: string; kind: string; subjectId: string }[])
      .filter((n) => n.subjectId === subjectId && n.kind === kind);

  const RESERVE = `mutation ($input: ReservePurchaseInput!) { r: reservePurchase(input: $input) { order { id } userErrors { code } } }`;

  it(`announces exactly the orders placed when ${RACERS} officers' requests race for a supply of 5`, async () => {
    const product = await productInState(setup.database, setup.app.services, setup.callers.admin, setup.callers.ownEnterpriseId, "LISTED", { availableSupply: 5 });
    const productId = gid.product(product.id);
    const results = await Promise.all(
      Array.from({ length: RACERS }, () =>
        graphql(RESERVE, { input: { budgetUnitId: caizheng, productId, quantity: 1, idempotencyKey: `notify-race-${Date.now()}-${serial++}` } }, "officer"),
      ),
    );
    const placed = results.filter((r) => r.order).map((r) => r.order.id as string);
    expect(placed).toHaveLength(5);
    expect(results.filter((r) => !r.order).flatMap((r) => r.userErrors.map((e: { code: string }) => e.code))).toEqual(Array(RACERS - 5).fill("INSUFFICIENT_SUPPLY"));
    const announced = (await graphql(`{ notifications(first: 100) { nodes { kind subjectId } } }`, {}, "ownEnterprise")).nodes
      .filter((n: { kind: string; subjectId: string }) => n.kind === "ORDER_PLACED" && placed.includes(n.subjectId))
      .map((n: { subjectId: string }) => n.subjectId);
    expect(announced.sort()).toEqual([...placed].sort());
  });

  it(`announces one shipment when ${RACERS} markShipped calls race on one order`, async () => {
    const product = await productInState(setup.database, setup.app.services, setup.callers.admin, setup.callers.ownEnterpriseId, "LISTED", { availableSupply: 100 });
    const { order } = await graphql(RESERVE, { input: { budgetUnitId: caizheng, productId: gid.product(product.id), quantity: 2, idempotencyKey: `notify-ship-${Date.now()}` } }, "officer");
    const results = await Promise.all(
      Array.from({ length: RACERS }, () => graphql(`mutation ($id: ID!) { r: markShipped(input: {orderId: $id}) { order { id } userErrors { code } } }`, { id: order.id }, "ownEnterprise")),
    );
    expect(results.filter((r) => r.order)).toHaveLength(1);
    expect(await noticesAbout("officer", order.id, "ORDER_SHIPPED")).toHaveLength(1);
  });

  it(`gives ${RACERS} parallel marks of one notification by one account the same first read time`, async () => {
    const product = await productInState(setup.database, setup.app.services, setup.callers.admin, setup.callers.ownEnterpriseId, "LISTED", { availableSupply: 100 });
    const { order } = await graphql(RESERVE, { input: { budgetUnitId: caizheng, productId: gid.product(product.id), quantity: 1, idempotencyKey: `notify-mark-${Date.now()}` } }, "officer");
    const [notice] = await noticesAbout("ownEnterprise", order.id, "ORDER_PLACED");
    const results = await Promise.all(
      Array.from({ length: RACERS }, () =>
        graphql(`mutation ($ids: [ID!]!) { r: markNotificationsRead(input: {ids: $ids}) { notifications { id readAt } userErrors { code } } }`, { ids: [notice!.id] }, "ownEnterprise"),
      ),
    );
    expect(results.flatMap((r) => r.userErrors)).toEqual([]);
    const readAts = new Set(results.map((r) => r.notifications[0].readAt));
    expect(readAts.size).toBe(1);
  });
});
