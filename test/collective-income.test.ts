import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { businessYear } from "../src/clock.js";
import { type Credentials, errorCodes, useTestApi } from "./support/api.js";

const setup = useTestApi();
const year = businessYear();

const RECORD = `mutation ($input: RecordCollectiveIncomeInput!) { recordCollectiveIncome(input: $input) {
  collectiveIncome { villageCode year source amount note } villageIncome { village { code name } year income met }
  userErrors { field message code } } }`;

const COVERAGE = `query ($year: Int!, $county: String) { collectiveIncomeCoverage(year: $year, countyCode: $county) {
  key title numerator denominator rate target met
  byCounty { county { code } numerator denominator rate met }
  villagesBelowLine { village { code name } year income met } } }`;

/** 古丈县's office (the test's own account). */
let guzhangOffice: Credentials;

async function record(input: Record<string, unknown>, credentials: Credentials = guzhangOffice) {
  return setup.api.run(RECORD, { input: { year, ...input } }, credentials);
}

const incomeRows = async () => Number((await setup.database.rows<{ n: number }>(sql`select count(*)::int as n from collective_incomes`))[0]!.n);

beforeAll(async () => {
  const { services } = setup.api;
  await services.accounts.createUser(setup.callers.admin, { username: "guzhang_reviewer", password: "guzhang-reviewer-2020", role: "REVIEWER", divisionCode: "433126" });
  const { token } = await services.accounts.login("guzhang_reviewer", "guzhang-reviewer-2020", "198.51.100.1", "test-setup");
  guzhangOffice = { authorization: `Bearer ${token}` };
});

describe("collectiveIncomeCoverage (村级集体经济收入 5 万元以上), counted by hand in 古丈县", () => {
  // 古丈县's five poor villages: 岩坨村, 牛角山村, 翁草村, 老司岩村, 田家洞村 (河蓬村 is not poor).
  it("counts the poor villages whose income that year, all sources, is at least 50,000 yuan", async () => {
    const ok = async (input: Record<string, unknown>) => {
      const result = await record(input);
      expect(result.errors).toBeUndefined();
      expect(result.data.recordCollectiveIncome.userErrors).toEqual([]);
      return result.data.recordCollectiveIncome;
    };
    await ok({ villageCode: "433126102201", source: "PHOTOVOLTAIC", amount: "30000.00", note: "光伏电站发电收益" }); // 牛角山村
    const niujiao = await ok({ villageCode: "433126102201", source: "RESOURCE_LEASE", amount: "20000" }); //             = 50,000.00: met, exactly
    expect(niujiao.villageIncome).toEqual({ village: { code: "433126102201", name: "牛角山村" }, year, income: "50000.00", met: true });
    await ok({ villageCode: "433126102202", source: "COOPERATIVE_DIVIDEND", amount: "49999.99" }); //           翁草村: a fen short
    await ok({ villageCode: "433126101202", source: "PHOTOVOLTAIC", amount: "60000.00", year: year - 1 }); //  岩坨村: last year only
    await ok({ villageCode: "433126103201", source: "ASSET_INCOME", amount: "80000.00" }); //                   老司岩村
    await ok({ villageCode: "433126104201", source: "SERVICE", amount: "70000.00" }); //                        田家洞村, then revised:
    const revised = await ok({ villageCode: "433126104201", source: "SERVICE", amount: "10000.00", note: "更正：按审计结果" });
    expect(revised.collectiveIncome).toEqual({ villageCode: "433126104201", year, source: "SERVICE", amount: "10000.00", note: "更正：按审计结果" });
    expect(revised.villageIncome).toMatchObject({ income: "10000.00", met: false });
    await ok({ villageCode: "433126101201", source: "OTHER", amount: "100000.00" }); //                         河蓬村: not a poor village

    const result = await setup.api.run(COVERAGE, { year, county: "433126" }, setup.callers.credentials.ownEnterprise);
    expect(result.errors).toBeUndefined();
    const c = result.data.collectiveIncomeCoverage;
    expect(c).toMatchObject({ key: "collectiveIncomeCoverage", numerator: 2, denominator: 5, rate: 0.4, target: 1, met: false });
    expect(c.byCounty).toEqual([{ county: { code: "433126" }, numerator: 2, denominator: 5, rate: 0.4, met: false }]);
    expect(c.villagesBelowLine).toEqual([
      { village: { code: "433126101202", name: "岩坨村" }, year, income: "0.00", met: false },
      { village: { code: "433126102202", name: "翁草村" }, year, income: "49999.99", met: false },
      { village: { code: "433126104201", name: "田家洞村" }, year, income: "10000.00", met: false },
    ]);
    // Last year: only 岩坨村 had an income record, 60,000.00.
    const lastYear = (await setup.api.run(COVERAGE, { year: year - 1, county: "433126" }, setup.callers.credentials.admin)).data.collectiveIncomeCoverage;
    expect([lastYear.numerator, lastYear.denominator]).toEqual([1, 5]);
  });

  it("for the prefecture: every county's row, adding up to the total", async () => {
    const result = await setup.api.run(COVERAGE, { year }, setup.callers.credentials.officer);
    const c = result.data.collectiveIncomeCoverage;
    const [poor] = await setup.database.rows<{ n: number }>(sql`select count(*)::int as n from divisions where level = 'VILLAGE' and is_poor_village`);
    expect(c.denominator).toBe(Number(poor!.n));
    expect(c.byCounty).toHaveLength(8);
    expect(c.byCounty.reduce((n: number, r: any) => n + r.numerator, 0)).toBe(c.numerator);
    expect(c.byCounty.reduce((n: number, r: any) => n + r.denominator, 0)).toBe(c.denominator);
    expect(c.villagesBelowLine).toHaveLength(c.denominator - c.numerator);
    expect(errorCodes(await setup.api.run(COVERAGE, { year }, setup.callers.credentials.anonymous))).toEqual(["UNAUTHENTICATED"]);
    expect(errorCodes(await setup.api.run(COVERAGE, { year: 1999 }, setup.callers.credentials.admin))).toEqual(["BAD_USER_INPUT"]);
  });

  it("revisions and records are audited with the values before and after", async () => {
    const result = await setup.api.run(
      `{ auditLog(filter: {operation: "recordCollectiveIncome"}, first: 100) { nodes { operation changes } } }`,
      {},
      setup.callers.credentials.admin,
    );
    expect(result.errors).toBeUndefined();
    const changes = result.data.auditLog.nodes.map((n: any) => JSON.parse(n.changes));
    expect(changes).toContainEqual(expect.objectContaining({ amount: { before: "70000.00", after: "10000.00" }, note: { before: null, after: "更正：按审计结果" } }));
  });
});

describe("recordCollectiveIncome: who may record, and bad input changes nothing", () => {
  it("the office of the village's county, the prefecture office and admins; nobody else", async () => {
    const count = await incomeRows();
    const { credentials } = setup.callers;
    const input = { villageCode: "433126102202", source: "OTHER", amount: "1.00" };
    expect(errorCodes(await record(input, credentials.huayuanReviewer))).toEqual(["FORBIDDEN"]);
    expect(errorCodes(await record(input, credentials.ownEnterprise))).toEqual(["FORBIDDEN"]);
    expect(errorCodes(await record(input, credentials.officer))).toEqual(["FORBIDDEN"]);
    expect(errorCodes(await record(input, credentials.partner))).toEqual(["UNAUTHENTICATED"]);
    expect(errorCodes(await record(input, credentials.anonymous))).toEqual(["UNAUTHENTICATED"]);
    expect(await incomeRows()).toBe(count);
    expect((await record({ ...input, villageCode: "433124103201" }, credentials.huayuanReviewer)).data.recordCollectiveIncome.userErrors).toEqual([]);
    expect((await record({ ...input, villageCode: "433125103201" }, credentials.prefectureReviewer)).data.recordCollectiveIncome.userErrors).toEqual([]);
    expect(await incomeRows()).toBe(count + 2);
  });

  it("takes the year that has begun in China: on 31 December at 17:00 UTC the next year has (01:00 on 1 January in Beijing)", async () => {
    const utcYear = new Date().getUTCFullYear();
    vi.useFakeTimers({ toFake: ["Date"], now: new Date(`${utcYear}-12-31T17:00:00Z`) });
    try {
      expect(businessYear()).toBe(utcYear + 1);
      // A token of that time (the office's own expires within hours).
      const { token } = await setup.api.services.accounts.login("guzhang_reviewer", "guzhang-reviewer-2020", "198.51.100.1", "test-setup");
      const office = { authorization: `Bearer ${token}` };
      const count = await incomeRows();
      const later = await record({ villageCode: "433126102202", source: "OTHER", amount: "1.00", year: utcYear + 2 }, office);
      expect(later.data.recordCollectiveIncome.userErrors).toEqual([expect.objectContaining({ field: ["input", "year"], code: "INVALID" })]);
      expect(await incomeRows()).toBe(count);
      const begun = await record({ villageCode: "433126102202", source: "OTHER", amount: "1.00", year: utcYear + 1 }, office);
      expect(begun.data.recordCollectiveIncome.userErrors).toEqual([]);
      expect(await incomeRows()).toBe(count + 1);
    } finally {
      vi.useRealTimers();
    }
  });

  it.each([
    [{ villageCode: "433126" }, ["input", "villageCode"], "INVALID"], // a county, not a village
    [{ villageCode: "433126109999" }, ["input", "villageCode"], "NOT_FOUND"],
    [{ amount: "-1.00" }, ["input", "amount"], "INVALID"],
    [{ year: 2014 }, ["input", "year"], "INVALID"],
    [{ year: businessYear() + 1 }, ["input", "year"], "INVALID"], // not begun yet (China time)
  ])("refuses %j", async (patch, field, code) => {
    const count = await incomeRows();
    const result = await record({ villageCode: "433126102202", source: "OTHER", amount: "1.00", ...patch });
    expect(result.errors).toBeUndefined();
    expect(result.data.recordCollectiveIncome.userErrors).toEqual([expect.objectContaining({ field, code })]);
    expect(await incomeRows()).toBe(count);
  });
});
