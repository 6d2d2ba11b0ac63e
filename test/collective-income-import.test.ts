import { readFile } from "node:fs/promises";
import { sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { businessYear } from "../src/clock.js";
import { parseConfig } from "../src/config.js";
import { credentialHeaders, dataOverHttp, useTestServer } from "./support/api.js";
import type { CallerName } from "./support/actors.js";
import { captureLogs } from "./support/log-capture.js";

const config = parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", RATE_LIMIT_ANONYMOUS_PER_MINUTE: "0" });
const logs = captureLogs("info");
const setup = useTestServer({ config, logger: logs.logger });

const HEADER = "行政村代码,行政村名称,年度,收入来源,金额（元）,备注";
const SAMPLE = new URL("../seeds/samples/collective-incomes.csv", import.meta.url);
const year = businessYear() - 1; // last year: begun whatever the date

function post(body: string | Uint8Array, caller: CallerName, query = "", contentType = "text/csv; charset=utf-8") {
  return fetch(`${setup.base}/imports/collective-incomes${query}`, {
    method: "POST",
    headers: { ...credentialHeaders(setup.callers.credentials[caller]), "content-type": contentType },
    body,
  });
}

const gql = (query: string, variables: Record<string, unknown>, caller: CallerName = "admin") => dataOverHttp(setup, query, variables, caller);

const COVERAGE = `query ($year: Int!, $county: String) { collectiveIncomeCoverage(year: $year, countyCode: $county) {
  numerator denominator villagesBelowLine { village { name } income } } }`;

/** 花垣县's collective-income indicator of a year, as the prefecture office reads it. */
async function coverage(of: number, county = "433124") {
  const { collectiveIncomeCoverage: c } = await gql(COVERAGE, { year: of, county }, "prefectureReviewer");
  return { met: c.numerator, poor: c.denominator, below: c.villagesBelowLine.map((v: any) => `${v.village.name} ${v.income}`) };
}

async function audits(entityType: string): Promise<any[]> {
  const { auditLog } = await gql(`query ($type: String) { auditLog(first: 100, filter: { operation: "importCollectiveIncomes", entityType: $type }) { nodes { changes actor { username } } } }`, { type: entityType });
  return auditLog.nodes;
}

/** Every stored record with its last change: what "nothing changed" is checked against. */
const stored = () =>
  setup.database.rows<{ village_code: string; year: number; source: string; amount: string; note: string | null; updated_at: string }>(
    sql`select village_code, year, source, amount::text, note, updated_at::text from collective_incomes order by village_code, year, source`,
  );

const csv = (rows: string[][], header = HEADER) => [header, ...rows.map((r) => r.join(","))].join("\r\n");

describe("POST /imports/collective-incomes (村级集体经济收入)", () => {
  it("imports the sample file (花垣县, 2020) as the county's office: the indicator counts it by hand, each record and the import audited", async () => {
    expect(await coverage(2020)).toEqual({ met: 0, poor: 7, below: expect.any(Array) });
    const response = await post(await readFile(SAMPLE), "huayuanReviewer");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ dryRun: false, rows: 11, inserted: 11, updated: 0, unchanged: 0, errors: [] });
    // 花垣县's seven poor villages: 十八洞村 32,000 + 41,500; 岩锣村 55,000; 大龙村 62,000; 扪岱村 30,000 + 20,000 (exactly
    // the line) meet it; 金龙村 26,800 + 9,000.50, 沙科村 30,500 + 12,000 and 老寨村 48,000 do not.
    expect(await coverage(2020)).toEqual({ met: 4, poor: 7, below: ["沙科村 42500.00", "老寨村 48000.00", "金龙村 35800.50"] });

    const [entry, ...older] = await audits("CollectiveIncomeImport");
    expect(older).toEqual([]);
    expect(entry.actor.username).toBe("huayuan_reviewer");
    expect(JSON.parse(entry.changes)).toEqual({
      format: { before: null, after: "csv" },
      jurisdiction: { before: null, after: "433124" },
      rows: { before: null, after: 11 },
      inserted: { before: null, after: 11 },
      updated: { before: null, after: 0 },
      unchanged: { before: null, after: 0 },
    });
    const records = (await audits("CollectiveIncome")).map((n) => JSON.parse(n.changes));
    expect(records).toHaveLength(11);
    expect(records).toContainEqual({
      villageCode: { before: null, after: "433124103201" },
      year: { before: null, after: 2020 },
      source: { before: null, after: "PHOTOVOLTAIC" },
      amount: { before: null, after: "32000.00" },
      note: { before: null, after: "村级光伏电站发电收益" },
    });
  });

  it("a second run of the same file changes nothing: every row unchanged, no record touched, no record audited", async () => {
    const before = await stored();
    const recordAudits = (await audits("CollectiveIncome")).length;
    const response = await post(await readFile(SAMPLE), "huayuanReviewer");
    expect(await response.json()).toEqual({ dryRun: false, rows: 11, inserted: 0, updated: 0, unchanged: 11, errors: [] });
    expect(await stored()).toEqual(before);
    expect((await audits("CollectiveIncome")).length).toBe(recordAudits);
    expect(await coverage(2020)).toMatchObject({ met: 4, poor: 7 });
  });

  it("a revised row (same village, year and source) is a revision: a dry run counts it and writes nothing, the import revises it and audits before and after", async () => {
    const text = (await readFile(SAMPLE, "utf8")).replace("433124103202,金龙村,2020,服务创收,9000.50,", "433124103202,金龙村,2020,服务创收,23200.00,更正：含电商服务站收入");
    const before = await stored();
    const dry = await post(text, "huayuanReviewer", "?dryRun=true");
    expect(dry.status).toBe(200);
    expect(await dry.json()).toEqual({ dryRun: true, rows: 11, inserted: 0, updated: 1, unchanged: 10, errors: [] });
    expect(await stored()).toEqual(before);

    const response = await post(text, "huayuanReviewer", "?dryRun=false");
    expect(await response.json()).toEqual({ dryRun: false, rows: 11, inserted: 0, updated: 1, unchanged: 10, errors: [] });
    expect(await coverage(2020)).toEqual({ met: 5, poor: 7, below: ["沙科村 42500.00", "老寨村 48000.00"] }); // 金龙村 50,000.00
    const [latest] = await audits("CollectiveIncome");
    expect(JSON.parse(latest.changes)).toEqual({ amount: { before: "9000.50", after: "23200.00" }, note: { before: null, after: "更正：含电商服务站收入" } });
    // The same key through GraphQL afterwards sees the imported value and revises it again: one store.
    const { recordCollectiveIncome } = await gql(
      `mutation ($input: RecordCollectiveIncomeInput!) { recordCollectiveIncome(input: $input) { villageIncome { income met } userErrors { message } } }`,
      { input: { villageCode: "433124103202", year: 2020, source: "SERVICE", amount: "23199.99" } },
      "huayuanReviewer",
    );
    expect(recordCollectiveIncome).toEqual({ villageIncome: { income: "49999.99", met: false }, userErrors: [] });
  });

  it("two imports of the same new file at once: each record written and audited once; one report inserts, the other finds every row unchanged", async () => {
    const file = csv([
      ["433124101202", "大龙村", "2019", "光伏扶贫电站收益", "30000.00", ""],
      ["433124101202", "大龙村", "2019", "合作社分红", "25000.00", "黄桃合作社分红"],
    ]);
    const reports = (await Promise.all((await Promise.all([post(file, "huayuanReviewer"), post(file, "prefectureReviewer")])).map((r) => r.json()))) as any[];
    expect(reports.map((r) => [r.inserted, r.updated, r.unchanged]).sort()).toEqual([
      [0, 0, 2],
      [2, 0, 0],
    ]);
    expect((await stored()).filter((r) => r.village_code === "433124101202" && r.year === 2019).map((r) => r.amount)).toEqual(["30000.00", "25000.00"]);
    const created = (await audits("CollectiveIncome")).map((n) => JSON.parse(n.changes)).filter((c) => c.villageCode?.after === "433124101202" && c.year?.after === 2019);
    expect(created).toHaveLength(2);
  });

  it("reads XLSX (numbers as Excel stores them) as well as CSV, and the API's source names as well as the Chinese ones", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("村级集体经济收入");
    sheet.addRow(HEADER.split(","));
    sheet.addRow(["433124104201", "扪岱村", year, "合作社分红", 12345.6, null]);
    sheet.addRow(["433124104201", null, year, "PHOTOVOLTAIC", 40000, "光伏"]);
    const response = await post(new Uint8Array(await workbook.xlsx.writeBuffer()), "huayuanReviewer", "", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(await response.json()).toEqual({ dryRun: false, rows: 2, inserted: 2, updated: 0, unchanged: 0, errors: [] });
    expect((await coverage(year)).below.filter((v: string) => v.startsWith("扪岱村"))).toEqual([]); // 52,345.60 yuan
    const rows = (await stored()).filter((r) => r.village_code === "433124104201" && r.year === year);
    expect(rows.map((r) => [r.source, r.amount, r.note])).toEqual([
      ["PHOTOVOLTAIC", "40000.00", "光伏"],
      ["COOPERATIVE_DIVIDEND", "12345.60", null],
    ]);
  });
});

describe("bad files: every kind of bad row is reported with its line and column, and nothing is written", () => {
  async function refused(body: string | Uint8Array, caller: CallerName = "huayuanReviewer", query = ""): Promise<any> {
    const before = await stored();
    const imports = (await audits("CollectiveIncomeImport")).length;
    const response = await post(body, caller, query);
    expect(response.status).toBe(422);
    const report = (await response.json()) as any;
    expect(report.inserted + report.updated + report.unchanged).toBe(0);
    expect(await stored()).toEqual(before);
    expect((await audits("CollectiveIncomeImport")).length).toBe(imports);
    return report;
  }

  it("row by row: code, jurisdiction, year, source, amount, note, column count", async () => {
    const good = ["433124103203", "岩锣村", String(year), "资产收益", "61000.00", ""];
    const patched = (i: number, value: string) => good.map((cell, j) => (j === i ? value : cell));
    const report = await refused(
      csv([
        good, // 2: good, still not written
        patched(0, ""), // 3
        patched(0, "43312410320"), // 4
        patched(0, "433125103201"), // 5: 保靖县's 夯沙村
        patched(1, "村".repeat(51)), // 6
        patched(2, "二〇二〇"), // 7
        patched(2, "2014"), // 8
        patched(2, String(businessYear() + 1)), // 9: not begun (China time)
        patched(3, "光伏"), // 10
        patched(4, "-1.00"), // 11
        patched(4, "1.005"), // 12
        patched(4, "5万"), // 13
        patched(4, "10000000000.00"), // 14
        patched(4, ""), // 15
        patched(5, "备".repeat(501)), // 16
        [...good, "多余"], // 17
      ]),
    );
    expect(report.rows).toBe(16);
    expect(report.errors.map((e: any) => [e.line, e.column])).toEqual([
      [3, "行政村代码"],
      [4, "行政村代码"],
      [5, "行政村代码"],
      [6, "行政村名称"],
      [7, "年度"],
      [8, "年度"],
      [9, "年度"],
      [10, "收入来源"],
      [11, "金额（元）"],
      [12, "金额（元）"],
      [13, "金额（元）"],
      [14, "金额（元）"],
      [15, "金额（元）"],
      [16, "备注"],
      [17, null],
    ]);
    const messages = report.errors.map((e: any) => e.message);
    expect(messages[2]).toBe("行政村 433125103201 不在本单位辖区（433124）内");
    expect(messages[6]).toBe(`${businessYear() + 1} 年尚未开始（按北京时间）`);
    expect(messages[7]).toBe("收入来源应为 光伏扶贫电站收益、资源发包租赁、合作社分红、资产收益、服务创收、其他收入 之一");
    expect(messages[8]).toBe("金额不能为负数");
    expect(messages[14]).toBe("列数应为 6（本行有 7 列）");
  });

  it("across the file and the platform: unknown village, a name that is not the code's, the same village, year and source twice", async () => {
    const report = await refused(
      csv([
        ["433124109999", "", String(year), "其他收入", "100.00", ""], // 2: well-formed, not a village
        ["433124103202", "十八洞村", String(year), "其他收入", "100.00", ""], // 3: 金龙村's code
        ["433124103201", "十八洞村", String(year), "光伏扶贫电站收益", "100.00", ""], // 4
        ["433124103201", "", String(year), "PHOTOVOLTAIC", "200.00", ""], // 5: the same key as line 4
        ["433124103", "", String(year), "其他收入", "100.00", ""], // 6: a township's code would be 9 digits: refused by shape
      ]),
    );
    expect(report.errors).toEqual([
      { line: 2, column: "行政村代码", message: "行政村代码 433124109999 不是湘西州已登记的行政村" },
      { line: 3, column: "行政村名称", message: "行政村代码 433124103202 登记的名称是“金龙村”，不是“十八洞村”" },
      { line: 5, column: "收入来源", message: "同一行政村、年度和收入来源已在第 4 行出现（每村每年每个来源一行）" },
      { line: 6, column: "行政村代码", message: "行政村代码应为 12 位数字" },
    ]);
    // A 12-digit code of a township or county is not a village either.
    expect((await refused(csv([["433124103000", "", String(year), "其他收入", "1", ""]]))).errors[0].message).toContain("不是湘西州已登记的行政村");
  });

  it("the file as a whole: wrong header, a household file, empty, not UTF-8", async () => {
    expect((await refused(csv([["433124103201", "", String(year), "其他收入", "1", ""]], "行政村代码,年度,收入来源,金额,备注"))).errors).toEqual([
      { line: 1, column: null, message: `表头应为“${HEADER}”（列名与顺序均须一致）` },
    ]);
    expect((await refused(await readFile(new URL("../seeds/samples/households.csv", import.meta.url)))).errors[0]).toMatchObject({ line: 1, column: null });
    expect((await refused("\r\n")).errors[0].message).toContain("文件为空");
    const gbk = Buffer.concat([Buffer.from(`${HEADER}\r\n433124103201,`), Buffer.from([0xca, 0xae, 0xb0, 0xcb, 0xb6, 0xb4, 0xb4, 0xe5])]); // 十八洞村 in GBK
    expect((await refused(gbk)).errors).toEqual([{ line: 2, column: null, message: expect.stringContaining("文件不是 UTF-8 编码") }]);
  });
});

describe("authorization over HTTP, for every role", () => {
  const body = () => csv([["433124103203", "岩锣村", String(year), "服务创收", "100.00", ""]]);

  it.each([
    ["anonymous", 401, "UNAUTHENTICATED"],
    ["partner", 401, "UNAUTHENTICATED"],
    ["ownEnterprise", 403, "FORBIDDEN"],
    ["officer", 403, "FORBIDDEN"],
  ] as const)("%s is refused (%i), for imports and dry runs, and nothing is written", async (caller, status, code) => {
    const before = await stored();
    for (const query of ["", "?dryRun=true"]) {
      const response = await post(body(), caller, query);
      expect(response.status).toBe(status);
      expect(((await response.json()) as any).errors[0].extensions.code).toBe(code);
    }
    expect(await stored()).toEqual(before);
  });

  it.each([
    ["huayuanReviewer", 200],
    ["prefectureReviewer", 200],
    ["admin", 200],
    ["baojingReviewer", 422],
  ] as const)("%s: %i for a 花垣县 file", async (caller, status) => {
    const response = await post(body(), caller, "?dryRun=true");
    expect(response.status).toBe(status);
    if (status === 422) expect(((await response.json()) as any).errors[0]).toMatchObject({ line: 2, column: "行政村代码", message: "行政村 433124103203 不在本单位辖区（433125）内" });
  });

  it("a county office may not name another county; the prefecture office limited to one county is refused the other's villages", async () => {
    const other = await post(body(), "baojingReviewer", "?countyCode=433124");
    expect(other.status).toBe(403);
    expect(((await other.json()) as any).errors[0].extensions.code).toBe("FORBIDDEN");
    expect((await post(body(), "prefectureReviewer", "?dryRun=true&countyCode=433125")).status).toBe(422);
  });

  it("refuses other methods, unknown parameters (compare is for households), empty bodies", async () => {
    const get = await fetch(`${setup.base}/imports/collective-incomes`, { headers: credentialHeaders(setup.callers.credentials.admin) });
    expect(get.status).toBe(405);
    expect((await post(body(), "admin", "?compare=true")).status).toBe(400);
    expect((await post(body(), "admin", "?dryRun=yes")).status).toBe(400);
    expect((await post("", "admin")).status).toBe(400);
  });

  it("logs say which import and how many rows, nothing from the file", () => {
    const text = logs.text();
    expect(text).toContain("/imports/collective-incomes");
    expect(text).not.toMatch(/十八洞村|苗绣/);
  });
});
