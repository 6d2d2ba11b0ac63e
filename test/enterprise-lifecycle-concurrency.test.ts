import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { BUDGET_UNIT } from "../seeds/budget-units.js";
import { fromGlobalId, toGlobalId } from "../src/graphql/global-id.js";
import { useTestApi } from "./support/api.js";
import { onPostgres } from "./support/database.js";
import { freshUscc, freshUsername, productInState } from "./support/fixtures.js";

/**
 * Issue 10 item 1 under concurrency: a suspension and the writes it forbids (an order of the
 * enterprise's product, a new pairing) are one after the other, never both at once; and of several
 * simultaneous status changes exactly one happens. Only PostgreSQL runs transactions in parallel
 * (PGlite has one connection), hence PostgreSQL only.
 */
if (!onPostgres) console.log("enterprise lifecycle concurrency tests skipped: set TEST_DATABASE_URL to run them on PostgreSQL (parallel transactions)");

const RACERS = 6;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!onPostgres)("enterprise lifecycle under concurrency (PostgreSQL)", () => {
  const setup = useTestApi();
  let serial = 0;

  async function verifiedEnterprise(): Promise<string> {
    const admin = setup.callers.admin;
    const { enterprise } = await setup.api.services.registration.register(admin, {
      name: `花垣县并发测试合作社${serial++}`,
      uscc: freshUscc(),
      kind: "COOPERATIVE",
      countyCode: "433124",
      username: freshUsername("race"),
      password: "race-password-2020",
    });
    await setup.api.services.registration.verify(admin, enterprise.id);
    return enterprise.id;
  }

  const reserve = (productId: string) =>
    setup.api.run(
      `mutation ($input: ReservePurchaseInput!) { reservePurchase(input: $input) { order { id } userErrors { code } } }`,
      { input: { budgetUnitId: toGlobalId("BudgetUnit", BUDGET_UNIT.caizheng), productId: toGlobalId("Product", productId), quantity: 1, idempotencyKey: `race-${serial++}-${Date.now()}`, channel: "CANTEEN" } },
      setup.callers.credentials.officer,
    );

  /**
   * Holds a suspension of the enterprise uncommitted (the UPDATE suspendEnterprise makes) while
   * `write` starts; the write must wait for it, then see it: refused, not placed beside it.
   */
  async function whileSuspending(enterpriseId: string, write: () => Promise<any>) {
    let pending: Promise<any> | undefined;
    let settledEarly = false;
    await setup.database.transaction(async (tx) => {
      await tx.execute(sql`update enterprises set status = 'SUSPENDED', version = version + 1 where id = ${enterpriseId}::uuid and status = 'VERIFIED'`);
      pending = write();
      void pending.then(() => (settledEarly = true));
      await sleep(400);
      expect(settledEarly, "the write waited for the suspension to commit").toBe(false);
    });
    return pending!;
  }

  it("refuses an order that races a suspension: reservePurchase waits for the suspension, then finds it", async () => {
    const enterpriseId = await verifiedEnterprise();
    const product = await productInState(setup.database, setup.api.services, setup.callers.admin, enterpriseId, "LISTED", { availableSupply: 100 });
    expect((await reserve(product.id)).data.reservePurchase.userErrors).toEqual([]);
    const raced = await whileSuspending(enterpriseId, () => reserve(product.id));
    expect(raced.data.reservePurchase).toEqual({ order: null, userErrors: [{ code: "ENTERPRISE_NOT_VERIFIED" }] });
    const [row] = await setup.api.services.catalog.productsByIds([product.id]);
    expect(row!.availableSupply).toBe(99);
  });

  it("refuses a pairing that races a suspension", async () => {
    const enterpriseId = await verifiedEnterprise();
    const raced = await whileSuspending(enterpriseId, () =>
      setup.api.run(
        `mutation ($input: CreatePairingInput!) { createPairing(input: $input) { pairing { id } userErrors { code } } }`,
        { input: { enterpriseId: toGlobalId("Enterprise", enterpriseId), villageCode: "433124103201", mode: "INDUSTRY", startDate: "2020-03-01" } },
        setup.callers.credentials.huayuanReviewer,
      ),
    );
    expect(raced.data.createPairing).toEqual({ pairing: null, userErrors: [{ code: "ENTERPRISE_NOT_VERIFIED" }] });
  });

  it(`lets exactly one of ${RACERS} simultaneous suspensions happen, with one history row`, async () => {
    const enterpriseId = await verifiedEnterprise();
    const id = toGlobalId("Enterprise", enterpriseId);
    const callers = ["huayuanReviewer", "prefectureReviewer", "admin"] as const;
    const results = await Promise.all(
      Array.from({ length: RACERS }, (_, i) =>
        setup.api.run(`mutation ($input: SuspendEnterpriseInput!) { suspendEnterprise(input: $input) { enterprise { status } userErrors { code } } }`, { input: { enterpriseId: id, reason: `并发暂停 ${i}` } }, setup.callers.credentials[callers[i % callers.length]!]),
      ),
    );
    const codes = results.map((r) => r.data.suspendEnterprise.userErrors.map((e: { code: string }) => e.code).join() || "ok").sort();
    expect(codes).toEqual(["INVALID_TRANSITION", ...Array(RACERS - 2).fill("INVALID_TRANSITION"), "ok"].sort());
    const history = await setup.database.rows<{ status: string }>(sql`select status from enterprise_status_history where enterprise_id = ${fromGlobalId(id).key}::uuid order by seq`);
    expect(history.map((h) => h.status)).toEqual(["VERIFIED", "SUSPENDED"]);
  });

  it(`orders racing a suspension: each is placed before it or refused after it (${RACERS} orders)`, async () => {
    const enterpriseId = await verifiedEnterprise();
    const product = await productInState(setup.database, setup.api.services, setup.callers.admin, enterpriseId, "LISTED", { availableSupply: 1000 });
    const orders = Array.from({ length: RACERS }, () => reserve(product.id));
    const suspension = setup.api.services.registration.suspend(setup.callers.admin, enterpriseId, "抽检不合格");
    const results = await Promise.all(orders);
    await suspension;
    const placed = results.filter((r) => r.data.reservePurchase.order).length;
    for (const r of results) if (!r.data.reservePurchase.order) expect(r.data.reservePurchase.userErrors).toEqual([{ code: "ENTERPRISE_NOT_VERIFIED" }]);
    // Every placed order committed before the suspension did: none was created after it.
    const [{ after }] = (await setup.database.rows<{ after: number }>(sql`
      select count(*)::int as after from orders o
      where o.product_id = ${product.id}::uuid
        and o.created_at > (select at from enterprise_status_history where enterprise_id = ${enterpriseId}::uuid and status = 'SUSPENDED')`)) as [{ after: number }];
    expect(after).toBe(0);
    const [row] = await setup.api.services.catalog.productsByIds([product.id]);
    expect(row!.availableSupply).toBe(1000 - placed);
  });
});
