import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { BUDGET_UNIT, budgetUnitSeeds } from "../seeds/budget-units.js";
import { businessToday, businessYear } from "../src/clock.js";
import { parseConfig } from "../src/config.js";
import { labelOf } from "../src/graphql/enums.js";
import { ProductCategory } from "../src/modules/catalog/index.js";
import { type Credentials, credentialHeaders, useTestServer } from "./support/api.js";
import type { CallerName } from "./support/actors.js";
import { productInState, productFields } from "./support/fixtures.js";
import { captureLogs } from "./support/log-capture.js";

// Anonymous callers are not rate-limited here (test/access.http.test.ts covers the budget).
const config = parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", RATE_LIMIT_ANONYMOUS_PER_MINUTE: "0" });
const logs = captureLogs("info");
const setup = useTestServer({ config, logger: logs.logger });
const year = businessYear();
const BATCH = "导出测试批次";
/** A name CSV must quote (comma and quotes): the library's quoting, read back by the library's parser. */
const TRICKY_NAME = '导出测试,"特级"猕猴桃';
const jishouUnit = budgetUnitSeeds.find((u) => u.code === "JS-001-01")!;

const as = (name: CallerName) => setup.callers.credentials[name];

function get(path: string, caller: CallerName | Credentials = "anonymous", init: RequestInit = {}) {
  const credentials = typeof caller === "string" ? as(caller) : caller;
  return fetch(`${setup.base}${path}`, { ...init, headers: { ...credentialHeaders(credentials), ...(init.headers as Record<string, string>) } });
}

/** The same caller's GraphQL answer, over the same HTTP server. */
async function gql(query: string, variables: Record<string, unknown>, caller: CallerName): Promise<any> {
  const response = await fetch(`${setup.base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...credentialHeaders(as(caller)) },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

/** Every node of a connection, page by page. */
async function allNodes(field: string, query: string, variables: Record<string, unknown>, caller: CallerName): Promise<any[]> {
  const nodes: any[] = [];
  let after: string | null = null;
  for (;;) {
    const body = await gql(query, { ...variables, after }, caller);
    expect(body.errors).toBeUndefined();
    const connection = body.data[field];
    nodes.push(...connection.nodes);
    if (!connection.pageInfo.hasNextPage) return nodes;
    after = connection.pageInfo.endCursor;
  }
}

/** A CSV export's rows (header first), after checking it starts with the UTF-8 BOM. */
async function readCsv(response: Response): Promise<string[][]> {
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
  const bytes = Buffer.from(await response.arrayBuffer());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return parse(bytes.toString("utf8"), { bom: true, relax_column_count: false }) as string[][];
}

/** An XLSX export's sheets: name → rows of cells (header first), read back by exceljs. */
async function readXlsx(response: Response): Promise<Map<string, ExcelJS.Cell[][]>> {
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(await response.arrayBuffer());
  const sheets = new Map<string, ExcelJS.Cell[][]>();
  workbook.eachSheet((sheet) => {
    const rows: ExcelJS.Cell[][] = [];
    sheet.eachRow((row) => {
      const cells: ExcelJS.Cell[] = [];
      for (let i = 1; i <= sheet.columnCount; i += 1) cells.push(row.getCell(i));
      rows.push(cells);
    });
    sheets.set(sheet.name, rows);
  });
  return sheets;
}

const values = (rows: ExcelJS.Cell[][]) => rows.map((r) => r.map((c) => c.value));
/** A money cell: a number with two decimals shown, equal to the API's decimal string. */
function expectMoney(cell: ExcelJS.Cell, decimal: string) {
  expect(cell.type).toBe(ExcelJS.ValueType.Number);
  expect(cell.numFmt).toBe("0.00");
  expect(cell.value).toBe(Number(decimal));
}
/** "21.43" from the API's 4-place rate 0.2143 (null: empty). */
const percentText = (rate: number | null) => (rate === null ? "" : (rate * 100).toFixed(2));

beforeAll(async () => {
  const { services } = setup.app;
  const { admin, ownEnterpriseId } = setup.callers;
  // 101 products of one batch: the export pages through the catalog (100 per page) and keeps all of them.
  const ids: string[] = [];
  for (let i = 0; i < 101; i += 1) {
    const name = i === 0 ? TRICKY_NAME : `导出测试产品${String(i).padStart(3, "0")}`;
    let product = await services.products.createProduct(admin, ownEnterpriseId, { ...productFields, name, unitPrice: `${10 + i}.${i % 10}0` });
    product = await services.certification.submit(admin, product.id);
    product = await services.certification.review(admin, product.id, "APPROVE", null);
    ids.push(product.id);
  }
  await services.certification.list(admin, ids, BATCH);
  // Orders of this year: the officer's unit (州财政局), 花垣县财政局 and 吉首市第一中学, in every status.
  const fruit = await productInState(setup.database, services, admin, ownEnterpriseId, "LISTED", { unitPrice: "33.33", availableSupply: 5000 });
  for (const unitId of [BUDGET_UNIT.caizheng, BUDGET_UNIT.huayuanCaizheng, jishouUnit.id]) {
    await services.quotas.declare(admin, { budgetUnitId: unitId, year, canteenFoodTotal: "100000.00", reservedAmount: "10000.00", noCanteen: false });
  }
  let n = 0;
  const order = async (unitId: string, quantity: number, to: "RESERVED" | "SHIPPED" | "DELIVERED" | "CANCELLED") => {
    const { order } = await services.orders.reserve(admin, { budgetUnitId: unitId, productId: fruit.id, quantity, idempotencyKey: `export-${n++}`, channel: "CANTEEN" });
    if (to === "CANCELLED") return services.orders.cancel(admin, order.id);
    if (to === "RESERVED") return order;
    await services.orders.ship(admin, order.id);
    if (to === "DELIVERED") await services.orders.confirmDelivery(admin, order.id);
  };
  await order(BUDGET_UNIT.caizheng, 7, "DELIVERED"); // 233.31
  await order(BUDGET_UNIT.caizheng, 3, "SHIPPED");
  await order(BUDGET_UNIT.huayuanCaizheng, 11, "DELIVERED");
  await order(BUDGET_UNIT.huayuanCaizheng, 2, "CANCELLED");
  await order(jishouUnit.id, 301, "DELIVERED"); // 10,032.33 of 10,000.00: met
  await order(jishouUnit.id, 1, "RESERVED");
}, 300_000);

const CATALOG = `query ($after: String, $county: String) { catalog(first: 100, after: $after, orderBy: {field: CATALOG_NO, direction: ASC}, filter: {countyCode: $county}) {
  pageInfo { hasNextPage endCursor }
  nodes { catalogNo name brand category spec unit unitPrice enterprise { name } originCounty { name } originVillage { name }
          batch validFrom validUntil annualSupplyCapacity availableSupply } } }`;

const CATALOG_HEADER = ["目录编号", "产品名称", "品牌", "产品类别", "规格", "销售单位", "单价（元）", "经营主体", "产地县市", "产地村", "入录批次", "有效期起", "有效期止", "年供应能力", "可供数量"];

/** A catalog node as the export's row (CSV text). */
function catalogRow(p: any): string[] {
  return [
    p.catalogNo, p.name, p.brand ?? "", labelOf(ProductCategory, p.category)!, p.spec, p.unit, p.unitPrice, p.enterprise?.name ?? "",
    p.originCounty.name, p.originVillage?.name ?? "", p.batch ?? "", p.validFrom, p.validUntil, String(p.annualSupplyCapacity), String(p.availableSupply),
  ];
}

describe("GET /exports/catalog", () => {
  it("CSV: the whole public catalog (past one page), as GraphQL answers it, with a BOM, Chinese headers and library quoting", async () => {
    const rows = await readCsv(await get("/exports/catalog.csv"));
    const nodes = await allNodes("catalog", CATALOG, {}, "anonymous");
    expect(nodes.length).toBeGreaterThan(100);
    expect(rows[0]).toEqual(CATALOG_HEADER);
    expect(rows.slice(1)).toEqual(nodes.map(catalogRow));
    expect(rows.some((r) => r[1] === TRICKY_NAME)).toBe(true);
  });

  it("CSV: filtered by batch and county (a partner's key, like the query)", async () => {
    const rows = await readCsv(await get(`/exports/catalog.csv?batch=${encodeURIComponent(BATCH)}&countyCode=433124`, "partner"));
    const nodes = (await allNodes("catalog", CATALOG, { county: "433124" }, "anonymous")).filter((p) => p.batch === BATCH);
    expect(nodes).toHaveLength(101);
    expect(rows.slice(1)).toEqual(nodes.map(catalogRow));
    const none = await readCsv(await get(`/exports/catalog.csv?batch=${encodeURIComponent(BATCH)}&countyCode=433125`));
    expect(none).toEqual([CATALOG_HEADER]);
  });

  it("XLSX: numbers as numeric cells, money with two decimals, the same rows", async () => {
    const response = await get(`/exports/catalog.xlsx?countyCode=433124`, "baojingReviewer");
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="catalog-433124.xlsx"; filename*=UTF-8''${encodeURIComponent("扶贫产品目录-花垣县.xlsx")}`,
    );
    const sheets = await readXlsx(response);
    expect([...sheets.keys()]).toEqual(["扶贫产品目录"]);
    const rows = sheets.get("扶贫产品目录")!;
    const nodes = await allNodes("catalog", CATALOG, { county: "433124" }, "baojingReviewer");
    expect(values(rows.slice(0, 1))).toEqual([CATALOG_HEADER]);
    expect(rows).toHaveLength(nodes.length + 1);
    nodes.forEach((p, i) => {
      const row = rows[i + 1]!;
      expect(row.map((c) => (c.value == null ? "" : String(c.value)))).toEqual(catalogRow(p).map((v, j) => (j === 6 ? String(Number(v)) : v)));
      expectMoney(row[6]!, p.unitPrice);
      expect(row[13]!.type).toBe(ExcelJS.ValueType.Number);
      expect(row[14]!.value).toBe(p.availableSupply);
    });
  });
});

const PROGRESS = `query ($year: Int!, $county: String) { consumptionProgress(year: $year, countyCode: $county) {
  totals { reservedAmount deliveredAmount openAmount completionRate met declared }
  units { budgetUnit { code name } reservedAmount deliveredAmount openAmount completionRate met declared }
  supervisingUnits { budgetUnit { code name } reservedAmount deliveredAmount openAmount completionRate met declared } } }`;
const UNIT_HEADER = ["预算单位编码", "预算单位名称", "所在县市", "预留份额（元）", "已验收金额（元）", "在途金额（元）", "完成率（%）", "是否达标", "已申报"];
const COUNTY_HEADER = ["县市代码", "县市", "预留份额（元）", "已验收金额（元）", "在途金额（元）", "完成率（%）", "是否达标", "已申报"];
const countyNames = new Map<string | null, string>();

/** A progress row as the export's CSV row (figures only). */
const figuresRow = (r: any) => [r.reservedAmount, r.deliveredAmount, r.openAmount, percentText(r.completionRate), r.met ? "是" : "否", r.declared ? "是" : "否"];
const byCode = (rows: any[]) => [...rows].sort((a, b) => a.budgetUnit.code.localeCompare(b.budgetUnit.code, "en"));

async function progressOf(caller: CallerName, county?: string) {
  const body = await gql(PROGRESS, { year, county }, caller);
  expect(body.errors).toBeUndefined();
  return body.data.consumptionProgress;
}

async function unitRows(caller: CallerName, rows: any[]): Promise<string[][]> {
  if (countyNames.size === 0) {
    const body = await gql(`{ divisions(parentCode: "433100", first: 100) { nodes { code name } } }`, {}, "admin");
    for (const d of body.data.divisions.nodes) countyNames.set(d.code, d.name);
  }
  const county = new Map(budgetUnitSeeds.map((u) => [u.code, u.countyCode]));
  return byCode(rows).map((r) => [r.budgetUnit.code, r.budgetUnit.name, countyNames.get(county.get(r.budgetUnit.code) ?? null) ?? "", ...figuresRow(r)]);
}

describe("GET /exports/consumption-progress", () => {
  it("CSV at each level equals consumptionProgress for the same caller (default level: unit; year: this year)", async () => {
    for (const caller of ["admin", "officer", "baojingReviewer"] as const) {
      const progress = await progressOf(caller);
      const units = await readCsv(await get(`/exports/consumption-progress.csv`, caller));
      expect(units[0]).toEqual(UNIT_HEADER);
      expect(units.slice(1)).toEqual(await unitRows(caller, progress.units));
      const supervising = await readCsv(await get(`/exports/consumption-progress.csv?year=${year}&level=supervising`, caller));
      expect(supervising.slice(1)).toEqual(await unitRows(caller, progress.supervisingUnits));
    }
    // The officer of 州财政局 sees its own unit only, as the query says.
    const officer = await readCsv(await get(`/exports/consumption-progress.csv?year=${year}`, "officer"));
    expect(officer.slice(1).map((r) => r[0])).toEqual(["ZZ-001"]);
    expect(officer[1]!.slice(3)).toEqual(["10000.00", "233.31", "99.99", "2.33", "否", "是"]);
  });

  it("CSV per county: each county's row is the query's totals for that county; the last row its totals", async () => {
    const rows = await readCsv(await get(`/exports/consumption-progress.csv?year=${year}&level=county`, "officer"));
    expect(rows[0]).toEqual(COUNTY_HEADER);
    const total = rows.at(-1)!;
    expect(total.slice(0, 2)).toEqual(["433100", "合计"]);
    expect(total.slice(2)).toEqual(figuresRow((await progressOf("officer")).totals));
    const counties = rows.slice(1, -1).filter((r) => r[0] !== "");
    expect(counties.length).toBeGreaterThanOrEqual(3);
    for (const row of counties) expect(row.slice(2)).toEqual(figuresRow((await progressOf("officer", row[0])).totals));
    // 吉首市: 10,032.33 delivered of 10,000.00 (JS-001-01) plus the seed's declaration of JS-001.
    expect(counties.find((r) => r[0] === "433101")![1]).toBe("吉首市");
    // The units of no county (州直, 驻州) make up the rest of the total, to the fen.
    const fen = (yuan: string) => BigInt(yuan.replace(".", ""));
    const rest = rows.slice(1, -1).find((r) => r[0] === "")!;
    expect(rest[1]).toBe("州直及中央省直驻州单位");
    for (const column of [2, 3, 4]) {
      expect(fen(rest[column]!) + counties.reduce((sum, r) => sum + fen(r[column]!), 0n)).toBe(fen(total[column]!));
    }
  });

  it("XLSX: a sheet per level, numeric money and percentages; with a county, that county's figures", async () => {
    const sheets = await readXlsx(await get(`/exports/consumption-progress.xlsx?year=${year}&countyCode=433101`, "huayuanReviewer"));
    expect([...sheets.keys()]).toEqual(["预算单位", "主管预算单位", "县市", "交付金额（按月）", "交付金额（按产地县市）", "交付金额（按产品类别）", "交付金额（按供货企业）"]);
    const progress = await progressOf("huayuanReviewer", "433101");
    const units = sheets.get("预算单位")!;
    expect(values(units.slice(0, 1))).toEqual([UNIT_HEADER]);
    const expected = byCode(progress.units);
    expect(units.slice(1).map((r) => r[0]!.value)).toEqual(expected.map((u) => u.budgetUnit.code));
    expected.forEach((u, i) => {
      const row = units[i + 1]!;
      expectMoney(row[3]!, u.reservedAmount);
      expectMoney(row[4]!, u.deliveredAmount);
      expectMoney(row[5]!, u.openAmount);
      if (u.completionRate === null) expect(row[6]!.value).toBeNull();
      else expect(row[6]!.value).toBeCloseTo(u.completionRate * 100, 10);
      expect(row[7]!.value).toBe(u.met ? "是" : "否");
      expect(row[8]!.value).toBe(u.declared ? "是" : "否");
    });
    expect(units.find((r) => r[0]!.value === "JS-001-01")![7]!.value).toBe("是");
    expect(sheets.get("主管预算单位")!.slice(1).map((r) => r[0]!.value)).toEqual(byCode(progress.supervisingUnits).map((u) => u.budgetUnit.code));
    const county = sheets.get("县市")!;
    expect(county.slice(1).map((r) => [r[0]!.value, r[1]!.value])).toEqual([["433101", "吉首市"], ["433101", "合计"]]);
    for (const row of county.slice(1)) {
      expectMoney(row[2]!, progress.totals.reservedAmount);
      expectMoney(row[3]!, progress.totals.deliveredAmount);
      expectMoney(row[4]!, progress.totals.openAmount);
    }
  });

  it("XLSX: the delivered amounts by month, origin county, category and enterprise — the dashboard's charts — as the query answers them", async () => {
    const delivered = `query ($year: Int!) { consumptionProgress(year: $year) { totals { deliveredAmount }
      deliveredByMonth { key label amount } deliveredByOriginCounty { key label amount } deliveredByCategory { key label amount } deliveredByEnterprise { key label amount } } }`;
    const body = await gql(delivered, { year }, "prefectureReviewer");
    expect(body.errors).toBeUndefined();
    const p = body.data.consumptionProgress;
    expect(Number(p.totals.deliveredAmount)).toBeGreaterThan(0);
    const sheets = await readXlsx(await get(`/exports/consumption-progress.xlsx?year=${year}`, "prefectureReviewer"));
    const read = (name: string, keyed: boolean) => {
      const [header, ...rows] = sheets.get(name)!;
      return { header: header!.map((c) => c.value), rows: rows.map((r) => (keyed ? [r[0]!.value, r[1]!.value, r[2]!] : [null, r[0]!.value, r[1]!])) };
    };
    const cases = [
      ["交付金额（按月）", true, ["月份", "月", "已验收金额（元）"], p.deliveredByMonth],
      ["交付金额（按产地县市）", true, ["县市代码", "产地县市", "已验收金额（元）"], p.deliveredByOriginCounty],
      ["交付金额（按产品类别）", false, ["产品类别", "已验收金额（元）"], p.deliveredByCategory],
      ["交付金额（按供货企业）", false, ["供货企业", "已验收金额（元）"], p.deliveredByEnterprise],
    ] as const;
    for (const [name, keyed, header, expected] of cases) {
      const sheet = read(name, keyed);
      expect(sheet.header).toEqual(header);
      expect(sheet.rows.map((r) => [r[0], r[1]])).toEqual(expected.map((e: any) => [keyed ? e.key : null, e.label]));
      sheet.rows.forEach((r, i) => expectMoney(r[2] as ExcelJS.Cell, expected[i].amount));
    }
    expect(p.deliveredByMonth).toHaveLength(12);
    expect(p.deliveredByEnterprise.length).toBeGreaterThan(0);
  });
});

const INDICATOR = `indicator: byCounty { county { code name } numerator denominator rate met } numerator denominator rate target met title`;
const INDICATORS = `query ($asOf: Date, $county: String, $year: Int!) {
  pairingCoverage(asOf: $asOf, countyCode: $county) { ${INDICATOR.replace("indicator: ", "")} }
  benefitLinkCoverage(asOf: $asOf, countyCode: $county) { households { ${INDICATOR.replace("indicator: ", "")} } villages { ${INDICATOR.replace("indicator: ", "")} } }
  collectiveIncomeCoverage(year: $year, countyCode: $county) { ${INDICATOR.replace("indicator: ", "")} } }`;

const SALES = `query ($year: Int!, $county: String) { consumptionSales(year: $year, countyCode: $county) {
  total { amount records } byChannel { key label amount records } byOriginCounty { key label amount records } byMonth { key amount records } } }`;
const SALES_SHEETS = ["消费扶贫总额（按渠道）", "消费扶贫总额（按产地县市）", "消费扶贫总额（按月）"];

describe("GET /exports/indicators.xlsx", () => {
  it("a sheet per indicator: its counties, the total, target and met, rates as percentages — as the queries answer", async () => {
    for (const [caller, query] of [["ownEnterprise", ""], ["officer", "?asOf=2020-06-30"], ["huayuanReviewer", "?countyCode=433124"], ["admin", ""]] as const) {
      const params = new URLSearchParams(query);
      // collectiveIncomeCoverage: the year of asOf.
      const year = Number((params.get("asOf") ?? businessToday()).slice(0, 4));
      const body = await gql(INDICATORS, { asOf: params.get("asOf"), county: params.get("countyCode"), year }, caller);
      expect(body.errors).toBeUndefined();
      const indicators = [body.data.pairingCoverage, body.data.benefitLinkCoverage.households, body.data.benefitLinkCoverage.villages, body.data.collectiveIncomeCoverage];
      const response = await get(`/exports/indicators.xlsx${query}`, caller);
      const day = params.get("asOf") ?? businessToday();
      expect(decodeURIComponent(response.headers.get("content-disposition")!.split("UTF-8''")[1]!)).toBe(
        `扶贫指标-${day}${params.get("countyCode") ? "-花垣县" : ""}.xlsx`,
      );
      const sheets = await readXlsx(response);
      // consumptionSales' sheets (the year of asOf) for its audience only: an enterprise user gets the indicators.
      const seesSales = caller !== "ownEnterprise";
      expect([...sheets.keys()]).toEqual([...indicators.map((i) => i.title), ...(seesSales ? SALES_SHEETS : [])]);
      if (seesSales) {
        const sales = await gql(SALES, { year, county: params.get("countyCode") }, caller);
        expect(sales.errors).toBeUndefined();
        const { total, byChannel, byOriginCounty, byMonth } = sales.data.consumptionSales;
        const sheet = (i: number, labelled: boolean) =>
          sheets.get(SALES_SHEETS[i]!)!.slice(1).map((r) => (labelled ? [r[0]!.value, r[1]!.value, r[2]!, r[3]!.value] : [r[0]!.value, null, r[1]!, r[2]!.value]));
        for (const [i, rows] of [byChannel, byOriginCounty, byMonth].entries()) {
          const expected = [...rows.map((r: any) => [r.key, i === 2 ? null : r.label, r.amount, r.records]), ["合计", null, total.amount, total.records]];
          const got = sheet(i, i < 2);
          expect(got.map((r) => [r[0], i === 2 ? null : (r[1] ?? null), r[3]])).toEqual(expected.map((e) => [e[0], e[1], e[3]]));
          got.forEach((r, j) => expectMoney(r[2] as ExcelJS.Cell, expected[j]![2]));
        }
        expect(byChannel).toHaveLength(7);
        expect(byMonth).toHaveLength(12);
        if (caller === "admin") expect(Number(total.amount)).toBeGreaterThan(0); // not an all-zero workbook
      }
      for (const indicator of indicators) {
        const rows = sheets.get(indicator.title)!;
        expect(rows[0]!.map((c) => c.value)).toEqual(expect.arrayContaining(["县市代码", "县市", "覆盖率（%）", "目标（%）", "是否达标"]));
        const expected = [
          ...indicator.byCounty.map((c: any) => ({ code: c.county.code, name: c.county.name, ...c })),
          { code: params.get("countyCode") ?? "433100", name: "合计", ...indicator },
        ];
        expect(rows.slice(1).map((r) => [r[0]!.value, r[1]!.value, r[2]!.value, r[3]!.value, r[6]!.value])).toEqual(
          expected.map((e) => [e.code, e.name, e.numerator, e.denominator, e.met ? "是" : "否"]),
        );
        rows.slice(1).forEach((row, i) => {
          expect(row[4]!.type).toBe(ExcelJS.ValueType.Number);
          expect(row[4]!.numFmt).toBe("0.00");
          expect(row[4]!.value).toBeCloseTo(expected[i].rate * 100, 10);
          expect(row[5]!.value).toBeCloseTo(indicator.target * 100, 10);
        });
      }
    }
  });
});

const ORDERS = `query ($after: String, $year: Int) { orders(first: 100, after: $after, filter: {year: $year}) {
  pageInfo { hasNextPage endCursor }
  nodes { id createdAt year budgetUnit { code name } product { catalogNo name } quantity unitPrice amount status channel shippedAt deliveredAt cancelledAt } } }`;
const statusLabel: Record<string, string> = { RESERVED: "已预订", SHIPPED: "已发货", DELIVERED: "已验收", CANCELLED: "已取消" };

describe("GET /exports/orders.csv", () => {
  it("each caller's orders, newest first, as the orders query answers them (instants in China time)", async () => {
    const seen = new Map<string, number>();
    for (const caller of ["admin", "officer", "otherOfficer", "ownEnterprise", "otherEnterprise", "baojingReviewer", "huayuanReviewer"] as const) {
      const rows = await readCsv(await get(`/exports/orders.csv?year=${year}`, caller));
      expect(rows[0]).toEqual(["订单ID", "下单时间", "年度", "预算单位编码", "预算单位名称", "目录编号", "产品名称", "数量", "单价（元）", "金额（元）", "状态", "渠道", "发货时间", "验收时间", "取消时间"]);
      const nodes = await allNodes("orders", ORDERS, { year }, caller);
      const instant = (text: string) => (text === "" ? null : new Date(text).toISOString());
      for (const row of rows.slice(1)) for (const i of [1, 12, 13, 14]) if (row[i]) expect(row[i]).toMatch(/\+08:00$/);
      expect(rows.slice(1).map((r) => [r[0], instant(r[1]!), Number(r[2]), r[3], r[4], r[5], r[6], Number(r[7]), r[8], r[9], r[10], r[11], instant(r[12]!), instant(r[13]!), instant(r[14]!)])).toEqual(
        nodes.map((o) => [o.id, o.createdAt, o.year, o.budgetUnit.code, o.budgetUnit.name, o.product.catalogNo, o.product.name, o.quantity, o.unitPrice, o.amount,
          statusLabel[o.status], o.channel === "CANTEEN" ? "食堂采购" : "工会以购代捐", o.shippedAt, o.deliveredAt, o.cancelledAt]),
      );
      seen.set(caller, nodes.length);
    }
    // The scopes differ: the admin sees all six, the officer its unit's two, the other county's reviewer and enterprise none.
    expect(seen.get("admin")).toBe(6);
    expect(seen.get("officer")).toBe(2);
    expect(seen.get("ownEnterprise")).toBe(6);
    expect(seen.get("otherEnterprise")).toBe(0);
    expect(seen.get("baojingReviewer")).toBe(0);
  });
});

/** What GraphQL answers each caller for the export's equivalent: null (data) or the error code. */
const equivalents: Record<string, string> = {
  "/exports/catalog.csv": `{ catalog(first: 1) { totalCount } }`,
  "/exports/catalog.xlsx": `{ catalog(first: 1) { totalCount } }`,
  "/exports/consumption-progress.csv": `{ consumptionProgress(year: ${year}) { totals { reservedAmount } } }`,
  "/exports/consumption-progress.xlsx": `{ consumptionProgress(year: ${year}) { totals { reservedAmount } } }`,
  "/exports/indicators.xlsx": `{ pairingCoverage { rate } }`,
  "/exports/orders.csv": `{ orders(first: 1) { totalCount } }`,
};
const statusOf: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403 };

describe("authorization: every export, every kind of caller, as its GraphQL equivalent", () => {
  const callers = [
    "anonymous", "partner", "ownEnterprise", "otherEnterprise", "huayuanReviewer", "baojingReviewer", "prefectureReviewer", "officer", "otherOfficer", "admin",
  ] as const satisfies readonly CallerName[];
  const everyone = (status: number) => Object.fromEntries(callers.map((c) => [c, status])) as Record<(typeof callers)[number], number>;
  const expected: Record<string, Record<(typeof callers)[number], number>> = {
    catalog: everyone(200),
    "consumption-progress": { ...everyone(200), anonymous: 401, partner: 401, ownEnterprise: 403, otherEnterprise: 403 },
    indicators: { ...everyone(200), anonymous: 401, partner: 401 },
    orders: { ...everyone(200), anonymous: 401, partner: 401 },
  };

  it("answers 200, 401 or 403 exactly when GraphQL answers data, UNAUTHENTICATED or FORBIDDEN", async () => {
    for (const [path, query] of Object.entries(equivalents)) {
      const name = path.slice("/exports/".length).replace(/\.(csv|xlsx)$/, "");
      for (const caller of callers) {
        const response = await get(path, caller);
        const graphql = await gql(query, {}, caller);
        const code: string | undefined = graphql.errors?.[0]?.extensions?.code;
        expect({ path, caller, status: response.status }).toEqual({ path, caller, status: code ? statusOf[code] : 200 });
        expect({ path, caller, status: response.status }).toEqual({ path, caller, status: expected[name]![caller] });
        if (response.status !== 200) {
          expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
          expect(response.headers.get("content-disposition")).toBeNull();
          const body = (await response.json()) as any;
          expect(body.errors[0].extensions.code).toBe(code);
          if (response.status === 401) expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
        } else {
          expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="[A-Za-z0-9._-]+"; filename\*=UTF-8''/);
          expect(response.headers.get("cache-control")).toBe("no-store");
          await response.arrayBuffer();
        }
      }
    }
  });

  it("refuses a bad bearer token or API key with 401, as /graphql does", async () => {
    for (const credentials of [{ authorization: "Bearer not-a-token" }, { apiKey: "fp_live_not-a-key" }, { authorization: "Basic abc" }]) {
      const response = await get("/exports/catalog.csv", credentials);
      expect(response.status).toBe(401);
      expect(((await response.json()) as any).errors[0].extensions.code).toBe("UNAUTHENTICATED");
    }
  });
});

describe("bad parameters: 400 with a clear message naming the parameter, no stack", () => {
  const cases: [path: string, argument: string, message: RegExp][] = [
    ["/exports/consumption-progress.csv?year=abc", "year", /year.*2020/],
    ["/exports/consumption-progress.xlsx?year=1999", "year", /2015/],
    ["/exports/orders.csv?year=2020.5", "year", /year/],
    ["/exports/catalog.csv?countyCode=999999", "countyCode", /999999 is not a county/],
    ["/exports/catalog.xlsx?countyCode=433124103201", "countyCode", /6-digit/],
    ["/exports/indicators.xlsx?asOf=2020-02-30", "asOf", /calendar date/],
    ["/exports/indicators.xlsx?asOf=yesterday", "asOf", /YYYY-MM-DD/],
    ["/exports/indicators.xlsx?countyCode=433101001", "countyCode", /6-digit/],
    ["/exports/consumption-progress.csv?level=town", "level", /unit, supervising, county/],
    ["/exports/consumption-progress.xlsx?level=unit", "level", /Unknown parameter/],
    ["/exports/catalog.csv?county=433124", "county", /Unknown parameter `county`.*`batch`, `countyCode`/],
    ["/exports/orders.csv?year=2020&year=2021", "year", /more than once/],
    [`/exports/catalog.csv?batch=${"批".repeat(51)}`, "batch", /50 characters/],
  ];

  it.each(cases)("%s", async (path, argument, message) => {
    const response = await get(path, "admin");
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+|select |postgres/i);
    const body = JSON.parse(text);
    expect(body.errors[0].extensions).toEqual({ code: "BAD_USER_INPUT", argument });
    expect(body.errors[0].message).toMatch(message);
  });

  it("an unknown export is 404 naming the exports; a POST is 405", async () => {
    const missing = await get("/exports/households.csv", "admin");
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as any).errors[0].message).toContain("/exports/orders.csv");
    expect((await get("/exports/orders.xlsx", "admin")).status).toBe(404);
    const post = await get("/exports/orders.csv", "admin", { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET");
  });

  it("checks the caller before the parameters, as the GraphQL layer does", async () => {
    const response = await get("/exports/consumption-progress.csv?year=abc", "anonymous");
    expect(response.status).toBe(401);
  });
});

describe("logs", () => {
  it("one line per export: route, status and row count; no parameters, credentials or names", async () => {
    const before = logs.lines().length;
    await (await get(`/exports/orders.csv?year=${year}`, "officer")).arrayBuffer();
    await (await get(`/exports/catalog.csv?batch=${encodeURIComponent(BATCH)}`, "partner")).arrayBuffer();
    await (await get(`/exports/indicators.xlsx?asOf=2020-02-30`, "admin")).arrayBuffer();
    const lines = logs.lines().slice(before);
    const exportLines = lines.filter((l) => l.msg === "export request");
    expect(exportLines.map((l) => [l.route, l.status, l.rows])).toEqual([
      ["/exports/orders.csv", 200, 2],
      ["/exports/catalog.csv", 200, 101],
      ["/exports/indicators.xlsx", 400, 0],
    ]);
    const text = JSON.stringify(lines);
    for (const secret of [BATCH, "导出测试产品", "湘西州财政局", "2020-02-30", as("officer").authorization!.slice(7), as("partner").apiKey!]) {
      expect(text).not.toContain(secret);
    }
  });
});
