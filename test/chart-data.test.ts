import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { budgetUnitSeeds } from "../seeds/budget-units.js";
import { E } from "../seeds/demo.js";
import { businessToday, businessYear } from "../src/clock.js";
import { orders } from "../src/modules/procurement/index.js";
import { useTestApi } from "./support/api.js";
import { gid, productInState } from "./support/fixtures.js";

// What the console's charts read (issue 14.3): every month of the year (0.00 where nothing was
// delivered), delivered amounts by enterprise, and Chinese labels on every category and status.
const setup = useTestApi();
const year = businessYear();
const school = budgetUnitSeeds.find((u) => u.code === "JS-001-01")!;

const FIGURES = "reservedAmount deliveredAmount openAmount completionRate met declared unitCount undeclaredUnits noCanteenUnits";
const PROGRESS = `query ($year: Int!) { consumptionProgress(year: $year) {
  deliveredByMonth { key label amount } deliveredByEnterprise { key label amount }
  deliveredByCategory { key label amount } deliveredByOriginCounty { key label amount } } }`;

describe("consumptionProgress for charts, counted by hand", () => {
  it("zero-fills the months and breaks deliveries down by enterprise, largest first", async () => {
    const { services } = setup.api;
    const { admin } = setup.callers;
    await services.quotas.declare(admin, { budgetUnitId: school.id, year, canteenFoodTotal: "100000.00", reservedAmount: "20000.00", noCanteen: false });
    // 花垣县 fruit of 十八洞 at 100.00, 保靖县 tea of 保靖黄金茶 at 50.00
    const fruit = await productInState(setup.database, services, admin, E.shibadongFruit, "LISTED", { unitPrice: "100.00", availableSupply: 1000, category: "FRUIT" });
    const tea = await productInState(setup.database, services, admin, E.baojingTea, "LISTED", {
      unitPrice: "50.00",
      availableSupply: 1000,
      category: "TEA",
      originCountyCode: "433125",
      originVillageCode: null,
    });
    const order = async (productId: string, quantity: number, key: string, deliveredAt: string | null) => {
      const { order } = await services.orders.reserve(admin, { budgetUnitId: school.id, productId, quantity, idempotencyKey: key, channel: "CANTEEN" });
      if (!deliveredAt) return;
      await services.orders.ship(admin, order.id);
      await services.orders.confirmDelivery(admin, order.id);
      // time travel: delivered on a known day of the year (China time decides the month)
      await setup.database.db.update(orders).set({ deliveredAt: new Date(deliveredAt) }).where(sql`${orders.id} = ${order.id}`);
    };
    await order(fruit.id, 30, "chart-fruit-march", `${year}-03-15T04:00:00Z`); // 3,000.00 in March
    await order(tea.id, 20, "chart-tea-march", `${year}-03-31T15:59:00Z`); //     1,000.00 in March (23:59 in Beijing)
    await order(fruit.id, 10, "chart-fruit-august", `${year}-07-31T17:00:00Z`); // 1,000.00 in August (01:00 on 1 August in Beijing)
    await order(tea.id, 5, "chart-tea-reserved", null); //                          250.00 reserved, not delivered

    const result = await setup.api.run(PROGRESS, { year }, setup.callers.credentials.prefectureReviewer);
    expect(result.errors).toBeUndefined();
    const p = result.data.consumptionProgress;
    const months = Array.from({ length: 12 }, (_, i) => ({
      key: `${year}-${String(i + 1).padStart(2, "0")}`,
      label: `${i + 1}月`,
      amount: i === 2 ? "4000.00" : i === 7 ? "1000.00" : "0.00",
    }));
    expect(p.deliveredByMonth).toEqual(months);
    expect(p.deliveredByEnterprise).toEqual([
      { key: gid.enterprise(E.shibadongFruit), label: "花垣十八洞村苗汉子果业有限责任公司", amount: "4000.00" },
      { key: gid.enterprise(E.baojingTea), label: "保靖黄金茶有限公司", amount: "1000.00" },
    ]);
    expect(p.deliveredByCategory).toEqual([
      { key: "FRUIT", label: "水果", amount: "4000.00" },
      { key: "TEA", label: "茶叶", amount: "1000.00" },
    ]);
    expect(p.deliveredByOriginCounty).toEqual([
      { key: "433124", label: "花垣县", amount: "4000.00" },
      { key: "433125", label: "保靖县", amount: "1000.00" },
    ]);

    // By county: the school is 吉首市's; each county's row is that county's totals, and the rows add up to the totals.
    const counties = await setup.api.run(
      `query ($year: Int!) { consumptionProgress(year: $year) { totals { ${FIGURES} } byCounty { county { code } label progress { budgetUnit { id } ${FIGURES} } } } }`,
      { year },
      setup.callers.credentials.admin,
    );
    expect(counties.errors).toBeUndefined();
    const rows = counties.data.consumptionProgress.byCounty as { county: { code: string } | null; label: string; progress: Record<string, unknown> }[];
    expect(rows.map((r) => r.label)).toEqual(["吉首市", "泸溪县", "凤凰县", "花垣县", "保靖县", "古丈县", "永顺县", "龙山县", "州直及中央省直驻州单位"]);
    expect(rows.map((r) => r.progress.deliveredAmount)).toEqual(["5000.00", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00"]);
    expect(rows.find((r) => r.label === "吉首市")!.progress.openAmount).toBe("250.00");
    for (const row of rows.filter((r) => r.county)) {
      const own = await setup.api.run(`query ($year: Int!, $county: String) { consumptionProgress(year: $year, countyCode: $county) { totals { budgetUnit { id } ${FIGURES} } } }`, { year, county: row.county!.code }, setup.callers.credentials.admin);
      expect(row.progress).toEqual(own.data.consumptionProgress.totals);
    }
    const sum = (field: string) => rows.reduce((total, r) => total + BigInt(String(r.progress[field]).replace(".", "")), 0n);
    expect(`${sum("reservedAmount")}`).toBe(String(counties.data.consumptionProgress.totals.reservedAmount).replace(".", ""));
    expect(rows.reduce((n, r) => n + Number(r.progress.unitCount), 0)).toBe(counties.data.consumptionProgress.totals.unitCount);

    // The enterprise keys are the API's IDs: node() finds them.
    const node = await setup.api.run(`query ($id: ID!) { node(id: $id) { ... on Enterprise { name } } }`, { id: p.deliveredByEnterprise[1].key }, setup.callers.credentials.admin);
    expect(node.data.node).toEqual({ name: "保靖黄金茶有限公司" });

    // A year's order delivered in the next January still counts for its year, under its own month.
    await order(fruit.id, 2, "chart-fruit-next-january", `${year + 1}-01-02T02:00:00Z`); // 200.00
    const later = (await setup.api.run(PROGRESS, { year }, setup.callers.credentials.admin)).data.consumptionProgress;
    expect(later.deliveredByMonth).toHaveLength(13);
    expect(later.deliveredByMonth.at(-1)).toEqual({ key: `${year + 1}-01`, label: `${year + 1}年1月`, amount: "200.00" });
    expect(later.deliveredByMonth.slice(0, 12).map((m: { amount: string }) => m.amount)).toEqual(months.map((m) => m.amount));
  });

  it("answers twelve zero months for a year without deliveries", async () => {
    const result = await setup.api.run(PROGRESS, { year: 2019 }, setup.callers.credentials.admin);
    expect(result.errors).toBeUndefined();
    const p = result.data.consumptionProgress;
    expect(p.deliveredByMonth.map((m: { key: string; label: string; amount: string }) => `${m.key} ${m.label} ${m.amount}`)).toEqual(
      Array.from({ length: 12 }, (_, i) => `2019-${String(i + 1).padStart(2, "0")} ${i + 1}月 0.00`),
    );
    expect(p.deliveredByEnterprise).toEqual([]);
  });
});

describe("certificationPipeline for charts", () => {
  const statusLabels: Record<string, string> = {
    DRAFT: "草稿",
    SUBMITTED: "已申报",
    CERTIFIED: "已认定",
    REJECTED: "未通过",
    LISTED: "已入录",
    REVOKED: "已撤销认定",
    EXPIRED: "已过期",
  };
  const QUERY = `query ($asOf: Date) { certificationPipeline(countyCode: "433126", asOf: $asOf) { byCountyAndStatus { status label count } listedByCategory { category label count } } }`;
  const pipeline = async () => {
    const result = await setup.api.run(QUERY, { asOf: businessToday() }, setup.callers.credentials.admin);
    expect(result.errors).toBeUndefined();
    return result.data.certificationPipeline as {
      byCountyAndStatus: { status: string; label: string; count: number }[];
      listedByCategory: { category: string; label: string; count: number }[];
    };
  };

  it("labels every status and category in Chinese", async () => {
    const { services } = setup.api;
    const { admin } = setup.callers;
    const before = await pipeline();
    // One product of 古丈县 in each status, two listed (handicraft, herbal), counted by hand.
    const fields = { originCountyCode: "433126", originVillageCode: null };
    for (const state of ["DRAFT", "SUBMITTED", "CERTIFIED", "REJECTED", "REVOKED", "EXPIRED"] as const) {
      await productInState(setup.database, services, admin, E.shibadongFruit, state, fields);
    }
    await productInState(setup.database, services, admin, E.shibadongFruit, "LISTED", { ...fields, category: "HANDICRAFT" });
    await productInState(setup.database, services, admin, E.shibadongFruit, "LISTED", { ...fields, category: "HERBAL" });
    const after = await pipeline();

    const counts = (rows: { count: number }[], key: (r: any) => string) => Object.fromEntries(rows.map((r) => [key(r), r.count]));
    const statusBefore = counts(before.byCountyAndStatus, (r) => r.status);
    const added = Object.fromEntries(after.byCountyAndStatus.map((r) => [r.status, r.count - (statusBefore[r.status] ?? 0)]));
    expect(added).toEqual({ DRAFT: 1, SUBMITTED: 1, CERTIFIED: 1, REJECTED: 1, LISTED: 2, REVOKED: 1, EXPIRED: 1 });
    for (const row of after.byCountyAndStatus) expect(row.label).toBe(statusLabels[row.status]);

    const categoryBefore = counts(before.listedByCategory, (r) => r.category);
    const categoryAdded = Object.fromEntries(after.listedByCategory.map((r) => [r.category, r.count - (categoryBefore[r.category] ?? 0)]));
    expect(Object.entries(categoryAdded).filter(([, n]) => n !== 0)).toEqual([
      ["HANDICRAFT", 1],
      ["HERBAL", 1],
    ]);
    const categoryLabels: Record<string, string> = { TEA: "茶叶", FRUIT: "水果", VEGETABLE: "蔬菜", GRAIN_OIL: "粮油", MEAT_POULTRY_EGG: "畜禽肉蛋", AQUATIC: "水产", HERBAL: "中药材", PROCESSED_FOOD: "加工食品", HANDICRAFT: "手工艺品", OTHER: "其他" };
    for (const row of after.listedByCategory) expect(row.label).toBe(categoryLabels[row.category]);
  });
});
