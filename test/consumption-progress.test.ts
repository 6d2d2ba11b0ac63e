import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { budgetUnitSeeds } from "../seeds/budget-units.js";
import { toFen, fenToYuan } from "../src/modules/procurement/index.js";
import { createTestApi, errorCodes } from "./support/api.js";
import { type Callers, setUpCallers } from "./support/actors.js";
import { type TestDatabase, openTestDatabase } from "./support/database.js";
import { productInState } from "./support/fixtures.js";

let tdb: TestDatabase;
let api: Awaited<ReturnType<typeof createTestApi>>;
let callers: Callers;
const year = new Date().getUTCFullYear();
const month = new Date().toISOString().slice(0, 7);
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
    expect(p.deliveredByMonth).toEqual([{ key: month, amount: "6000.00" }]);
  });

  it("adds up the whole prefecture, other counties' declarations included", async () => {
    const all = (await api.run(QUERY, { year }, callers.credentials.admin)).data.consumptionProgress;
    const quotas = await api.services.quotas.list(callers.admin.actor, { year });
    const reserved = quotas.reduce((sum, q) => sum + toFen(q.reservedAmount), 0n);
    expect(all.totals.reservedAmount).toBe(fenToYuan(reserved));
    expect(all.totals.deliveredAmount).toBe("6000.00");
    expect(all.units).toHaveLength(budgetUnitSeeds.length);
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
