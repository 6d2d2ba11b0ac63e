import { businessYear } from "../src/clock.js";
import type { Database } from "../src/db/client.js";
import { budgetUnits, quotaRevisions, quotas, users } from "../src/db/schema.js";
import { hashPassword } from "../src/modules/accounts/index.js";

const id = (n: number) => `b1000000-4331-4000-a000-${String(n).padStart(12, "0")}`;

/** A demo tree of budget units: 州直 supervising units over their subordinates, county units, 中央省直驻州. */
export const budgetUnitSeeds = [
  { id: id(1), code: "ZZ-001", name: "湘西州财政局", level: "PREFECTURE_DIRECT", countyCode: null, parentId: null, hasCanteen: true },
  { id: id(2), code: "ZZ-002", name: "湘西州教育和体育局", level: "PREFECTURE_DIRECT", countyCode: null, parentId: null, hasCanteen: true },
  { id: id(3), code: "ZZ-002-01", name: "湘西州民族中学", level: "PREFECTURE_DIRECT", countyCode: null, parentId: id(2), hasCanteen: true },
  { id: id(4), code: "ZZ-002-02", name: "湘西州第二民族中学", level: "PREFECTURE_DIRECT", countyCode: null, parentId: id(2), hasCanteen: true },
  { id: id(5), code: "ZZ-002-03", name: "湘西州体育运动学校", level: "PREFECTURE_DIRECT", countyCode: null, parentId: id(2), hasCanteen: true },
  { id: id(6), code: "ZZ-003", name: "湘西州卫生健康委员会", level: "PREFECTURE_DIRECT", countyCode: null, parentId: null, hasCanteen: false },
  { id: id(7), code: "ZZ-003-01", name: "湘西州人民医院", level: "PREFECTURE_DIRECT", countyCode: null, parentId: id(6), hasCanteen: true },
  { id: id(8), code: "HY-001", name: "花垣县财政局", level: "COUNTY", countyCode: "433124", parentId: null, hasCanteen: true },
  { id: id(9), code: "HY-002", name: "花垣县教育局", level: "COUNTY", countyCode: "433124", parentId: null, hasCanteen: true },
  { id: id(10), code: "HY-002-01", name: "花垣县民族中学", level: "COUNTY", countyCode: "433124", parentId: id(9), hasCanteen: true },
  { id: id(11), code: "JS-001", name: "吉首市教育局", level: "COUNTY", countyCode: "433101", parentId: null, hasCanteen: true },
  { id: id(12), code: "JS-001-01", name: "吉首市第一中学", level: "COUNTY", countyCode: "433101", parentId: id(11), hasCanteen: true },
  { id: id(13), code: "BJ-001", name: "保靖县人民政府办公室", level: "COUNTY", countyCode: "433125", parentId: null, hasCanteen: true },
  { id: id(14), code: "ZS-001", name: "国家税务总局湘西州税务局", level: "CENTRAL_PROVINCIAL", countyCode: null, parentId: null, hasCanteen: true },
  { id: id(15), code: "ZS-002", name: "湘西州气象局", level: "CENTRAL_PROVINCIAL", countyCode: null, parentId: null, hasCanteen: false },
] as const;

export const BUDGET_UNIT = { caizheng: id(1), jiaoti: id(2), minzuZhongxue: id(3), huayuanCaizheng: id(8), huayuanMinzuZhongxue: id(10) };

/** Procurement officers (development only; the README lists them). */
export const demoOfficers = [
  { username: "caizheng_officer", password: "xiangxi-caizheng-2020", budgetUnitId: BUDGET_UNIT.caizheng },
  { username: "jiaoti_officer", password: "xiangxi-jiaoti-2020", budgetUnitId: BUDGET_UNIT.jiaoti },
] as const;

/** Budget units, this year's quotas for most of them (10 % floor), and the demo officers. Idempotent. */
export async function seedBudgetUnits(database: Database, withOfficers: boolean, today = new Date()): Promise<number> {
  const inserted = await database.db
    .insert(budgetUnits)
    .values(budgetUnitSeeds.map((u) => ({ ...u })))
    .onConflictDoNothing()
    .returning({ id: budgetUnits.id });
  const year = businessYear(today); // the plan's year is China time's (DOMAIN.md "Time")
  const declared = budgetUnitSeeds.filter((_, i) => i % 5 !== 4); // a few units have not declared yet
  const declaredQuotas = await database.db
    .insert(quotas)
    .values(
      declared.map((u, i) =>
        u.hasCanteen
          ? { budgetUnitId: u.id, year, canteenFoodTotal: `${(i + 2) * 100000}.00`, reservedAmount: `${(i + 2) * 12000}.00`, noCanteen: false }
          : { budgetUnitId: u.id, year, canteenFoodTotal: "0.00", reservedAmount: "0.00", noCanteen: true },
      ),
    )
    .onConflictDoNothing()
    .returning();
  // Each declaration is its quota's first revision (as declareQuota writes it).
  if (declaredQuotas.length > 0) {
    await database.db.insert(quotaRevisions).values(
      declaredQuotas.map((q) => ({ quotaId: q.id, canteenFoodTotal: q.canteenFoodTotal, reservedAmount: q.reservedAmount, noCanteen: q.noCanteen, at: q.declaredAt })),
    );
  }
  if (withOfficers) {
    const rows = await Promise.all(
      demoOfficers.map(async ({ password, ...o }) => ({ ...o, role: "OFFICER" as const, passwordHash: await hashPassword(password) })),
    );
    await database.db.insert(users).values(rows).onConflictDoNothing();
  }
  return inserted.length;
}
