import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { budgetUnitSeeds } from "../seeds/budget-units.js";
import { toFen, fenToYuan } from "../src/modules/procurement/index.js";
import { type Credentials, createTestApi, errorCodes } from "./support/api.js";
import { type Callers, setUpCallers } from "./support/actors.js";
import { type TestDatabase, openTestDatabase } from "./support/database.js";
import { gid, productInState } from "./support/fixtures.js";
import { businessToday, businessYear } from "../src/clock.js";

let tdb: TestDatabase;
let api: Awaited<ReturnType<typeof createTestApi>>;
let callers: Callers;
const year = businessYear();
const month = businessToday().slice(0, 7); // deliveries group by China-time month
const jishouBureau = budgetUnitSeeds.find((u) => u.code === "JS-001")!;
const jishouSchool = budgetUnitSeeds.find((u) => u.code === "JS-001-01")!;

beforeAll(async () => {
  tdb = await openTestDatabase();
  api = await createTestApi(tdb.database);
  callers = await setUpCallers(tdb.database, api.services);
  // 吉首市: the bureau reserves 20,000.00 and its school 8,000.00 (re-declared over the seed).
  await api.services.quotas.declare(callers.admin, { budgetUnitId: jishouBureau.id, year, canteenFoodTotal: "200000.00", reservedAmount: "20000.00", noCanteen: false });
  await api.services.quotas.declare(callers.admin, { budgetUnitId: jishouSchool.id, year, canteenFoodTotal: "80000.00", reservedAmount: "8000.00", noCanteen: false });
  const fruit = await productInState(tdb.database, api.services, callers.admin, callers.ownEnterpriseId, "LISTED", { unitPrice: "100.00", availableSupply: 1000 });
  const order = async (unitId: string, quantity: number, key: string, to: "RESERVED" | "SHIPPED" | "DELIVERED" | "CANCELLED") => {
    const { order } = await api.services.orders.reserve(callers.admin, { budgetUnitId: unitId, productId: fruit.id, quantity, idempotencyKey: key, channel: "CANTEEN" });
    if (to === "CANCELLED") return api.services.orders.cancel(callers.admin, order.id);
    if (to === "RESERVED") return order;
    await api.services.orders.ship(callers.admin, order.id);
    if (to === "DELIVERED") await api.services.orders.confirmDelivery(callers.admin, order.id);
  };
  await order(jishouSchool.id, 30, "school-delivered-1", "DELIVERED"); // 3,000.00 delivered
  await order(jishouSchool.id, 10, "school-delivered-2", "DELIVERED"); // 1,000.00 delivered
  await order(jishouSchool.id, 7, "school-shipped", "SHIPPED"); //          700.00 open
  await order(jishouSchool.id, 5, "school-cancelled", "CANCELLED"); //      nothing
  await order(jishouBureau.id, 20, "bureau-delivered", "DELIVERED"); //   2,000.00 delivered
  await order(jishouBureau.id, 3, "bureau-reserved", "RESERVED"); //        300.00 open
});

afterAll(async () => {
  await api?.stop();
  await tdb?.drop();
});

const QUERY = `query ($year: Int!, $county: String) { consumptionProgress(year: $year, countyCode: $county) {
  totals { reservedAmount deliveredAmount openAmount completionRate met }
  units { budgetUnit { code } reservedAmount deliveredAmount openAmount completionRate met }
  supervisingUnits { budgetUnit { code } reservedAmount deliveredAmount openAmount completionRate }
  deliveredByOriginCounty { key label amount } deliveredByCategory { key label amount } deliveredByMonth { key amount } } }`;

describe("consumptionProgress (采购执行进度), worked out by hand", () => {
  it("computes per unit, per supervising unit and in total for 吉首市", async () => {
    const result = await api.run(QUERY, { year, county: "433101" }, callers.credentials.prefectureReviewer);
    expect(result.errors).toBeUndefined();
    const p = result.data.consumptionProgress;
    const byCode = Object.fromEntries(p.units.map((u: any) => [u.budgetUnit.code, u]));
    // school: 4,000.00 delivered of 8,000.00 reserved = 0.5; 700.00 open
    expect(byCode["JS-001-01"]).toEqual({ budgetUnit: { code: "JS-001-01" }, reservedAmount: "8000.00", deliveredAmount: "4000.00", openAmount: "700.00", completionRate: 0.5, met: false });
    // bureau alone: 2,000.00 of 20,000.00 = 0.1; 300.00 open
    expect(byCode["JS-001"]).toMatchObject({ reservedAmount: "20000.00", deliveredAmount: "2000.00", openAmount: "300.00", completionRate: 0.1 });
    // the bureau with its school: 6,000.00 of 28,000.00 = 0.2142857… → 0.2143
    expect(p.supervisingUnits).toEqual([{ budgetUnit: { code: "JS-001" }, reservedAmount: "28000.00", deliveredAmount: "6000.00", openAmount: "1000.00", completionRate: 0.2143 }]);
    expect(p.totals).toEqual({ reservedAmount: "28000.00", deliveredAmount: "6000.00", openAmount: "1000.00", completionRate: 0.2143, met: false });
    expect(p.deliveredByOriginCounty).toEqual([{ key: "433124", label: "花垣县", amount: "6000.00" }]);
    expect(p.deliveredByCategory).toEqual([{ key: "FRUIT", label: "水果", amount: "6000.00" }]);
    expect(p.deliveredByMonth.filter((m: { amount: string }) => m.amount !== "0.00")).toEqual([{ key: month, amount: "6000.00" }]);
    expect(p.deliveredByMonth).toHaveLength(12); // every month of the year (test/chart-data.test.ts)
  });

  it("adds up the whole prefecture, other counties' declarations included", async () => {
    const all = (await api.run(QUERY, { year }, callers.credentials.admin)).data.consumptionProgress;
    const quotas = await api.services.quotas.list(callers.admin.actor, { year });
    const reserved = quotas.reduce((sum, q) => sum + toFen(q.reservedAmount), 0n);
    expect(all.totals.reservedAmount).toBe(fenToYuan(reserved));
    expect(all.totals.deliveredAmount).toBe("6000.00");
    expect(all.units).toHaveLength(budgetUnitSeeds.length);
  });

  it("is two statements however many units it names: the units and county names come with the figures", async () => {
    const all = await api.run(QUERY, { year }, callers.credentials.admin);
    expect(all.errors).toBeUndefined();
    expect(all.data.consumptionProgress.units.length).toBeGreaterThan(5);
    expect(all.statements).toBe(2);
    // the primed units answer as the loader would (every unit row names its own unit)
    const codes = all.data.consumptionProgress.units.map((u: { budgetUnit: { code: string } }) => u.budgetUnit.code).sort();
    expect(codes).toEqual(budgetUnitSeeds.map((u) => u.code).sort());
  });

  it("refuses a county code that is not a county, and anonymous callers", async () => {
    const bad = await api.run(QUERY, { year, county: "433124103201" }, callers.credentials.admin);
    expect(bad.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const anonymous = await api.run(QUERY, { year });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});

describe("who reads consumptionProgress: the quotas' audience (issue 8)", () => {
  it("refuses enterprise users, as quotas does", async () => {
    for (const caller of ["ownEnterprise", "otherEnterprise"] as const) {
      const result = await api.run(QUERY, { year }, callers.credentials[caller]);
      expect(errorCodes(result)).toEqual(["FORBIDDEN"]);
      expect(errorCodes(await api.run(`{ quotas { year } }`, {}, callers.credentials[caller]))).toEqual(["FORBIDDEN"]);
    }
  });

  it("gives an officer only its own subtree's unit and supervising-unit rows; totals and breakdowns stay whole", async () => {
    await api.services.accounts.createUser(callers.admin, { username: "jishou_bureau_officer", password: "jishou-officer-2020", role: "OFFICER", budgetUnitId: jishouBureau.id });
    const { token } = await api.services.accounts.login("jishou_bureau_officer", "jishou-officer-2020", "192.0.2.80", "t");
    const officer = { authorization: `Bearer ${token}` };
    const mine = (await api.run(QUERY, { year }, officer)).data.consumptionProgress;
    const all = (await api.run(QUERY, { year }, callers.credentials.admin)).data.consumptionProgress;
    expect(mine.units.map((u: any) => u.budgetUnit.code).sort()).toEqual(["JS-001", "JS-001-01"]);
    expect(mine.supervisingUnits).toEqual([{ budgetUnit: { code: "JS-001" }, reservedAmount: "28000.00", deliveredAmount: "6000.00", openAmount: "1000.00", completionRate: 0.2143 }]);
    expect(mine.totals).toEqual(all.totals);
    expect(mine.deliveredByOriginCounty).toEqual(all.deliveredByOriginCounty);
    // The school's officer sees its own row only, and no supervising unit (its bureau is above it).
    const school = (await api.run(QUERY, { year }, await officerOf(jishouSchool.id))).data.consumptionProgress;
    expect(school.units.map((u: any) => u.budgetUnit.code)).toEqual(["JS-001-01"]);
    expect(school.supervisingUnits).toEqual([]);
    // The same rule as quotas: the officer's quotas are those of the same units.
    const quotas = (await api.run(`query ($y: Int) { quotas(filter: {year: $y}) { budgetUnit { code } } }`, { y: year }, officer)).data.quotas;
    expect(quotas.map((q: any) => q.budgetUnit.code).sort()).toEqual(["JS-001", "JS-001-01"]);
  });
});

async function officerOf(budgetUnitId: string) {
  const username = `officer_${budgetUnitId.slice(-4)}`;
  await api.services.accounts.createUser(callers.admin, { username, password: "unit-officer-2020", role: "OFFICER", budgetUnitId });
  const { token } = await api.services.accounts.login(username, "unit-officer-2020", "192.0.2.81", "t");
  return { authorization: `Bearer ${token}` };
}

describe("supervising units are the top-level units with their whole subtree (issue 10)", () => {
  // Built through the API as admin, with the ids it returns: 湘西州测试委 (top level, prefecture-direct)
  // → 测试中心 (mid level, prefecture-direct) → 龙山县测试站 (a county unit of 龙山县, no seed unit there)
  // and 测试所 (prefecture-direct), both under the mid-level unit. Every unit orders at 100.00 apiece.
  const LONGSHAN = "433130";
  const ids: Record<"top" | "mid" | "leaf" | "side", string> = { top: "", mid: "", leaf: "", side: "" };
  const code = (name: string) => `SUP10-${name.toUpperCase()}`;

  const mutate = async (name: string, input: Record<string, unknown>, selection: string) => {
    const type = `${name[0]!.toUpperCase()}${name.slice(1)}Input`;
    const result = await api.run(`mutation ($input: ${type}!) { ${name}(input: $input) { ${selection} userErrors { code message field } } }`, { input }, callers.credentials.admin);
    expect(result.errors).toBeUndefined();
    expect(result.data[name].userErrors).toEqual([]);
    return result.data[name];
  };

  beforeAll(async () => {
    const unit = async (name: keyof typeof ids, parent: keyof typeof ids | null, countyCode: string | null) =>
      (ids[name] = (await mutate("createBudgetUnit", {
        code: code(name), name: `湘西州测试单位${name}`, level: countyCode ? "COUNTY" : "PREFECTURE_DIRECT", countyCode, parentId: parent ? ids[parent] : null,
      }, "budgetUnit { id }")).budgetUnit.id);
    await unit("top", null, null);
    await unit("mid", "top", null);
    await unit("leaf", "mid", LONGSHAN);
    await unit("side", "mid", null);
    const declare = (name: keyof typeof ids, canteenFoodTotal: string, reservedAmount: string) =>
      mutate("declareQuota", { budgetUnitId: ids[name], year, canteenFoodTotal, reservedAmount }, "quota { id }");
    await declare("top", "100000.00", "10000.00");
    await declare("mid", "50000.00", "5000.00");
    await declare("leaf", "20000.00", "2000.00");
    await declare("side", "10000.00", "1000.00");
    const product = await productInState(tdb.database, api.services, callers.admin, callers.ownEnterpriseId, "LISTED", { unitPrice: "100.00", availableSupply: 1000 });
    const order = async (name: keyof typeof ids, quantity: number, to: "RESERVED" | "SHIPPED" | "DELIVERED") => {
      const { order } = await mutate("reservePurchase", { budgetUnitId: ids[name], productId: gid.product(product.id), quantity, idempotencyKey: `sup10-${name}-${quantity}` }, "order { id }");
      if (to === "RESERVED") return;
      await mutate("markShipped", { orderId: order.id }, "order { id }");
      if (to === "DELIVERED") await mutate("confirmDelivery", { orderId: order.id }, "order { id }");
    };
    await order("top", 10, "DELIVERED"); //  1,000.00 delivered of 10,000.00
    await order("mid", 20, "DELIVERED"); //  2,000.00 delivered of  5,000.00
    await order("mid", 5, "RESERVED"); //      500.00 open
    await order("leaf", 30, "DELIVERED"); // 3,000.00 delivered of  2,000.00 (150 %)
    await order("side", 4, "SHIPPED"); //      400.00 open;  nothing delivered of 1,000.00
  });

  const Q = `query ($year: Int!, $county: String) { consumptionProgress(year: $year, countyCode: $county) {
    totals { reservedAmount deliveredAmount openAmount completionRate met }
    units { budgetUnit { id code } reservedAmount deliveredAmount openAmount completionRate met }
    supervisingUnits { budgetUnit { id code } reservedAmount deliveredAmount openAmount completionRate met } } }`;
  const progress = async (credentials: Credentials, county?: string) => {
    const result = await api.run(Q, { year, county }, credentials);
    expect(result.errors).toBeUndefined();
    return result.data.consumptionProgress;
  };
  // The top-level unit with mid, leaf and side below it: 18,000.00 reserved, 6,000.00 delivered,
  // 900.00 open; 6,000 ÷ 18,000 = 0.33333… → 0.3333.
  const wholeTree = { reservedAmount: "18000.00", deliveredAmount: "6000.00", openAmount: "900.00", completionRate: 0.3333, met: false };
  const rowOf = (rows: any[], name: keyof typeof ids) => rows.find((r) => r.budgetUnit.id === ids[name]);
  const sum = (rows: any[], field: string) => fenToYuan(rows.reduce((total, r) => total + toFen(r[field]), 0n));

  it("lists exactly the top-level units, each with the sums of its subtree at any depth", async () => {
    const all = await progress(callers.credentials.admin);
    const topLevel = [...budgetUnitSeeds.filter((u) => u.parentId === null).map((u) => u.code), code("top")].sort();
    expect(all.supervisingUnits.map((r: any) => r.budgetUnit.code).sort()).toEqual(topLevel);
    expect(rowOf(all.supervisingUnits, "top")).toEqual({ budgetUnit: { id: ids.top, code: code("top") }, ...wholeTree });
    // The mid-level unit has units below it and is still no supervising unit; the unit rows are each unit alone.
    expect(rowOf(all.supervisingUnits, "mid")).toBeUndefined();
    expect(rowOf(all.units, "mid")).toMatchObject({ reservedAmount: "5000.00", deliveredAmount: "2000.00", openAmount: "500.00", completionRate: 0.4, met: false });
    expect(rowOf(all.units, "leaf")).toMatchObject({ reservedAmount: "2000.00", deliveredAmount: "3000.00", openAmount: "0.00", completionRate: 1.5, met: true });
    // A top-level unit without units below it is a supervising unit of itself (财政局: its own figures).
    const caizheng = (rows: any[]) => rows.find((r) => r.budgetUnit.code === "ZZ-001");
    expect(caizheng(all.supervisingUnits)).toEqual(caizheng(all.units));
    // Every unit counts in exactly one supervising row: they add up to the totals.
    for (const field of ["reservedAmount", "deliveredAmount", "openAmount"]) expect(sum(all.supervisingUnits, field)).toBe(all.totals[field]);
  });

  it("with countyCode, sums the county's units of each subtree (even below a unit of elsewhere)", async () => {
    const longshan = await progress(callers.credentials.admin, LONGSHAN);
    expect(longshan.units.map((u: any) => u.budgetUnit.code)).toEqual([code("leaf")]);
    // Only the leaf is of 龙山县: the top-level unit's row is the leaf's figures; other top-level units drop out.
    const leafOnly = { reservedAmount: "2000.00", deliveredAmount: "3000.00", openAmount: "0.00", completionRate: 1.5, met: true };
    expect(longshan.supervisingUnits).toEqual([{ budgetUnit: { id: ids.top, code: code("top") }, ...leafOnly }]);
    expect(longshan.totals).toEqual(leafOnly);
    // 吉首市 is unchanged by the new tree: its one top-level unit with its school.
    const jishou = await progress(callers.credentials.admin, "433101");
    expect(jishou.supervisingUnits.map((r: any) => r.budgetUnit.code)).toEqual(["JS-001"]);
  });

  it("gives an officer its own unit's supervising row only if that unit is top-level", async () => {
    const tokens = new Map<string, { authorization: string }>();
    const officer = async (name: keyof typeof ids) => {
      const username = `sup10_${name}_officer`;
      if (tokens.has(username)) return tokens.get(username)!;
      await mutate("createUser", { username, password: "supervising-2020", role: "OFFICER", budgetUnitId: ids[name] }, "user { id }");
      const { token } = await mutate("login", { username, password: "supervising-2020" }, "token");
      tokens.set(username, { authorization: `Bearer ${token}` });
      return tokens.get(username)!;
    };
    const codes = (rows: any[]) => rows.map((r) => r.budgetUnit.code).sort();
    const top = await progress(await officer("top"));
    expect(codes(top.units)).toEqual([code("leaf"), code("mid"), code("side"), code("top")]);
    expect(top.supervisingUnits).toEqual([{ budgetUnit: { id: ids.top, code: code("top") }, ...wholeTree }]);
    const topInLongshan = await progress(await officer("top"), LONGSHAN);
    expect(topInLongshan.supervisingUnits).toEqual([{ budgetUnit: { id: ids.top, code: code("top") }, reservedAmount: "2000.00", deliveredAmount: "3000.00", openAmount: "0.00", completionRate: 1.5, met: true }]);
    // The mid-level officer reads its subtree's unit rows, but no supervising row: its top-level
    // unit's row would show the figures of units outside its subtree (the top unit's own).
    const mid = await progress(await officer("mid"));
    expect(codes(mid.units)).toEqual([code("leaf"), code("mid"), code("side")]);
    expect(mid.supervisingUnits).toEqual([]);
    const leaf = await progress(await officer("leaf"), LONGSHAN);
    expect(codes(leaf.units)).toEqual([code("leaf")]);
    expect(leaf.supervisingUnits).toEqual([]);
  });
});
