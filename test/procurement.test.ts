import { describe, expect, it } from "vitest";
import { BUDGET_UNIT } from "../seeds/budget-units.js";
import { fromGlobalId, toGlobalId } from "../src/graphql/global-id.js";
import { errorCodes, useTestApi } from "./support/api.js";
import { gid, productInState } from "./support/fixtures.js";
import { businessYear } from "../src/clock.js";

let n = 0;
const key = () => `test-key-${Date.now()}-${n++}`;
const unit = (id: string) => toGlobalId("BudgetUnit", id);
const year = businessYear();

const setup = useTestApi();

const DECLARE = `mutation ($input: DeclareQuotaInput!) { declareQuota(input: $input) { quota { id year canteenFoodTotal reservedAmount noCanteen } userErrors { code message field } } }`;
const RESERVE = `mutation ($input: ReservePurchaseInput!) { reservePurchase(input: $input) {
  order { id status quantity unitPrice amount channel product { availableSupply } budgetUnit { name } }
  quota { reservedAmount openAmount deliveredAmount completionRate }
  product { availableSupply } userErrors { code message field } } }`;
const ACT = (name: string) => `mutation ($id: ID!) { r: ${name}(input: {orderId: $id}) { order { status shippedAt deliveredAt cancelledAt } userErrors { code message } } }`;

const officer = () => setup.callers.credentials.officer;
async function listed(supply = 100, price = "25.50") {
  return productInState(setup.database, setup.api.services, setup.callers.admin, setup.callers.ownEnterpriseId, "LISTED", { availableSupply: supply, unitPrice: price });
}
async function reserve(productId: string, quantity: number, extra: Record<string, unknown> = {}) {
  return setup.api.run(RESERVE, { input: { budgetUnitId: unit(BUDGET_UNIT.caizheng), productId: gid.product(productId), quantity, idempotencyKey: key(), ...extra } }, officer());
}

describe("declaring the reserved share (预留份额)", () => {
  it("refuses a share below the year's minimum ratio, naming the minimum", async () => {
    const result = await setup.api.run(DECLARE, { input: { budgetUnitId: unit(BUDGET_UNIT.caizheng), year: 2022, canteenFoodTotal: "123456.78", reservedAmount: "12345.00" } }, officer());
    expect(result.data.declareQuota.userErrors[0]).toMatchObject({ code: "INVALID", field: ["input", "reservedAmount"] });
    expect(result.data.declareQuota.userErrors[0].message).toContain("12345.68"); // 10 % rounded up to the fen
  });

  it("accepts the minimum exactly, and a revision replaces the declaration (audited)", async () => {
    const first = await setup.api.run(DECLARE, { input: { budgetUnitId: unit(BUDGET_UNIT.caizheng), year: 2022, canteenFoodTotal: "123456.78", reservedAmount: "12345.68" } }, officer());
    expect(first.data.declareQuota.userErrors).toEqual([]);
    const revised = await setup.api.run(DECLARE, { input: { budgetUnitId: unit(BUDGET_UNIT.caizheng), year: 2022, canteenFoodTotal: "200000.00", reservedAmount: "30000.00" } }, officer());
    expect(revised.data.declareQuota.quota).toMatchObject({ id: first.data.declareQuota.quota.id, canteenFoodTotal: "200000.00", reservedAmount: "30000.00" });
    const audit = await setup.api.services.audit.entriesFor("Quota", fromGlobalId(first.data.declareQuota.quota.id).key);
    expect(audit.map((a) => a.operation)).toEqual(["declareQuota", "declareQuota"]);
    expect((audit[0]!.changes as Record<string, { before: unknown; after: unknown }>).reservedAmount).toEqual({ before: "12345.68", after: "30000.00" });
  });

  it("lets a unit without a canteen declare no quota, and refuses a canteen total for it", async () => {
    const ok = await setup.api.run(DECLARE, { input: { budgetUnitId: unit(BUDGET_UNIT.caizheng), year: 2023, canteenFoodTotal: "0", reservedAmount: "0", noCanteen: true } }, officer());
    expect(ok.data.declareQuota.userErrors).toEqual([]);
    const bad = await setup.api.run(DECLARE, { input: { budgetUnitId: unit(BUDGET_UNIT.caizheng), year: 2024, canteenFoodTotal: "1000", reservedAmount: "0", noCanteen: true } }, officer());
    expect(bad.data.declareQuota.userErrors[0].field).toEqual(["input", "canteenFoodTotal"]);
  });

  it.each([
    ["a negative amount", { canteenFoodTotal: "-1", reservedAmount: "0" }],
    ["a year out of range", { year: 1999 }],
  ])("refuses %s", async (_name, patch) => {
    const result = await setup.api.run(DECLARE, { input: { budgetUnitId: unit(BUDGET_UNIT.caizheng), year: 2025, canteenFoodTotal: "100", reservedAmount: "10", ...patch } }, officer());
    expect(result.data.declareQuota.userErrors[0].code).toBe("INVALID");
  });
});

describe("reserving a purchase", () => {
  it("takes the unit price at that moment and reduces the supply", async () => {
    const product = await listed(100, "25.50");
    const result = await reserve(product.id, 4);
    expect(result.data.reservePurchase.userErrors).toEqual([]);
    expect(result.data.reservePurchase.order).toMatchObject({ status: "RESERVED", quantity: 4, unitPrice: "25.50", amount: "102.00", channel: "CANTEEN", budgetUnit: { name: "湘西州财政局" } });
    expect(result.data.reservePurchase.product.availableSupply).toBe(96);
    await setup.api.services.products.updateProduct(setup.callers.admin, product.id, (await setup.api.services.catalog.productsByIds([product.id]))[0]!.version, { unitPrice: "30.00" });
    const later = await reserve(product.id, 1);
    expect(later.data.reservePurchase.order.unitPrice).toBe("30.00");
    const first = await setup.api.run(`query ($id: ID!) { node(id: $id) { ... on Order { unitPrice amount } } }`, { id: result.data.reservePurchase.order.id }, officer());
    expect(first.data.node).toEqual({ unitPrice: "25.50", amount: "102.00" });
  });

  it("changes only the stock: the product's version and updatedAt stay, so the enterprise's next edit does not collide", async () => {
    const product = await listed(50);
    const READ = `query ($id: ID!) { product(id: $id) { version updatedAt availableSupply } }`;
    const before = (await setup.api.run(READ, { id: gid.product(product.id) }, setup.callers.credentials.ownEnterprise)).data.product;
    const order = await reserve(product.id, 3);
    expect(order.data.reservePurchase.userErrors).toEqual([]);
    const cancelled = await setup.api.run(`mutation ($id: ID!) { cancelReservation(input: {orderId: $id}) { userErrors { code } } }`, { id: order.data.reservePurchase.order.id }, officer());
    expect(cancelled.data.cancelReservation.userErrors).toEqual([]);
    await reserve(product.id, 2);
    const after = (await setup.api.run(READ, { id: gid.product(product.id) }, setup.callers.credentials.ownEnterprise)).data.product;
    expect(after).toEqual({ version: before.version, updatedAt: before.updatedAt, availableSupply: 48 });
    const edit = await setup.api.run(
      `mutation ($input: UpdateProductInput!) { updateProduct(input: $input) { product { description } userErrors { code } } }`,
      { input: { productId: gid.product(product.id), expectedVersion: before.version, description: "库存之外的修改" } },
      setup.callers.credentials.ownEnterprise,
    );
    expect(edit.data.updateProduct).toEqual({ product: { description: "库存之外的修改" }, userErrors: [] });
  });

  it("refuses more than the available supply, saying how much is left, and changes nothing", async () => {
    const product = await listed(5);
    const result = await reserve(product.id, 6);
    expect(result.data.reservePurchase.userErrors[0]).toMatchObject({ code: "INSUFFICIENT_SUPPLY", field: ["input", "quantity"] });
    expect(result.data.reservePurchase.userErrors[0].message).toContain("only 5 available");
    expect((await setup.api.services.catalog.productsByIds([product.id]))[0]!.availableSupply).toBe(5);
  });

  it.each(["DRAFT", "CERTIFIED", "REVOKED", "EXPIRED"] as const)("refuses a %s product as NOT_CERTIFIED", async (state) => {
    const product = await productInState(setup.database, setup.api.services, setup.callers.admin, setup.callers.ownEnterpriseId, state);
    const result = await reserve(product.id, 1);
    expect(result.data.reservePurchase.userErrors[0].code).toBe("NOT_CERTIFIED");
  });

  it("refuses a unit with no quota for the year", async () => {
    const product = await listed();
    const result = await setup.api.run(RESERVE, { input: { budgetUnitId: unit(BUDGET_UNIT.caizheng), productId: gid.product(product.id), quantity: 1, idempotencyKey: key() } }, setup.callers.credentials.admin);
    expect(result.data.reservePurchase.userErrors).toEqual([]);
    const noQuota = await setup.api.run(RESERVE, { input: { budgetUnitId: unit("b1000000-4331-4000-a000-000000000005"), productId: gid.product(product.id), quantity: 1, idempotencyKey: key() } }, setup.callers.credentials.admin);
    expect(noQuota.data.reservePurchase.userErrors[0]).toMatchObject({ code: "NO_QUOTA" });
  });

  it.each([
    ["zero", { quantity: 0 }],
    ["a negative quantity", { quantity: -3 }],
    ["an absurd quantity", { quantity: 10_000_000 }],
    ["a short idempotency key", { idempotencyKey: "k" }],
  ])("refuses %s", async (_name, patch) => {
    const product = await listed();
    const result = await reserve(product.id, 1, patch);
    expect(result.data.reservePurchase.userErrors[0].code).toBe("INVALID");
  });

  it("answers a replay with the same order, and refuses the key for a different request", async () => {
    const product = await listed(50);
    const input = { budgetUnitId: unit(BUDGET_UNIT.caizheng), productId: gid.product(product.id), quantity: 3, idempotencyKey: key(), channel: "TRADE_UNION" };
    const first = await setup.api.run(RESERVE, { input }, officer());
    const again = await setup.api.run(RESERVE, { input }, officer());
    expect(again.data.reservePurchase.order).toEqual(first.data.reservePurchase.order);
    expect((await setup.api.services.catalog.productsByIds([product.id]))[0]!.availableSupply).toBe(47);
    const different = await setup.api.run(RESERVE, { input: { ...input, quantity: 4 } }, officer());
    expect(different.data.reservePurchase.userErrors[0]).toMatchObject({ code: "IDEMPOTENCY_CONFLICT", field: ["input", "idempotencyKey"] });
  });
});

describe("order lifecycle", () => {
  it("cancels a reservation once, returning the supply once", async () => {
    const product = await listed(10);
    const order = (await reserve(product.id, 4)).data.reservePurchase.order;
    const cancelled = await setup.api.run(ACT("cancelReservation"), { id: order.id }, officer());
    expect(cancelled.data.r.order.status).toBe("CANCELLED");
    const again = await setup.api.run(ACT("cancelReservation"), { id: order.id }, officer());
    expect(again.data.r.userErrors[0].code).toBe("INVALID_TRANSITION");
    expect((await setup.api.services.catalog.productsByIds([product.id]))[0]!.availableSupply).toBe(10);
  });

  it("ships (the supplier) and confirms delivery (the unit); delivered amounts count toward completion", async () => {
    const product = await listed(1000, "100.00");
    await setup.api.run(DECLARE, { input: { budgetUnitId: unit(BUDGET_UNIT.caizheng), year, canteenFoodTotal: "100000.00", reservedAmount: "10000.00" } }, officer());
    const quotaOf = async () =>
      (await setup.api.run(`query ($y: Int) { quotas(filter: {year: $y}) { reservedAmount deliveredAmount openAmount completionRate budgetUnit { code } } }`, { y: year }, officer())).data.quotas.find(
        (q: any) => q.budgetUnit.code === "ZZ-001",
      );
    const before = await quotaOf();
    const order = (await reserve(product.id, 20)).data.reservePurchase.order; // 2000.00
    const illegal = await setup.api.run(ACT("confirmDelivery"), { id: order.id }, officer());
    expect(illegal.data.r.userErrors[0].code).toBe("INVALID_TRANSITION");
    const shipped = await setup.api.run(ACT("markShipped"), { id: order.id }, setup.callers.credentials.ownEnterprise);
    expect(shipped.data.r.order.status).toBe("SHIPPED");
    const open = await quotaOf();
    expect(Number(open.openAmount) - Number(before.openAmount)).toBeCloseTo(2000, 2);
    const delivered = await setup.api.run(ACT("confirmDelivery"), { id: order.id }, officer());
    expect(delivered.data.r.order).toMatchObject({ status: "DELIVERED" });
    const after = await quotaOf();
    expect(Number(after.deliveredAmount) - Number(before.deliveredAmount)).toBeCloseTo(2000, 2);
    expect(after.completionRate).toBeCloseTo(Number(after.deliveredAmount) / 10000, 4);
    const cancelLate = await setup.api.run(ACT("cancelReservation"), { id: order.id }, officer());
    expect(cancelLate.data.r.userErrors[0].code).toBe("INVALID_TRANSITION");
  });
});

describe("who sees which orders and quotas", () => {
  it("lets a supervising unit's officer read its subordinates' quotas and orders, but not act for them", async () => {
    const { token } = await setup.api.services.accounts.login("jiaoti_officer", "xiangxi-jiaoti-2020", "192.0.2.77", "t").catch(async () => {
      await setup.api.services.accounts.createUser(setup.callers.admin, { username: "jiaoti_officer", password: "xiangxi-jiaoti-2020", role: "OFFICER", budgetUnitId: BUDGET_UNIT.jiaoti });
      return setup.api.services.accounts.login("jiaoti_officer", "xiangxi-jiaoti-2020", "192.0.2.77", "t");
    });
    const supervisor = { authorization: `Bearer ${token}` };
    const quotas = await setup.api.run(`query ($y: Int) { quotas(filter: {year: $y}) { budgetUnit { code } } }`, { y: year }, supervisor);
    const codes = quotas.data.quotas.map((q: any) => q.budgetUnit.code).sort();
    expect(codes.length).toBeGreaterThan(1);
    for (const c of codes) expect(c.startsWith("ZZ-002")).toBe(true);
    const product = await listed();
    const actForSchool = await setup.api.run(RESERVE, { input: { budgetUnitId: unit(BUDGET_UNIT.minzuZhongxue), productId: gid.product(product.id), quantity: 1, idempotencyKey: key() } }, supervisor);
    expect(errorCodes(actForSchool)).toEqual(["FORBIDDEN"]);
    const others = await setup.api.run(`{ orders(filter: {budgetUnitId: "${unit(BUDGET_UNIT.caizheng)}"}) { totalCount } }`, {}, supervisor);
    expect(others.data.orders.totalCount).toBe(0);
  });

  it("shows an enterprise the orders for its products only", async () => {
    const mine = await setup.api.run(`{ orders(first: 100) { nodes { product { enterprise { id } } } } }`, {}, setup.callers.credentials.ownEnterprise);
    expect(mine.data.orders.nodes.length).toBeGreaterThan(0);
    for (const o of mine.data.orders.nodes) expect(o.product.enterprise.id).toBe(gid.enterprise(setup.callers.ownEnterpriseId));
    const theirs = await setup.api.run(`{ orders { totalCount } }`, {}, setup.callers.credentials.otherEnterprise);
    expect(theirs.data.orders.totalCount).toBe(0);
  });

  it("keeps orders and quotas from anonymous callers and partners", async () => {
    expect(errorCodes(await setup.api.run(`{ orders { totalCount } }`))).toEqual(["UNAUTHENTICATED"]);
    expect(errorCodes(await setup.api.run(`{ quotas { year } }`, {}, setup.callers.credentials.partner))).toEqual(["UNAUTHENTICATED"]);
  });
});

describe("IDs in procurement inputs (issue 8)", () => {
  const nothing = (type: "BudgetUnit" | "Product" | "Order") => toGlobalId(type, "00000000-0000-4000-a000-0000000000ff");
  const CREATE_UNIT = `mutation ($input: CreateBudgetUnitInput!) { r: createBudgetUnit(input: $input) { budgetUnit { id code parent { id } } userErrors { code message field } } }`;
  const UPDATE_UNIT = `mutation ($input: UpdateBudgetUnitInput!) { r: updateBudgetUnit(input: $input) { budgetUnit { id parent { id } } userErrors { code message field } } }`;
  const DECLARE_R = DECLARE.replace("declareQuota(", "r: declareQuota(");
  const RESERVE_R = RESERVE.replace("reservePurchase(", "r: reservePurchase(");
  const ORDER_ACTION = (name: string) => `mutation ($input: ${name[0]!.toUpperCase()}${name.slice(1)}Input!) { r: ${name}(input: $input) { order { id } userErrors { code message field } } }`;
  let codes = 0;
  const freshCode = () => `T8-${Date.now() % 100000}-${codes++}`;

  it("answers a well-formed ID of nothing with a NOT_FOUND userError naming the field, never a masked error", async () => {
    const product = await listed();
    const cases: [string, Record<string, unknown>, string][] = [
      [UPDATE_UNIT, { budgetUnitId: nothing("BudgetUnit"), name: "不存在的单位" }, "budgetUnitId"],
      [UPDATE_UNIT, { budgetUnitId: unit(BUDGET_UNIT.minzuZhongxue), parentId: nothing("BudgetUnit") }, "parentId"],
      [CREATE_UNIT, { code: freshCode(), name: "湘西州测试单位", level: "PREFECTURE_DIRECT", parentId: nothing("BudgetUnit") }, "parentId"],
      [DECLARE_R, { budgetUnitId: nothing("BudgetUnit"), year: 2025, canteenFoodTotal: "100", reservedAmount: "10" }, "budgetUnitId"],
      [RESERVE_R, { budgetUnitId: nothing("BudgetUnit"), productId: gid.product(product.id), quantity: 1, idempotencyKey: key() }, "budgetUnitId"],
      [RESERVE_R, { budgetUnitId: unit(BUDGET_UNIT.caizheng), productId: nothing("Product"), quantity: 1, idempotencyKey: key() }, "productId"],
      [ORDER_ACTION("cancelReservation"), { orderId: nothing("Order") }, "orderId"],
      [ORDER_ACTION("markShipped"), { orderId: nothing("Order") }, "orderId"],
      [ORDER_ACTION("confirmDelivery"), { orderId: nothing("Order") }, "orderId"],
    ];
    for (const [query, input, field] of cases) {
      const result = await setup.api.run(query, { input }, setup.callers.credentials.admin);
      expect(result.errors, `${field} in ${query.slice(0, 40)}`).toBeUndefined();
      expect(result.data.r.userErrors).toEqual([expect.objectContaining({ code: "NOT_FOUND", field: ["input", field] })]);
    }
  });

  it("refuses an empty or foreign ID as BAD_USER_INPUT naming the input path", async () => {
    const empty = await setup.api.run(UPDATE_UNIT, { input: { budgetUnitId: unit(BUDGET_UNIT.minzuZhongxue), parentId: "" } }, setup.callers.credentials.admin);
    expect(errorCodes(empty)).toEqual(["BAD_USER_INPUT"]);
    expect(empty.errors![0]!.extensions!.argument).toBe("input.parentId");
    const foreign = await setup.api.run(RESERVE_R, { input: { budgetUnitId: unit(BUDGET_UNIT.caizheng), productId: unit(BUDGET_UNIT.caizheng), quantity: 1, idempotencyKey: key() } }, officer());
    expect(errorCodes(foreign)).toEqual(["BAD_USER_INPUT"]);
    expect(foreign.errors![0]!.extensions!.argument).toBe("input.productId");
    const filter = await setup.api.run(`{ orders(filter: {budgetUnitId: ""}) { totalCount } }`, {}, officer());
    expect(errorCodes(filter)).toEqual(["BAD_USER_INPUT"]);
  });

  it("creates and moves units with the IDs the API returns; parentId null makes a unit top-level", async () => {
    const listed = await setup.api.run(`{ budgetUnits(first: 100) { nodes { id code } } }`, {}, setup.callers.credentials.admin);
    const jiaoti = listed.data.budgetUnits.nodes.find((u: any) => u.code === "ZZ-002").id;
    const created = await setup.api.run(CREATE_UNIT, { input: { code: freshCode(), name: "湘西州测试学校", level: "PREFECTURE_DIRECT", parentId: jiaoti, countyCode: null } }, setup.callers.credentials.admin);
    expect(created.data.r.userErrors).toEqual([]);
    expect(created.data.r.budgetUnit.parent).toEqual({ id: jiaoti });
    const id = created.data.r.budgetUnit.id;
    const untouched = await setup.api.run(UPDATE_UNIT, { input: { budgetUnitId: id, name: null, hasCanteen: null } }, setup.callers.credentials.admin);
    expect(untouched.data.r).toEqual({ budgetUnit: { id, parent: { id: jiaoti } }, userErrors: [] });
    const topLevel = await setup.api.run(UPDATE_UNIT, { input: { budgetUnitId: id, parentId: null } }, setup.callers.credentials.admin);
    expect(topLevel.data.r).toEqual({ budgetUnit: { id, parent: null }, userErrors: [] });
  });
});

describe("which orders a reviewer sees: those of products from its jurisdiction (issue 8)", () => {
  it("shows a county's reviewer its county's products' orders, and the prefecture's reviewer all", async () => {
    const huayuan = await listed(); // 花垣县 (433124)
    const baojing = await productInState(setup.database, setup.api.services, setup.callers.admin, setup.callers.otherEnterpriseId, "LISTED", {
      name: "保靖黄金茶", category: "TEA", originCountyCode: "433125", originVillageCode: "433125103202",
    });
    const huayuanOrder = (await reserve(huayuan.id, 1)).data.reservePurchase.order.id;
    const baojingOrder = (await reserve(baojing.id, 1)).data.reservePurchase.order.id;
    const ORDERS = `{ orders(first: 100) { totalCount nodes { id product { originCounty { code } } } } }`;
    const seen = async (caller: keyof typeof setup.callers.credentials) => (await setup.api.run(ORDERS, {}, setup.callers.credentials[caller])).data.orders;

    const huayuanReviewer = await seen("huayuanReviewer");
    expect(huayuanReviewer.nodes.map((o: any) => o.id)).toContain(huayuanOrder);
    expect(huayuanReviewer.nodes.map((o: any) => o.id)).not.toContain(baojingOrder);
    for (const o of huayuanReviewer.nodes) expect(o.product.originCounty.code).toBe("433124");
    const baojingReviewer = await seen("baojingReviewer");
    expect(baojingReviewer.nodes.map((o: any) => o.id)).toEqual([baojingOrder]);
    const all = await seen("admin");
    expect((await seen("prefectureReviewer")).totalCount).toBe(all.totalCount);

    // node(id:) agrees with the list, and the order's product is always there for whoever sees the order.
    const NODE = `query ($id: ID!) { node(id: $id) { ... on Order { id product { id } budgetUnit { code } } } }`;
    expect((await setup.api.run(NODE, { id: huayuanOrder }, setup.callers.credentials.baojingReviewer)).data.node).toBeNull();
    expect((await setup.api.run(NODE, { id: huayuanOrder }, setup.callers.credentials.huayuanReviewer)).data.node).toEqual({ id: huayuanOrder, product: { id: gid.product(huayuan.id) }, budgetUnit: { code: "ZZ-001" } });
    expect((await setup.api.run(NODE, { id: baojingOrder }, setup.callers.credentials.prefectureReviewer)).data.node.product).toEqual({ id: gid.product(baojing.id) });
  });
});

describe("an officer sees the products its units ordered, after they leave the catalog (issue 8)", () => {
  it("keeps Order.product for the ordering unit's officer, and hides the product from other officers", async () => {
    const product = await listed();
    const order = (await reserve(product.id, 1)).data.reservePurchase.order.id;
    await setup.api.services.certification.revoke(setup.callers.admin, product.id, "抽检不合格");
    const ORDER = `query ($id: ID!) { node(id: $id) { ... on Order { product { id status } } } }`;
    const PRODUCT = `query ($id: ID!) { node(id: $id) { ... on Product { id } } }`;
    expect((await setup.api.run(ORDER, { id: order }, officer())).data.node.product).toEqual({ id: gid.product(product.id), status: "REVOKED" });
    expect((await setup.api.run(PRODUCT, { id: gid.product(product.id) }, officer())).data.node).toEqual({ id: gid.product(product.id) });
    expect((await setup.api.run(PRODUCT, { id: gid.product(product.id) }, setup.callers.credentials.otherOfficer)).data.node).toBeNull();
  });
});
