import { readFile } from "node:fs/promises";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/config.js";
import { credentialHeaders, dataOverHttp, useTestServer } from "./support/api.js";
import type { CallerName } from "./support/actors.js";
import { freshIdNumber } from "./support/fixtures.js";
import { captureLogs } from "./support/log-capture.js";

const config = parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", IMPORT_MAX_BYTES: "200000", RATE_LIMIT_ANONYMOUS_PER_MINUTE: "0" });
const logs = captureLogs("info");
const setup = useTestServer({ config, logger: logs.logger });

const HEADER = "户编号,行政村代码,户主姓名,户主证件号码,家庭人口数,劳动能力,发展意愿,户状态,监测原因";
const SAMPLE = new URL("../seeds/samples/households.csv", import.meta.url);
const 十八洞村 = "433124103201";
const 金龙村 = "433124103202";
const 夯沙村 = "433125103201"; // 保靖县

function post(body: string | Uint8Array, caller: CallerName, query = "", contentType = "text/csv; charset=utf-8") {
  return fetch(`${setup.base}/imports/households${query}`, {
    method: "POST",
    headers: { ...credentialHeaders(setup.callers.credentials[caller]), "content-type": contentType },
    body,
  });
}

const gql = (query: string, variables: Record<string, unknown>, caller: CallerName = "admin") => dataOverHttp(setup, query, variables, caller);

const HOUSEHOLDS = `query ($filter: HouseholdFilter, $after: String) { households(filter: $filter, first: 100, after: $after) {
  totalCount nodes { id householdNo headName headIdNumber members laborCapacity developmentWillingness status monitoringReason exitYear village { code } }
  pageInfo { hasNextPage endCursor } } }`;

/** Every household of a county, by number, as the admin reads them through GraphQL. */
async function householdsOf(countyCode: string): Promise<Map<string, any>> {
  const found = new Map<string, any>();
  for (let after: string | null = null; ; ) {
    const { households } = await gql(HOUSEHOLDS, { filter: { countyCode }, after });
    for (const node of households.nodes) found.set(node.householdNo, node);
    if (!households.pageInfo.hasNextPage) return found;
    after = households.pageInfo.endCursor;
  }
}

async function importAudits(): Promise<any[]> {
  const { auditLog } = await gql(`{ auditLog(first: 100, filter: { operation: "importHouseholds" }) { nodes { operation entityType changes actor { username } } } }`, {});
  return auditLog.nodes;
}

let sequence = 0;
/** A valid row of a fresh household in a village (a new number and a new head each time). */
function row(village = 十八洞村, patch: Partial<Record<"no" | "name" | "id" | "members" | "labor" | "will" | "status" | "reason", string>> = {}): string[] {
  sequence += 1;
  return [
    patch.no ?? `${village}-T${sequence}`,
    village,
    patch.name ?? "龙先兰",
    patch.id ?? freshIdNumber(village.slice(0, 6)),
    patch.members ?? "4",
    patch.labor ?? "有",
    patch.will ?? "有",
    patch.status ?? "已脱贫",
    patch.reason ?? "",
  ];
}

const csv = (rows: string[][], header = HEADER) => [header, ...rows.map((r) => r.join(","))].join("\r\n");

describe("POST /imports/households", () => {
  it("imports the sample file (花垣县) as the county's office: every household stored, ID numbers masked, one audit entry with counts", async () => {
    const before = (await importAudits()).length;
    const response = await post(await readFile(SAMPLE), "huayuanReviewer");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ dryRun: false, rows: 12, inserted: 12, updated: 0, unchanged: 0, errors: [] });

    const stored = await householdsOf("433124");
    const first = stored.get("4331241032010001");
    expect(first).toMatchObject({ headName: "龙先兰", headIdNumber: "4331**********1015", members: 4, laborCapacity: true, developmentWillingness: true, status: "OUT_OF_POVERTY", monitoringReason: null, village: { code: 十八洞村 } });
    expect(stored.get("4331241032020001")).toMatchObject({ status: "MONITORED_EDGE", monitoringReason: "人均纯收入低于扶贫标准1.5倍", laborCapacity: true });
    expect(stored.get("4331241032010002")).toMatchObject({ laborCapacity: false, developmentWillingness: false, members: 2 });

    const audits = await importAudits();
    expect(audits.length).toBe(before + 1);
    const entry = audits[0];
    expect(entry).toMatchObject({ operation: "importHouseholds", entityType: "HouseholdImport", actor: { username: "huayuan_reviewer" } });
    expect(JSON.parse(entry.changes)).toEqual({
      format: { before: null, after: "csv" },
      jurisdiction: { before: null, after: "433124" },
      rows: { before: null, after: 12 },
      inserted: { before: null, after: 12 },
      updated: { before: null, after: 0 },
      unchanged: { before: null, after: 0 },
    });
    // No personal data in the audit entry.
    expect(entry.changes).not.toMatch(/龙先兰|433124198003121015/);
  });

  it("a second run of the same file changes nothing and says every row is unchanged", async () => {
    const before = await householdsOf("433124");
    const response = await post(await readFile(SAMPLE), "huayuanReviewer");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ dryRun: false, rows: 12, inserted: 0, updated: 0, unchanged: 12, errors: [] });
    expect(await householdsOf("433124")).toEqual(before);
    // The household's own audit trail shows no update either (the merge touched no row).
    const { auditLog } = await gql(`{ auditLog(first: 10, filter: { operation: "updateHousehold" }) { totalCount } }`, {});
    expect(auditLog.totalCount).toBe(0);
  });

  it("keys ID numbers as GraphQL does: an enterprise links an imported household by number and ID; a head registered through GraphQL is refused in a file", async () => {
    const link = await gql(
      `mutation ($input: CreateBenefitLinkInput!) { createBenefitLink(input: $input) { benefitLink { id } userErrors { code message } } }`,
      { input: { householdNo: "4331241032010003", headIdNumber: "433124197501211051", mechanism: "EMPLOYMENT", year: 2020, income: "3600.00", startDate: "2020-03-01" } },
      "ownEnterprise",
    );
    expect(link.createBenefitLink.userErrors).toEqual([]);
    // Enterprises never see households: the office reads which one it is.
    const linked = await gql(`query ($id: ID!) { node(id: $id) { ... on BenefitLink { household { householdNo } } } }`, { id: link.createBenefitLink.benefitLink.id }, "huayuanReviewer");
    expect(linked.node).toEqual({ household: { householdNo: "4331241032010003" } });
    // The wrong ID number for that household matches nothing.
    const wrong = await gql(
      `mutation ($input: CreateBenefitLinkInput!) { createBenefitLink(input: $input) { benefitLink { id } userErrors { code } } }`,
      { input: { householdNo: "4331241032010003", headIdNumber: freshIdNumber("433124"), mechanism: "EMPLOYMENT", year: 2020, income: "3600.00", startDate: "2020-03-01" } },
      "ownEnterprise",
    );
    expect(wrong.createBenefitLink.benefitLink).toBeNull();

    const headIdNumber = freshIdNumber("433124");
    const householdNo = `${十八洞村}-GQL1`;
    const created = await gql(
      `mutation ($input: CreateHouseholdInput!) { createHousehold(input: $input) { household { householdNo } userErrors { code message } } }`,
      { input: { householdNo, villageCode: 十八洞村, headName: "龙先兰", headIdNumber, members: 3, laborCapacity: true, developmentWillingness: true, status: "OUT_OF_POVERTY" } },
      "huayuanReviewer",
    );
    expect(created.createHousehold).toEqual({ household: { householdNo }, userErrors: [] });
    const response = await post(csv([row(十八洞村, { id: headIdNumber })]), "huayuanReviewer", "?dryRun=true");
    expect(response.status).toBe(422);
    expect(((await response.json()) as any).errors).toEqual([{ line: 2, column: "户主证件号码", message: `该户主已是户 ${householdNo} 的户主（一人只能是一户的户主）` }]);
  });

  it("updates the rows that changed (by household number) and leaves the others and the unimported facts alone", async () => {
    const text = (await readFile(SAMPLE, "utf8")).replace("4331241032010001,433124103201,龙先兰,433124198003121015,4,有,有,已脱贫,", "4331241032010001,433124103201,龙先兰,433124198003121015,5,有,有,脱贫不稳定户,因病支出骤增");
    const dry = await post(text, "huayuanReviewer", "?dryRun=true");
    expect(await dry.json()).toEqual({ dryRun: true, rows: 12, inserted: 0, updated: 1, unchanged: 11, errors: [] });
    expect((await householdsOf("433124")).get("4331241032010001")).toMatchObject({ members: 4, status: "OUT_OF_POVERTY" });

    const response = await post(text, "huayuanReviewer", "?dryRun=false");
    expect(await response.json()).toEqual({ dryRun: false, rows: 12, inserted: 0, updated: 1, unchanged: 11, errors: [] });
    expect((await householdsOf("433124")).get("4331241032010001")).toMatchObject({ members: 5, status: "MONITORED_UNSTABLE", monitoringReason: "因病支出骤增", exitYear: null });
  });

  it("a dry run writes nothing: no household, no audit entry", async () => {
    const before = await householdsOf("433124");
    const audits = (await importAudits()).length;
    const response = await post(csv([row(), row(金龙村)]), "huayuanReviewer", "?dryRun=true");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ dryRun: true, rows: 2, inserted: 2, updated: 0, unchanged: 0, errors: [] });
    expect(await householdsOf("433124")).toEqual(before);
    expect((await importAudits()).length).toBe(audits);
  });

  it("reads XLSX as well as CSV (and a CSV without a BOM)", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("建档立卡户");
    sheet.addRow(HEADER.split(","));
    const rows = [row(金龙村, { name: "石顺莲", status: "边缘易致贫户", reason: "因灾损失" }), row(金龙村, { members: "3" })];
    for (const r of rows) sheet.addRow([r[0], r[1], r[2], r[3], Number(r[4]), r[5], r[6], r[7], r[8] || null]);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const response = await post(bytes, "huayuanReviewer", "", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(await response.json()).toEqual({ dryRun: false, rows: 2, inserted: 2, updated: 0, unchanged: 0, errors: [] });
    expect((await householdsOf("433124")).get(rows[0]![0]!)).toMatchObject({ headName: "石顺莲", status: "MONITORED_EDGE", monitoringReason: "因灾损失", members: 4 });
  });
});

describe("bad files: every kind of bad row is reported with its line and column, and nothing is written", () => {
  async function refused(body: string | Uint8Array, caller: CallerName = "huayuanReviewer"): Promise<any> {
    const before = await householdsOf("433124");
    const audits = (await importAudits()).length;
    const response = await post(body, caller);
    expect(response.status).toBe(422);
    const report = (await response.json()) as any;
    expect(report.inserted + report.updated + report.unchanged).toBe(0);
    expect(await householdsOf("433124")).toEqual(before);
    expect((await importAudits()).length).toBe(audits);
    return report;
  }

  it("row by row: shapes, checksum, enums, members 1–20, the caller's county", async () => {
    const good = row();
    const badChecksum = freshIdNumber("433124").slice(0, 17) + "Y";
    const id = freshIdNumber("433124");
    const wrongCheck = id.slice(0, 17) + (id[17] === "0" ? "1" : "0");
    const rows = [
      good, // line 2 (good; still not written)
      row(十八洞村, { id: wrongCheck }), // 3
      row(十八洞村, { id: badChecksum }), // 4
      row(十八洞村, { id: "43312419800101" }), // 5
      row(十八洞村, { members: "0" }), // 6
      row(十八洞村, { members: "21" }), // 7
      row(十八洞村, { members: "四" }), // 8
      row(十八洞村, { labor: "是" }), // 9
      row(十八洞村, { will: "" }), // 10
      row(十八洞村, { status: "贫困户" }), // 11
      row(十八洞村, { no: "12" }), // 12
      row(十八洞村, { name: "" }), // 13
      row(夯沙村), // 14: 保靖县, not 花垣县's
      [...row(), "多余"], // 15
      row("43312410320"), // 16
    ];
    const report = await refused(csv(rows));
    expect(report.rows).toBe(15);
    expect(report.errors.map((e: any) => [e.line, e.column])).toEqual([
      [3, "户主证件号码"],
      [4, "户主证件号码"],
      [5, "户主证件号码"],
      [6, "家庭人口数"],
      [7, "家庭人口数"],
      [8, "家庭人口数"],
      [9, "劳动能力"],
      [10, "发展意愿"],
      [11, "户状态"],
      [12, "户编号"],
      [13, "户主姓名"],
      [14, "行政村代码"],
      [15, null],
      [16, "行政村代码"],
    ]);
    const messages = report.errors.map((e: any) => e.message);
    expect(messages[0]).toContain("校验码不正确");
    expect(messages[3]).toBe("家庭人口数应为 1–20 的整数（实际为“0”）");
    expect(messages[6]).toBe("劳动能力应为“有”或“无”");
    expect(messages[8]).toBe("户状态应为 已脱贫、未脱贫、脱贫不稳定户、边缘易致贫户 之一");
    expect(messages[11]).toBe("行政村 433125103201 不在本单位辖区（433124）内");
    expect(messages[12]).toBe("列数应为 9（本行有 10 列）");
    // The messages never repeat an ID number or a name.
    expect(JSON.stringify(report)).not.toMatch(/龙先兰|\d{17}[\dX]/);
  });

  it("across the file and the platform: unknown village, repeated number, repeated head, a head of another household, a number of another county", async () => {
    // A household of 保靖县, registered by its office, whose head and number the file then reuses.
    const baojingRow = row(夯沙村);
    expect((await post(csv([baojingRow]), "baojingReviewer")).status).toBe(200);
    const repeated = row();
    const sameHead = freshIdNumber("433124");
    const report = await refused(
      csv([
        row("433124109999"), // 2: well-formed, not a village
        repeated, // 3
        [...repeated.slice(0, 3), freshIdNumber("433124"), ...repeated.slice(4)], // 4: same number as line 3
        row(十八洞村, { id: sameHead }), // 5
        row(金龙村, { id: sameHead }), // 6: same head as line 5
        row(十八洞村, { id: baojingRow[3]! }), // 7: heads 保靖县's household
        [baojingRow[0]!, 十八洞村, ...row().slice(2)], // 8: 保靖县's number
      ]),
    );
    expect(report.errors).toEqual([
      { line: 2, column: "行政村代码", message: "行政村代码 433124109999 不是湘西州已登记的行政村" },
      { line: 4, column: "户编号", message: `户编号 ${repeated[0]} 与第 3 行重复` },
      { line: 6, column: "户主证件号码", message: "户主证件号码与第 5 行相同（一人只能是一户的户主）" },
      // 保靖县's household is not named to 花垣县's office.
      { line: 7, column: "户主证件号码", message: "该户主已是另一户的户主（一人只能是一户的户主）" },
      { line: 8, column: "户编号", message: `户编号 ${baojingRow[0]} 已在本单位辖区以外登记，只能由所在县的扶贫办修改` },
    ]);
  });

  it("the file as a whole: wrong header, empty file, not UTF-8, broken quoting, not a workbook", async () => {
    expect((await refused(csv([row()], "户编号,村代码,户主姓名,户主证件号码,家庭人口数,劳动能力,发展意愿,户状态,监测原因"))).errors).toEqual([
      { line: 1, column: null, message: `表头应为“${HEADER}”（列名与顺序均须一致）` },
    ]);
    expect((await refused("\r\n\r\n")).errors[0].message).toContain("文件为空");
    const gbk = Buffer.concat([Buffer.from(`${HEADER}\r\n`), Buffer.from([0xc1, 0xfa, 0xcf, 0xc8, 0xc0, 0xbc])]); // 龙先兰 in GBK
    expect((await refused(gbk)).errors).toEqual([{ line: 2, column: null, message: expect.stringContaining("文件不是 UTF-8 编码") }]);
    expect((await refused(`${HEADER}\r\n"4331241032019999,433124103201,龙先兰`)).errors[0].message).toContain("CSV 格式有误");
    const notAWorkbook = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100)]);
    expect((await refused(notAWorkbook)).errors[0].message).toContain("XLSX");
  });

  it("lines are the spreadsheet's: empty lines and line breaks inside quoted cells are counted", async () => {
    const multiLine = row(十八洞村, { status: "脱贫不稳定户" });
    multiLine[8] = '"因病支出骤增\r\n因学支出较大"'; // lines 2–3
    const report = await refused([HEADER, multiLine.join(","), "", row(十八洞村, { members: "0" }).join(",")].join("\r\n"));
    expect(report.errors.map((e: any) => [e.line, e.column])).toEqual([[5, "家庭人口数"]]);
  });

  it("a prefecture-wide office may import into any county, and is refused nothing of its own", async () => {
    const response = await post(csv([row(夯沙村), row(十八洞村)]), "prefectureReviewer", "?dryRun=true");
    expect(await response.json()).toMatchObject({ rows: 2, inserted: 2, errors: [] });
    // Limited to one county by countyCode, the other county's village is refused.
    const limited = await post(csv([row(夯沙村)]), "prefectureReviewer", "?dryRun=true&countyCode=433124");
    expect(limited.status).toBe(422);
    expect(((await limited.json()) as any).errors[0]).toMatchObject({ line: 2, column: "行政村代码" });
  });
});

describe("comparison (compare=true): changes nothing, reports only-in-file, only-in-platform and changed fields as CSV", () => {
  it("reports a hand-made file against 花垣县's households", async () => {
    // A county of its own for a clean comparison: 古丈县 (433126), registered through an import.
    const base = [row("433126102201", { name: "向春花", members: "3" }), row("433126102201", { name: "彭大兵" }), row("433126102202", { name: "田秀英", status: "未脱贫" })];
    expect((await post(csv(base), "admin")).status).toBe(200);
    const stored = await householdsOf("433126");
    const changed = [...base[0]!];
    changed[4] = "5";
    changed[7] = "边缘易致贫户";
    changed[8] = "因病支出骤增";
    const fresh = row("433126102202", { name: "张三丰" });
    const file = csv([changed, base[2]!, fresh]); // base[1] left out

    const response = await post(file, "admin", "?compare=true&countyCode=433126");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...lines] = parse(bytes.toString("utf8"), { bom: true }) as string[][];
    expect(header).toEqual(["差异类型", "文件行号", "户编号", "行政村代码", "户主姓名", "户主证件号码（脱敏）", "字段", "文件中的值", "平台中的值", "说明"]);
    const masked = (id: string) => `${id.slice(0, 4)}**********${id.slice(14)}`;
    const expected = [
      ["字段不同", "2", changed[0], "433126102201", "向春花", masked(changed[3]!), "家庭人口数", "5", "3", ""],
      ["字段不同", "2", changed[0], "433126102201", "向春花", masked(changed[3]!), "户状态", "边缘易致贫户", "已脱贫", ""],
      ["字段不同", "2", changed[0], "433126102201", "向春花", masked(changed[3]!), "监测原因", "因病支出骤增", "", ""],
      ["仅在平台中", "", base[1]![0], "433126102201", "彭大兵", masked(base[1]![3]!), "", "", "", ""],
      ["仅在文件中", "4", fresh[0], "433126102202", "张三丰", masked(fresh[3]!), "", "", "", ""],
    ].sort((a, b) => (a[2]! < b[2]! ? -1 : a[2]! > b[2]! ? 1 : 0));
    expect(lines).toEqual(expected);
    // No whole ID number anywhere in the report, and nothing changed.
    expect(bytes.toString("utf8")).not.toMatch(/\d{17}[\dX]/);
    expect(await householdsOf("433126")).toEqual(stored);

    // The prefecture's office sees the heads' names masked (张*), like everywhere else.
    const asPrefecture = await post(file, "prefectureReviewer", "?compare=true&countyCode=433126");
    const [, ...maskedLines] = parse(Buffer.from(await asPrefecture.arrayBuffer()).toString("utf8"), { bom: true }) as string[][];
    expect(maskedLines.map((l) => l[4])).toEqual(expected.map((l) => `${l[4]![0]}${"*".repeat([...l[4]!].length - 1)}`));
  });

  it("lists a file's errors in the report instead of refusing it", async () => {
    const response = await post(csv([row("433126102201", { members: "0" })]), "admin", "?compare=true&countyCode=433126");
    const [, first] = parse(Buffer.from(await response.arrayBuffer()).toString("utf8"), { bom: true }) as string[][];
    expect(first!.slice(0, 2)).toEqual(["文件有误", "2"]);
    expect(first![6]).toBe("家庭人口数");
    expect(first![9]).toContain("家庭人口数应为 1–20 的整数");
  });
});

describe("authorization over HTTP, for every role", () => {
  const body = () => csv([row()]);
  it.each([
    ["anonymous", 401, "UNAUTHENTICATED"],
    ["partner", 401, "UNAUTHENTICATED"],
    ["ownEnterprise", 403, "FORBIDDEN"],
    ["otherEnterprise", 403, "FORBIDDEN"],
    ["officer", 403, "FORBIDDEN"],
    ["otherOfficer", 403, "FORBIDDEN"],
  ] as const)("%s is refused (%i) for imports, dry runs and comparisons", async (caller, status, code) => {
    for (const query of ["", "?dryRun=true", "?compare=true"]) {
      const response = await post(body(), caller, query);
      expect(response.status).toBe(status);
      expect(((await response.json()) as any).errors[0].extensions.code).toBe(code);
    }
  });

  it.each([
    ["huayuanReviewer", 200],
    ["prefectureReviewer", 200],
    ["admin", 200],
    ["baojingReviewer", 422],
  ] as const)("%s: %i for a 花垣县 file", async (caller, status) => {
    const response = await post(body(), caller, "?dryRun=true");
    expect(response.status).toBe(status);
  });

  it("a county office may not name another county", async () => {
    const response = await post(body(), "baojingReviewer", "?countyCode=433124");
    expect(response.status).toBe(403);
    expect(((await response.json()) as any).errors[0].extensions.code).toBe("FORBIDDEN");
  });

  it("refuses other methods, unknown parameters, empty and oversized bodies", async () => {
    const get = await fetch(`${setup.base}/imports/households`, { headers: credentialHeaders(setup.callers.credentials.admin) });
    expect(get.status).toBe(405);
    expect((await post(body(), "admin", "?dryrun=true")).status).toBe(400);
    expect((await post(body(), "admin", "?dryRun=yes")).status).toBe(400);
    expect((await post("", "admin")).status).toBe(400);
    const big = await post(csv(Array.from({ length: 3000 }, () => row())), "admin");
    expect(big.status).toBe(413);
    expect(((await big.json()) as any).errors[0].extensions.code).toBe("PAYLOAD_TOO_LARGE");
    expect((await fetch(`${setup.base}/imports/other`, { method: "POST", headers: credentialHeaders(setup.callers.credentials.admin) })).status).toBe(404);
  });

  it("logs carry no names or ID numbers from the files", () => {
    const text = logs.text();
    expect(text).toContain("import request");
    expect(text).not.toMatch(/龙先兰|石顺莲|向春花|\d{17}[\dX]/);
  });
});
