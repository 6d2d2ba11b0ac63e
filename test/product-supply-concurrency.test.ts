import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { BUDGET_UNIT } from "../seeds/budget-units.js";
import { fromGlobalId, toGlobalId } from "../src/graphql/global-id.js";
import type { CallerName } from "./support/actors.js";
import { rootFieldOverHttp, useTestServer } from "./support/api.js";
import { onPostgres } from "./support/database.js";

/**
 * Issue 10 item 3 under concurrency: the enterprise adjusts its stock while officers reserve it and
 * the enterprise edits the description, each request over HTTP in its own transaction on its own
 * pooled connection. Supply is never oversold nor lost, and the content edit never collides.
 * Only PostgreSQL runs transactions in parallel (PGlite has one connection), hence PostgreSQL only.
 */
if (!onPostgres) console.log("product supply concurrency tests skipped: set TEST_DATABASE_URL to run them on PostgreSQL (parallel transactions)");

const ROUNDS = 3;
const ORDERS = 16;
const ADJUSTMENTS = 12;

describe.skipIf(!onPostgres)("stock under concurrency (PostgreSQL)", () => {
  const setup = useTestServer();
  let serial = 0;

  const graphql = (query: string, variables: Record<string, unknown>, caller: CallerName) =>
    rootFieldOverHttp<{ userErrors: { code: string; field: string[] }[] } & Record<string, any>>(setup, query, variables, caller);

  async function listedProduct(availableSupply: number): Promise<{ id: string; version: number }> {
    const created = await graphql(
      `mutation ($input: CreateProductInput!) { createProduct(input: $input) { product { id } userErrors { code } } }`,
      { input: { name: "凤凰姜糖", category: "PROCESSED_FOOD", spec: "250克/袋", unit: "袋", unitPrice: "18.80", originCountyCode: "433124", availableSupply } },
      "ownEnterprise",
    );
    const id = created.product.id as string;
    await graphql(`mutation ($id: ID!) { submitProductForCertification(input: {productId: $id}) { userErrors { code } } }`, { id }, "ownEnterprise");
    await graphql(`mutation ($id: ID!) { reviewProduct(input: {productId: $id, decision: APPROVE}) { userErrors { code } } }`, { id }, "huayuanReviewer");
    const listed = await graphql(
      `mutation ($id: ID!) { listProducts(input: {productIds: [$id], batch: "并发批次"}) { products { version } userErrors { code } } }`,
      { id },
      "prefectureReviewer",
    );
    return { id, version: listed.products[0].version };
  }

  it(`never oversells while supply is adjusted and orders race (${ROUNDS} rounds of ${ORDERS} orders and ${ADJUSTMENTS} adjustments)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const start = 20;
      const product = await listedProduct(start);
      const reservations = Array.from({ length: ORDERS }, (_, i) =>
        graphql(
          `mutation ($input: ReservePurchaseInput!) { reservePurchase(input: $input) { order { quantity } userErrors { code } } }`,
          { input: { budgetUnitId: toGlobalId("BudgetUnit", BUDGET_UNIT.caizheng), productId: product.id, quantity: 1 + (i % 3), idempotencyKey: `race-key-${round}-${serial++}` } },
          "officer",
        ),
      );
      // Removals that may find too little stock, and additions.
      const deltas = Array.from({ length: ADJUSTMENTS }, (_, i) => (i % 2 === 0 ? -4 : 3));
      const adjustments = deltas.map((delta) =>
        graphql(
          `mutation ($input: AdjustProductSupplyInput!) { adjustProductSupply(input: $input) { product { availableSupply } userErrors { code field } } }`,
          { input: { productId: product.id, delta } },
          "ownEnterprise",
        ),
      );
      const edit = graphql(
        `mutation ($input: UpdateProductInput!) { updateProduct(input: $input) { product { version } userErrors { code } } }`,
        { input: { productId: product.id, expectedVersion: product.version, description: `第${round}轮新描述` } },
        "ownEnterprise",
      );
      const [ordered, adjusted, edited] = await Promise.all([Promise.all(reservations), Promise.all(adjustments), edit]);

      for (const r of ordered) expect(r.userErrors.map((e) => e.code)).toEqual(r.order ? [] : ["INSUFFICIENT_SUPPLY"]);
      for (const a of adjusted) expect(a.userErrors.map((e) => e.code)).toEqual(a.product ? [] : ["INSUFFICIENT_SUPPLY"]);
      expect(edited.userErrors).toEqual([]);
      expect(edited.product.version).toBe(product.version + 1);

      const taken = ordered.reduce((sum, r) => sum + (r.order ? r.order.quantity : 0), 0);
      const added = adjusted.reduce((sum, a, i) => sum + (a.product ? deltas[i]! : 0), 0);
      const key = fromGlobalId(product.id).key;
      const [row] = await setup.database.rows<{ available_supply: number; ordered: number; version: number }>(sql`
        select p.available_supply, p.version, (select coalesce(sum(quantity), 0)::int from orders o where o.product_id = p.id) as ordered
        from products p where p.id = ${key}::uuid`);
      expect(Number(row!.ordered)).toBe(taken);
      expect(row!.available_supply).toBe(start + added - taken);
      expect(row!.available_supply).toBeGreaterThanOrEqual(0);
      expect(row!.version).toBe(product.version + 1);
      // Something raced: some orders went through.
      expect(taken).toBeGreaterThan(0);
    }
  }, 120_000);
});
