import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { BUDGET_UNIT } from "../seeds/budget-units.js";
import { businessYear } from "../src/clock.js";
import { parseConfig } from "../src/config.js";
import { pgConstraint } from "../src/db/errors.js";
import { fromGlobalId, toGlobalId } from "../src/graphql/global-id.js";
import { type Credentials, errorCodes, useTestApi } from "./support/api.js";
import { frontDoor } from "./support/front-door.js";
import { gid, productInState } from "./support/fixtures.js";

/**
 * Issue 10 item 4 (DOMAIN.md "Budget units and the reserved share"): 无食堂 means a share of 0;
 * ratio × canteen total ≤ share ≤ canteen total, the ratio per year; every declaration a revision;
 * Quota.status; progress rows tell "no canteen" from "not declared". Through GraphQL, as each role.
 * 2020's ratio is configured at 5 % here; other years take the default 10 %.
 */
const setup = useTestApi({ config: parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", QUOTA_MIN_RATIOS: "2020:0.05" }) });
const { read, mutate } = frontDoor(setup);
const year = businessYear();
let serial = 0;

const QUOTA = `id year status noCanteen canteenFoodTotal reservedAmount declaredAt
  revisions { reservedAmount canteenFoodTotal noCanteen at actor { username } }`;
const DECLARE = `mutation ($input: DeclareQuotaInput!) { declareQuota(input: $input) { quota { ${QUOTA} } userErrors { code message field } } }`;
const QUOTAS = `query ($unit: ID, $year: Int) { quotas(filter: {budgetUnitId: $unit, year: $year}) { ${QUOTA} deliveredAmount completionRate } }`;

const admin = () => setup.callers.credentials.admin;
const declare = (input: Record<string, unknown>, as: Credentials = admin()) => setup.api.run(DECLARE, { input }, as);

/** A fresh budget unit made by the admin through the API (its global ID), and an officer of it. */
async function freshUnit(parentId: string | null = null, countyCode: string | null = null) {
  const n = serial++;
  const { budgetUnit } = await mutate(
    "createBudgetUnit",
    { code: `QR-${Date.now().toString(36)}-${n}`, name: `湘西州份额测试单位${n}`, level: countyCode ? "COUNTY" : "PREFECTURE_DIRECT", countyCode, parentId },
    "budgetUnit { id code }",
  );
  return budgetUnit as { id: string; code: string };
}

async function officerOf(unitId: string): Promise<{ credentials: Credentials; username: string }> {
  const username = `quota_officer_${serial++}_${Date.now().toString(36)}`;
  await mutate("createUser", { username, password: "quota-officer-2020", role: "OFFICER", budgetUnitId: unitId }, "user { id }");
  const { token } = await mutate("login", { username, password: "quota-officer-2020" }, "token");
  return { credentials: { authorization: `Bearer ${token}` }, username };
}

const quotasOf = async (unit: string, y: number, as: Credentials = admin()) => (await read(QUOTAS, { unit, year: y }, as)).quotas;

describe("declareQuota: 无食堂 means a reserved share of 0", () => {
  it("refuses a reserved amount with noCanteen, writing nothing, and accepts zeros as NO_CANTEEN", async () => {
    const unit = await freshUnit();
    const bad = await declare({ budgetUnitId: unit.id, year, canteenFoodTotal: "0", reservedAmount: "500.00", noCanteen: true });
    expect(bad.data.declareQuota.quota).toBeNull();
    expect(bad.data.declareQuota.userErrors).toEqual([expect.objectContaining({ code: "INVALID", field: ["input", "reservedAmount"] })]);
    expect(await quotasOf(unit.id, year)).toEqual([]);
    const withTotal = await declare({ budgetUnitId: unit.id, year, canteenFoodTotal: "1000.00", reservedAmount: "0", noCanteen: true });
    expect(withTotal.data.declareQuota.userErrors[0]).toMatchObject({ code: "INVALID", field: ["input", "canteenFoodTotal"] });
    const ok = await declare({ budgetUnitId: unit.id, year, canteenFoodTotal: "0", reservedAmount: "0", noCanteen: true });
    expect(ok.data.declareQuota.userErrors).toEqual([]);
    expect(ok.data.declareQuota.quota).toMatchObject({ status: "NO_CANTEEN", noCanteen: true, reservedAmount: "0.00", canteenFoodTotal: "0.00" });
    expect(ok.data.declareQuota.quota.revisions).toEqual([
      { reservedAmount: "0.00", canteenFoodTotal: "0.00", noCanteen: true, at: ok.data.declareQuota.quota.declaredAt, actor: { username: "admin" } },
    ]);
  });
});

describe("declareQuota: ratio × canteen total ≤ reserved share ≤ canteen total", () => {
  it("refuses a share above the canteen total, and accepts the total itself", async () => {
    const unit = await freshUnit();
    const above = await declare({ budgetUnitId: unit.id, year: 2022, canteenFoodTotal: "1000.00", reservedAmount: "1000.01" });
    expect(above.data.declareQuota.userErrors).toEqual([expect.objectContaining({ code: "INVALID", field: ["input", "reservedAmount"] })]);
    expect(above.data.declareQuota.userErrors[0].message).toContain("at most the canteen total 1000.00");
    expect(await quotasOf(unit.id, 2022)).toEqual([]);
    const whole = await declare({ budgetUnitId: unit.id, year: 2022, canteenFoodTotal: "1000.00", reservedAmount: "1000.00" });
    expect(whole.data.declareQuota.userErrors).toEqual([]);
    expect(whole.data.declareQuota.quota).toMatchObject({ status: "DECLARED", reservedAmount: "1000.00", canteenFoodTotal: "1000.00" });
  });

  it("takes the year's configured ratio (2020: 5 %) and the default 10 % otherwise, exactly to the fen", async () => {
    const unit = await freshUnit();
    const in2020 = (reservedAmount: string) => declare({ budgetUnitId: unit.id, year: 2020, canteenFoodTotal: "1000.00", reservedAmount });
    const low2020 = await in2020("49.99");
    expect(low2020.data.declareQuota.userErrors[0]).toMatchObject({ code: "INVALID", field: ["input", "reservedAmount"] });
    expect(low2020.data.declareQuota.userErrors[0].message).toContain("at least 50.00 (5% of 1000.00 for 2020)");
    expect((await in2020("50.00")).data.declareQuota.userErrors).toEqual([]);
    // 10 % of 333.33 is 33.333: the floor is 33.34 (never missed by rounding down).
    const in2023 = (reservedAmount: string) => declare({ budgetUnitId: unit.id, year: 2023, canteenFoodTotal: "333.33", reservedAmount });
    const low2023 = await in2023("33.33");
    expect(low2023.data.declareQuota.userErrors[0].message).toContain("at least 33.34 (10% of 333.33 for 2023)");
    expect((await in2023("33.34")).data.declareQuota.quota).toMatchObject({ reservedAmount: "33.34", status: "DECLARED" });
  });
});

describe("every declaration is a revision (Quota.revisions)", () => {
  it("keeps each declaration with its actor, oldest first; the quota is the last", async () => {
    const unit = await freshUnit();
    const officer = await officerOf(unit.id);
    const first = await declare({ budgetUnitId: unit.id, year: 2024, canteenFoodTotal: "200000.00", reservedAmount: "20000.00" }, officer.credentials);
    expect(first.data.declareQuota.userErrors).toEqual([]);
    const second = await declare({ budgetUnitId: unit.id, year: 2024, canteenFoodTotal: "150000.00", reservedAmount: "15000.00" }, officer.credentials);
    const third = await declare({ budgetUnitId: unit.id, year: 2024, canteenFoodTotal: "0", reservedAmount: "0", noCanteen: true });
    expect(third.data.declareQuota.userErrors).toEqual([]);
    const [quota] = await quotasOf(unit.id, 2024);
    expect(quota.id).toBe(first.data.declareQuota.quota.id);
    expect(quota).toMatchObject({ status: "NO_CANTEEN", reservedAmount: "0.00" });
    expect(quota.revisions.map((r: any) => [r.canteenFoodTotal, r.reservedAmount, r.noCanteen, r.actor?.username])).toEqual([
      ["200000.00", "20000.00", false, officer.username],
      ["150000.00", "15000.00", false, officer.username],
      ["0.00", "0.00", true, "admin"],
    ]);
    const times = quota.revisions.map((r: any) => Date.parse(r.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(quota.revisions[1].at).toBe(second.data.declareQuota.quota.declaredAt);
    // The officer reads its own quota's revisions; the admin's account is not the officer's to see.
    const [own] = await quotasOf(unit.id, 2024, officer.credentials);
    expect(own.revisions.map((r: any) => r.actor?.username ?? null)).toEqual([officer.username, officer.username, null]);
    // Each declaration is also audited, in the same transaction.
    const audit = await setup.api.services.audit.entriesFor("Quota", fromGlobalId(quota.id).key);
    expect(audit).toHaveLength(3);
  });

  it("refuses another unit's officer and roles that do not declare, writing no revision", async () => {
    const caizheng = toGlobalId("BudgetUnit", BUDGET_UNIT.caizheng);
    const input = { budgetUnitId: caizheng, year: 2025, canteenFoodTotal: "1000.00", reservedAmount: "100.00" };
    for (const caller of ["otherOfficer", "prefectureReviewer", "ownEnterprise"] as const) {
      const result = await declare(input, setup.callers.credentials[caller]);
      expect(errorCodes(result)).toEqual(["FORBIDDEN"]);
    }
    expect(await quotasOf(caizheng, 2025)).toEqual([]);
    const [{ n }] = await setup.database.rows<{ n: number }>(sql`
      select count(*)::int as n from quota_revisions r join quotas q on q.id = r.quota_id where q.year = 2025 and q.budget_unit_id = ${BUDGET_UNIT.caizheng}`);
    expect(n).toBe(0);
  });
});

describe("lowering the share after deliveries", () => {
  it("may lower it (the revisions show it) but never below the amount already delivered", async () => {
    const unit = await freshUnit();
    const officer = await officerOf(unit.id);
    const ok = await declare({ budgetUnitId: unit.id, year, canteenFoodTotal: "10000.00", reservedAmount: "1000.00" }, officer.credentials);
    expect(ok.data.declareQuota.userErrors).toEqual([]);
    const product = await productInState(setup.database, setup.api.services, setup.callers.admin, setup.callers.ownEnterpriseId, "LISTED", { unitPrice: "100.00", availableSupply: 100 });
    const { order } = await mutate("reservePurchase", { budgetUnitId: unit.id, productId: gid.product(product.id), quantity: 6, idempotencyKey: `lower-${Date.now()}-${serial++}` }, "order { id }", officer.credentials);
    await mutate("markShipped", { orderId: order.id }, "order { id }", setup.callers.credentials.ownEnterprise);
    await mutate("confirmDelivery", { orderId: order.id, invoiceNo: "04400200111" }, "order { id }", officer.credentials); // 600.00 delivered

    const below = await declare({ budgetUnitId: unit.id, year, canteenFoodTotal: "5000.00", reservedAmount: "599.99" }, officer.credentials);
    expect(below.data.declareQuota.userErrors).toEqual([expect.objectContaining({ code: "INVALID", field: ["input", "reservedAmount"] })]);
    expect(below.data.declareQuota.userErrors[0].message).toContain("600.00 has already been delivered");
    const noCanteen = await declare({ budgetUnitId: unit.id, year, canteenFoodTotal: "0", reservedAmount: "0", noCanteen: true }, officer.credentials);
    expect(noCanteen.data.declareQuota.userErrors[0]).toMatchObject({ code: "INVALID", field: ["input", "reservedAmount"] });
    let [quota] = await quotasOf(unit.id, year, officer.credentials);
    expect(quota).toMatchObject({ reservedAmount: "1000.00", deliveredAmount: "600.00", completionRate: 0.6 });
    expect(quota.revisions).toHaveLength(1);

    const lowered = await declare({ budgetUnitId: unit.id, year, canteenFoodTotal: "6000.00", reservedAmount: "600.00" }, officer.credentials);
    expect(lowered.data.declareQuota.userErrors).toEqual([]);
    [quota] = await quotasOf(unit.id, year, setup.callers.credentials.prefectureReviewer);
    expect(quota).toMatchObject({ reservedAmount: "600.00", completionRate: 1 });
    expect(quota.revisions.map((r: any) => r.reservedAmount)).toEqual(["1000.00", "600.00"]);
  });
});

describe("the database enforces the bounds it can express (CHECK constraints)", () => {
  it.each([
    ["a share above the canteen total", { canteen_food_total: "100.00", reserved_amount: "100.01", no_canteen: false }, "quotas_reserved_within_total"],
    ["a share with no canteen", { canteen_food_total: "500.00", reserved_amount: "500.00", no_canteen: true }, "quotas_no_canteen_is_zero"],
    ["a canteen total with no canteen", { canteen_food_total: "500.00", reserved_amount: "0.00", no_canteen: true }, "quotas_no_canteen_is_zero"],
  ])("refuses %s", async (_name, row, constraint) => {
    const unit = await freshUnit();
    const insert = setup.database.rows(sql`
      insert into quotas (budget_unit_id, year, canteen_food_total, reserved_amount, no_canteen)
      values (${fromGlobalId(unit.id).key}::uuid, 2026, ${row.canteen_food_total}::numeric, ${row.reserved_amount}::numeric, ${row.no_canteen})`);
    const error = await insert.then(() => null, (e: unknown) => e);
    expect(pgConstraint(error)).toBe(constraint);
  });
});

describe("consumptionProgress tells 无食堂 from not declared (issue 10)", () => {
  // 龙山县 (no seed unit there): a top-level unit and three below it, one 无食堂, one declared, one not.
  const LONGSHAN = "433130";
  const ids = { top: "", noCanteen: "", declared: "", silent: "" };
  const PROGRESS = `query ($year: Int!, $county: String) { consumptionProgress(year: $year, countyCode: $county) {
    totals { declared status unitCount undeclaredUnits noCanteenUnits met completionRate }
    units { budgetUnit { id } reservedAmount completionRate met declared status unitCount undeclaredUnits noCanteenUnits }
    supervisingUnits { budgetUnit { id } reservedAmount completionRate met declared status unitCount undeclaredUnits noCanteenUnits } } }`;
  const progress = async (as: Credentials = admin()) => (await read(PROGRESS, { year, county: LONGSHAN }, as)).consumptionProgress;
  const rowOf = (rows: any[], name: keyof typeof ids) => rows.find((r) => r.budgetUnit.id === ids[name]);

  beforeAll(async () => {
    ids.top = (await freshUnit(null, LONGSHAN)).id;
    for (const name of ["noCanteen", "declared", "silent"] as const) ids[name] = (await freshUnit(ids.top, LONGSHAN)).id;
    await mutate("declareQuota", { budgetUnitId: ids.noCanteen, year, canteenFoodTotal: "0", reservedAmount: "0", noCanteen: true }, "quota { id }");
    await mutate("declareQuota", { budgetUnitId: ids.declared, year, canteenFoodTotal: "10000.00", reservedAmount: "1000.00" }, "quota { id }");
  });

  it("marks each unit row declared or not, with its status; a 无食堂 unit is declared and not failing", async () => {
    const p = await progress(setup.callers.credentials.prefectureReviewer);
    expect(rowOf(p.units, "noCanteen")).toMatchObject({ declared: true, status: "NO_CANTEEN", reservedAmount: "0.00", completionRate: null, met: true, undeclaredUnits: 0, noCanteenUnits: 1 });
    expect(rowOf(p.units, "silent")).toMatchObject({ declared: false, status: null, reservedAmount: "0.00", completionRate: null, met: false, undeclaredUnits: 1, noCanteenUnits: 0 });
    expect(rowOf(p.units, "top")).toMatchObject({ declared: false, status: null, met: false });
    expect(rowOf(p.units, "declared")).toMatchObject({ declared: true, status: "DECLARED", reservedAmount: "1000.00", completionRate: 0, met: false });
  });

  it("does not count 无食堂 units as undeclared in the supervising rows and totals", async () => {
    let p = await progress();
    expect(p.supervisingUnits).toEqual([
      expect.objectContaining({ budgetUnit: { id: ids.top }, declared: false, status: null, unitCount: 4, undeclaredUnits: 2, noCanteenUnits: 1, met: false }),
    ]);
    expect(p.totals).toMatchObject({ declared: false, status: null, unitCount: 4, undeclaredUnits: 2, noCanteenUnits: 1 });
    await mutate("declareQuota", { budgetUnitId: ids.top, year, canteenFoodTotal: "0", reservedAmount: "0", noCanteen: true }, "quota { id }");
    await mutate("declareQuota", { budgetUnitId: ids.silent, year, canteenFoodTotal: "0", reservedAmount: "0", noCanteen: true }, "quota { id }");
    p = await progress();
    const whole = { declared: true, status: null, unitCount: 4, undeclaredUnits: 0, noCanteenUnits: 3, completionRate: 0, met: false };
    expect(p.supervisingUnits).toEqual([expect.objectContaining({ budgetUnit: { id: ids.top }, ...whole })]);
    expect(p.totals).toMatchObject(whole);
    // The top unit's own officer reads the same rows for its subtree.
    const officer = await officerOf(ids.top);
    const mine = await progress(officer.credentials);
    expect(mine.supervisingUnits).toEqual(p.supervisingUnits);
    expect(rowOf(mine.units, "silent")).toMatchObject({ declared: true, status: "NO_CANTEEN", met: true });
  });
});
