import { sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { budgetUnitSeeds } from "../seeds/budget-units.js";
import { businessToday, businessYear } from "../src/clock.js";
import { toGlobalId } from "../src/graphql/global-id.js";
import { type Credentials, errorCodes, useTestApi } from "./support/api.js";
import { demoRows } from "./support/catalog-expectations.js";

const setup = useTestApi();
const year = businessYear();
const today = businessToday();
const month = (day: string) => day.slice(0, 7);

/** Demo products listed for more than a year (so every day of this year is in their listing). */
const demoProduct = (name: string, unitPrice: string) => demoRows.products.find((p) => p.name === name && p.unitPrice === unitPrice)!;
const guzhangTea = demoProduct("古丈毛尖", "168.00"); //     古丈县 TEA 168.00
const shibadongKiwi = demoProduct("十八洞猕猴桃", "88.00"); // 花垣县 FRUIT 88.00
const baojingTea = demoProduct("保靖黄金茶", "168.00"); //    保靖县 TEA 168.00

const REPORT = `mutation ($input: ReportSalesInput!) { reportSales(input: $input) {
  salesReport { id idempotencyKey status lineCount totalAmount reporterName corrects { id } supersededBy { id } } replayed
  userErrors { field message code } } }`;

const SALES = `query ($year: Int!, $county: String) { consumptionSales(year: $year, countyCode: $county) {
  year countyCode total { amount records }
  byChannel { key label amount records } byOriginCounty { key label amount records county { code name } }
  byCategory { key label amount records } byEnterprise { enterprise { name } amount records } byMonth { key amount records } } }`;

const RECORDS = `query ($filter: ConsumptionSalesRecordFilter!, $after: String) { consumptionSalesRecords(filter: $filter, first: 100, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  nodes { source recordId lineNo channel product { catalogNo } quantity amount soldOn } } }`;

let partner: Credentials;
let keyCounter = 0;
const freshKey = () => `报送-${Date.now().toString(36)}-${keyCounter++}`;
const line = (product: { catalogNo?: string | null }, quantity: number, amount: string, channel: string, soldOn = today, buyerRegion?: string) => ({
  catalogNo: product.catalogNo!,
  quantity,
  amount,
  soldOn,
  channel,
  ...(buyerRegion ? { buyerRegion } : {}),
});

async function report(lines: unknown[], credentials: Credentials, extra: Record<string, unknown> = {}) {
  const result = await setup.api.run(REPORT, { input: { idempotencyKey: freshKey(), lines, ...extra } }, credentials);
  return result;
}

async function sales(county?: string) {
  const result = await setup.api.run(SALES, { year, county }, setup.callers.credentials.prefectureReviewer);
  expect(result.errors).toBeUndefined();
  return result.data.consumptionSales;
}

async function reportCount(): Promise<number> {
  const [row] = await setup.database.rows<{ n: number }>(sql`select count(*)::int as n from sales_reports`);
  return Number(row!.n);
}

describe("consumptionSales: every channel, counted by hand (古丈县)", () => {
  it("adds budget units' deliveries, trade-union purchases, partners' lines and fairs, by channel, county, category, enterprise and month", async () => {
    const { callers } = setup;
    const { services } = setup.api;
    const { secret } = await services.apiKeys.createApiKey(callers.admin, { name: "销售报送", partnerName: "扶贫832平台", scopes: ["CATALOG_READ", "SALES_REPORT"] });
    partner = { apiKey: secret };

    // Budget units: 10 × 168.00 canteen and 5 × 168.00 trade union delivered today; 3 reserved only (not a sale).
    const school = budgetUnitSeeds.find((u) => u.code === "JS-001-01")!;
    await services.quotas.declare(callers.admin, { budgetUnitId: school.id, year, canteenFoodTotal: "100000.00", reservedAmount: "20000.00", noCanteen: false });
    const order = async (quantity: number, channel: "CANTEEN" | "TRADE_UNION", deliver: boolean) => {
      const { order } = await services.orders.reserve(callers.admin, { budgetUnitId: school.id, productId: guzhangTea.id!, quantity, idempotencyKey: freshKey(), channel });
      if (!deliver) return;
      await services.orders.ship(callers.admin, order.id);
      await services.orders.confirmDelivery(callers.admin, order.id);
    };
    await order(10, "CANTEEN", true); //      1,680.00
    await order(5, "TRADE_UNION", true); //     840.00
    await order(3, "CANTEEN", false); //        not delivered: not counted

    // A partner: 20 × 168 on 1 January (3,360.00), 2 × 168 to 济南市 today at 330.00 (within 30 % of 336.00),
    // and 10 × 88 of 花垣县 (880.00, not 古丈县's).
    const first = await report(
      [
        line(guzhangTea, 20, "3360.00", "E_COMMERCE", `${year}-01-01`),
        line(guzhangTea, 2, "330.00", "EAST_WEST_COOPERATION", today, "济南市"),
        line(shibadongKiwi, 10, "880.00", "PAIRED_ASSISTANCE"),
      ],
      partner,
    );
    expect(first.errors).toBeUndefined();
    expect(first.data.reportSales.userErrors).toEqual([]);
    expect(first.data.reportSales.salesReport).toMatchObject({ status: "ACTIVE", lineCount: 3, totalAmount: "4570.00", reporterName: "扶贫832平台" });
    // The 花垣县 office: a fair, 4 × 88 = 352.00.
    const fair = await report([line(shibadongKiwi, 4, "352.00", "FAIR")], callers.credentials.huayuanReviewer);
    expect(fair.data.reportSales.userErrors).toEqual([]);

    const guzhang = await sales("433126");
    expect(guzhang.total).toEqual({ amount: "6210.00", records: 4 });
    expect(Object.fromEntries(guzhang.byChannel.map((r: any) => [r.key, [r.amount, r.records]]))).toEqual({
      CANTEEN: ["1680.00", 1],
      TRADE_UNION: ["840.00", 1],
      E_COMMERCE: ["3360.00", 1],
      EAST_WEST_COOPERATION: ["330.00", 1],
      PAIRED_ASSISTANCE: ["0.00", 0],
      FAIR: ["0.00", 0],
      OTHER: ["0.00", 0],
    });
    expect(guzhang.byChannel.find((r: any) => r.key === "TRADE_UNION").label).toBe("工会以购代捐");
    expect(guzhang.byOriginCounty).toEqual([{ key: "433126", label: "古丈县", amount: "6210.00", records: 4, county: { code: "433126", name: "古丈县" } }]);
    // Every category of ProductCategory, in its declared order, 0 where nothing was sold: 古丈县 sold only tea.
    const CATEGORIES = ["TEA", "FRUIT", "VEGETABLE", "GRAIN_OIL", "MEAT_POULTRY_EGG", "AQUATIC", "HERBAL", "PROCESSED_FOOD", "HANDICRAFT", "OTHER"];
    const categoryRows = (sold: Record<string, [string, number]>) =>
      CATEGORIES.map((key) => ({ key, label: expect.any(String), amount: sold[key]?.[0] ?? "0.00", records: sold[key]?.[1] ?? 0 }));
    expect(guzhang.byCategory).toEqual(categoryRows({ TEA: ["6210.00", 4] }));
    expect(guzhang.byCategory.find((r: any) => r.key === "HANDICRAFT").label).toBe("手工艺品");
    expect(guzhang.byEnterprise).toEqual([{ enterprise: { name: "古丈毛尖茶业有限公司" }, amount: "6210.00", records: 4 }]);
    expect(guzhang.byMonth).toHaveLength(12);
    expect(guzhang.byMonth.map((m: any) => m.key)).toEqual(Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, "0")}`));
    const expectedMonths = new Map<string, [number, number]>();
    for (const [day, fen, n] of [[today, 168000 + 84000 + 33000, 3], [`${year}-01-01`, 336000, 1]] as const) {
      const [f, c] = expectedMonths.get(month(day)) ?? [0, 0];
      expectedMonths.set(month(day), [f + fen, c + n]);
    }
    for (const m of guzhang.byMonth) {
      const [fen, n] = expectedMonths.get(m.key) ?? [0, 0];
      expect([m.amount, m.records]).toEqual([(fen / 100).toFixed(2), n]);
    }

    // The prefecture: 古丈县's 6,210.00 and 花垣县's 880.00 + 352.00.
    const all = await sales();
    expect(all.total).toEqual({ amount: "7442.00", records: 6 });
    expect(all.byOriginCounty).toHaveLength(8);
    expect(all.byOriginCounty.find((r: any) => r.key === "433124")).toMatchObject({ amount: "1232.00", records: 2 });
    expect(all.byOriginCounty.find((r: any) => r.key === "433101")).toMatchObject({ amount: "0.00", records: 0 });
    expect(all.byChannel.find((r: any) => r.key === "FAIR")).toMatchObject({ amount: "352.00", records: 1 });
    expect(all.byEnterprise.map((r: any) => r.amount)).toEqual(["6210.00", "1232.00"]);
    // Tea 6,210.00 (4 records), fruit 880.00 + 352.00 (2); the eight other categories at 0, summing to the total.
    expect(all.byCategory).toEqual(categoryRows({ TEA: ["6210.00", 4], FRUIT: ["1232.00", 2] }));
    expect(all.byCategory.reduce((n: number, r: any) => n + r.records, 0)).toBe(all.total.records);
  });

  it("lists the records behind each figure: orders by their ID, report lines by report and index", async () => {
    const { api, callers } = setup;
    const result = await api.run(RECORDS, { filter: { year, countyCode: "433126" } }, callers.credentials.admin);
    expect(result.errors).toBeUndefined();
    const records = result.data.consumptionSalesRecords;
    expect(records.totalCount).toBe(4);
    expect(records.nodes[0]).toMatchObject({ source: "SALES_REPORT", lineNo: 0, channel: "E_COMMERCE", quantity: 20, amount: "3360.00", soldOn: `${year}-01-01`, product: { catalogNo: guzhangTea.catalogNo } });
    expect(records.nodes.filter((r: any) => r.source === "ORDER").map((r: any) => [r.channel, r.amount]).sort()).toEqual([["CANTEEN", "1680.00"], ["TRADE_UNION", "840.00"]]);
    const order = records.nodes.find((r: any) => r.source === "ORDER");
    const viaNode = await api.run(`query ($id: ID!) { node(id: $id) { ... on Order { amount status } } }`, { id: order.recordId }, callers.credentials.admin);
    expect(viaNode.data.node).toEqual({ amount: order.amount, status: "DELIVERED" });
    const fairs = await api.run(RECORDS, { filter: { year, channel: "FAIR" } }, callers.credentials.admin);
    expect(fairs.data.consumptionSalesRecords.nodes.map((r: any) => [r.amount, r.product.catalogNo])).toEqual([["352.00", shibadongKiwi.catalogNo]]);
    // Paging: one at a time, the same four in the same order.
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: any = await api.run(RECORDS.replace("first: 100", "first: 1"), { filter: { year, countyCode: "433126" }, after }, callers.credentials.admin);
      seen.push(...page.data.consumptionSalesRecords.nodes.map((r: any) => `${r.recordId}/${r.lineNo}`));
      after = page.data.consumptionSalesRecords.pageInfo.hasNextPage ? page.data.consumptionSalesRecords.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(records.nodes.map((r: any) => `${r.recordId}/${r.lineNo}`));
  });
});

describe("consumptionSales: each figure is the sum of the records its filter lists", () => {
  it("by channel, origin county, category, enterprise and month, for the prefecture and a county", async () => {
    const { api, callers } = setup;
    const FIGURES = `query ($year: Int!, $county: String) { consumptionSales(year: $year, countyCode: $county) { total { amount records }
      byChannel { key amount records } byOriginCounty { key amount records } byCategory { key amount records }
      byEnterprise { enterprise { id } amount records } byMonth { key amount records } } }`;
    const listed = async (filter: Record<string, unknown>) => {
      const nodes: { amount: string }[] = [];
      let after: string | null = null;
      let totalCount = 0;
      do {
        const page: any = await api.run(RECORDS, { filter: { year, ...filter }, after }, callers.credentials.admin);
        expect(page.errors).toBeUndefined();
        nodes.push(...page.data.consumptionSalesRecords.nodes);
        totalCount = page.data.consumptionSalesRecords.totalCount;
        after = page.data.consumptionSalesRecords.pageInfo.hasNextPage ? page.data.consumptionSalesRecords.pageInfo.endCursor : null;
      } while (after);
      expect(nodes).toHaveLength(totalCount);
      const fen = nodes.reduce((sum, n) => sum + BigInt(n.amount.replace(".", "")), 0n);
      return { amount: `${fen / 100n}.${String(fen % 100n).padStart(2, "0")}`, records: totalCount };
    };
    for (const county of [undefined, "433126"]) {
      const result = await api.run(FIGURES, { year, county }, callers.credentials.admin);
      expect(result.errors).toBeUndefined();
      const f = result.data.consumptionSales;
      const scope = county ? { countyCode: county } : {};
      expect(await listed(scope)).toEqual(f.total);
      const checks: [Record<string, unknown>, { amount: string; records: number }][] = [
        ...f.byChannel.map((r: any) => [{ channel: r.key }, r]),
        ...f.byOriginCounty.map((r: any) => [{ countyCode: r.key }, r]),
        ...f.byCategory.map((r: any) => [{ category: r.key }, r]),
        ...f.byEnterprise.map((r: any) => [{ enterpriseId: r.enterprise.id }, r]),
        ...f.byMonth.map((r: any) => [{ month: Number(r.key.slice(5, 7)) }, r]),
      ];
      for (const [filter, figure] of checks) {
        expect(await listed({ ...scope, ...filter }), JSON.stringify(filter)).toEqual({ amount: figure.amount, records: figure.records });
      }
    }
  });
});

describe("reportSales: idempotent, correctable, audited", () => {
  it("returns the same report for the same key, and refuses the key for different lines", async () => {
    const input = { idempotencyKey: freshKey(), lines: [line(baojingTea, 1, "168.00", "E_COMMERCE")] };
    const first = await setup.api.run(REPORT, { input }, partner);
    const again = await setup.api.run(REPORT, { input }, partner);
    expect(first.data.reportSales.replayed).toBe(false);
    expect(again.data.reportSales).toMatchObject({ replayed: true, userErrors: [], salesReport: { id: first.data.reportSales.salesReport.id } });
    const before = await sales("433125");
    const other = await setup.api.run(REPORT, { input: { ...input, lines: [line(baojingTea, 2, "336.00", "E_COMMERCE")] } }, partner);
    expect(other.data.reportSales.userErrors).toEqual([expect.objectContaining({ code: "IDEMPOTENCY_CONFLICT", field: ["input", "idempotencyKey"] })]);
    expect(await sales("433125")).toEqual(before);
    expect(before.total).toEqual({ amount: "168.00", records: 1 });
  });

  it("a correction replaces the earlier report whole; it corrects once, and only the reporter's own", async () => {
    const { api, callers } = setup;
    const baseline = (await sales("433125")).total;
    const wrong = await report([line(baojingTea, 10, "1680.00", "FAIR"), line(baojingTea, 1, "168.00", "OTHER")], partner);
    const wrongId = wrong.data.reportSales.salesReport.id;
    expect((await sales("433125")).total.amount).toBe((Number(baseline.amount) + 1848).toFixed(2));
    const fixed = await report([line(baojingTea, 5, "840.00", "FAIR")], partner, { corrects: wrongId });
    expect(fixed.data.reportSales.userErrors).toEqual([]);
    expect(fixed.data.reportSales.salesReport).toMatchObject({ status: "ACTIVE", corrects: { id: wrongId } });
    const old = await api.run(`query ($id: ID!) { node(id: $id) { ... on SalesReport { status supersededBy { id } } } }`, { id: wrongId }, partner);
    expect(old.data.node).toEqual({ status: "SUPERSEDED", supersededBy: { id: fixed.data.reportSales.salesReport.id } });
    const after = await sales("433125");
    expect(after.total).toEqual({ amount: (Number(baseline.amount) + 840).toFixed(2), records: baseline.records + 1 });
    // Its lines are still listed under the report (for the record), but count nowhere.
    const lines = await api.run(RECORDS, { filter: { year, salesReportId: wrongId } }, callers.credentials.admin);
    expect(lines.data.consumptionSalesRecords.totalCount).toBe(2);

    const twice = await report([line(baojingTea, 6, "1008.00", "FAIR")], partner, { corrects: wrongId });
    expect(twice.data.reportSales.userErrors).toEqual([expect.objectContaining({ code: "INVALID_TRANSITION", field: ["input", "corrects"] })]);
    const byOffice = await report([line(shibadongKiwi, 1, "88.00", "FAIR")], callers.credentials.huayuanReviewer, { corrects: fixed.data.reportSales.salesReport.id });
    expect(byOffice.data.reportSales.userErrors).toEqual([expect.objectContaining({ code: "NOT_FOUND", field: ["input", "corrects"] })]);
    expect((await sales("433125")).total).toEqual(after.total);

    // A correction with no lines withdraws the report.
    const withdrawn = await report([], partner, { corrects: fixed.data.reportSales.salesReport.id });
    expect(withdrawn.data.reportSales.salesReport).toMatchObject({ lineCount: 0, totalAmount: "0.00" });
    expect((await sales("433125")).total).toEqual(baseline);

    const audit = await api.run(
      `query ($id: ID!) { auditLog(filter: {entityId: $id}, first: 10) { nodes { operation changes } } }`,
      { id: wrongId },
      callers.credentials.admin,
    );
    expect(audit.errors).toBeUndefined();
    const operations = audit.data.auditLog.nodes.map((n: any) => n.operation);
    expect(operations).toEqual(["reportSales", "reportSales"]);
  });

  it("takes 10,000 lines in one report with a handful of statements", async () => {
    const lines = Array.from({ length: 10_000 }, (_, i) => line(i % 2 ? guzhangTea : baojingTea, 1 + (i % 3), (168 * (1 + (i % 3))).toFixed(2), "E_COMMERCE", `${year}-01-01`));
    const count = await reportCount();
    const result = await report(lines, partner);
    expect(result.errors).toBeUndefined();
    expect(result.data.reportSales.userErrors).toEqual([]);
    expect(result.data.reportSales.salesReport.lineCount).toBe(10_000);
    const expected = lines.reduce((sum, l) => sum + Number(l.amount) * 100, 0);
    expect(result.data.reportSales.salesReport.totalAmount).toBe((expected / 100).toFixed(2));
    expect(result.statements).toBeLessThan(15);
    expect(await reportCount()).toBe(count + 1);
    // Over the limit: refused whole.
    const tooMany = await report([...lines, line(guzhangTea, 1, "168.00", "E_COMMERCE")], partner);
    expect(tooMany.data.reportSales.userErrors).toEqual([expect.objectContaining({ code: "INVALID", field: ["input", "lines"] })]);
  }, 60_000);
});

describe("reportSales: every bad line is named, and nothing changes", () => {
  it("reports each line's problems by index, all at once", async () => {
    const count = await reportCount();
    const before = await sales();
    const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const result = await report(
      [
        line(guzhangTea, 1, "168.00", "E_COMMERCE"), //                    0: fine
        line(guzhangTea, 1, "168.00", "E_COMMERCE", tomorrow), //          1: the future (China time)
        { ...line(guzhangTea, 1, "168.00", "E_COMMERCE"), catalogNo: "433126-2020-999999" }, // 2: no such product
        line(guzhangTea, 10, "100.00", "E_COMMERCE"), //                   3: 100.00 for 1,680.00 worth
        { ...line(guzhangTea, 1, "168.00", "E_COMMERCE"), catalogNo: " " }, // 4: no catalog number at all
        line(guzhangTea, 1, "168.00", "E_COMMERCE", "2015-01-01"), //      5: before its listing
        line(guzhangTea, 0, "0.00", "E_COMMERCE"), //                      6: zero quantity and amount
        line(guzhangTea, 1, "-168.00", "E_COMMERCE"), //                   7: negative
      ],
      partner,
    );
    expect(result.errors).toBeUndefined();
    const errors = result.data.reportSales.userErrors.map((e: any) => [e.field.join("."), e.code]);
    // Format problems are found first, at the edge (lines 4, 6, 7); the others need the catalog (below).
    expect(errors).toEqual([
      ["input.lines.4.catalogNo", "INVALID"],
      ["input.lines.6.quantity", "INVALID"],
      ["input.lines.6.amount", "INVALID"],
      ["input.lines.7.amount", "INVALID"],
    ]);
    // Three decimals is no Decimal at all: the whole request is refused before any resolver runs.
    expect(errorCodes(await report([line(guzhangTea, 1, "168.005", "E_COMMERCE")], partner))).toEqual(["BAD_USER_INPUT"]);
    const catalogProblems = await report(
      [
        line(guzhangTea, 1, "168.00", "E_COMMERCE"),
        line(guzhangTea, 1, "168.00", "E_COMMERCE", tomorrow),
        { ...line(guzhangTea, 1, "168.00", "E_COMMERCE"), catalogNo: "433126-2020-999999" },
        line(guzhangTea, 10, "100.00", "E_COMMERCE"),
        line(guzhangTea, 1, "168.00", "E_COMMERCE", "2015-01-01"),
        line(guzhangTea, 10, "2184.01", "E_COMMERCE"), // 1,680.00 × 1.3 = 2,184.00: one fen over
        line(guzhangTea, 10, "2184.00", "E_COMMERCE"), // exactly at the edge: fine
      ],
      partner,
    );
    expect(catalogProblems.data.reportSales.userErrors.map((e: any) => [e.field.join("."), e.code])).toEqual([
      ["input.lines.1.soldOn", "INVALID"],
      ["input.lines.2.catalogNo", "NOT_FOUND"],
      ["input.lines.3.amount", "INVALID"],
      ["input.lines.4.soldOn", "NOT_CERTIFIED"],
      ["input.lines.5.amount", "INVALID"],
    ]);
    expect(catalogProblems.data.reportSales.salesReport).toBeNull();
    expect(await reportCount()).toBe(count);
    expect(await sales()).toEqual(before);
  });
});

describe("reportSales: the future is China time's", () => {
  it("at 17:30 UTC (01:30 in Beijing the next day), a sale of Beijing's today counts and one of its tomorrow is refused", async () => {
    const utcDay = new Date().toISOString().slice(0, 10);
    const next = (day: string, n = 1) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
    vi.useFakeTimers({ toFake: ["Date"], now: new Date(`${utcDay}T17:30:00Z`) });
    try {
      expect(businessToday()).toBe(next(utcDay));
      const result = await report([line(guzhangTea, 1, "168.00", "E_COMMERCE", next(utcDay)), line(guzhangTea, 1, "168.00", "E_COMMERCE", next(utcDay, 2))], partner);
      expect(result.data.reportSales.userErrors).toEqual([
        expect.objectContaining({ field: ["input", "lines", "1", "soldOn"], code: "INVALID", message: `lines.1.soldOn: is in the future (today is ${next(utcDay)}, China time)` }),
      ]);
      const taken = await report([line(guzhangTea, 1, "168.00", "E_COMMERCE", next(utcDay))], partner);
      expect(taken.data.reportSales.userErrors).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("reportSales: an amount is plausible at the price of its day", () => {
  it("after a price change, a sale is checked against the prices of its day (and today's)", async () => {
    const { callers } = setup;
    const { services } = setup.api;
    // 永顺莓茶, certified at 138.00, listed for more than a year; its enterprise moves the price to 165.60
    // (within 20 % of the certified price). Band 30 %: 138.00 → 96.60–179.40; 165.60 → 115.92–215.28.
    const tea = demoProduct("永顺莓茶", "138.00");
    const daysAgo = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
    const [{ version }] = await setup.database.rows<{ version: number }>(sql`select version from products where id = ${tea.id}::uuid`);
    await services.products.updateProduct(callers.admin, tea.id!, Number(version), { unitPrice: "165.60" });
    // On the day of the change the product had both prices.
    const sameDay = await report([line(tea, 1, "100.00", "E_COMMERCE"), line(tea, 1, "215.28", "E_COMMERCE")], partner);
    expect(sameDay.data.reportSales.userErrors).toEqual([]);
    // The change as if made two days ago (its event's instant moved back 48 hours).
    await setup.database.rows(sql`update certification_events set at = at - interval '2 days' where product_id = ${tea.id}::uuid and kind = 'PRICE_CHANGED'`);
    const count = await reportCount();
    const refused = await report(
      [
        line(tea, 1, "100.00", "E_COMMERCE", daysAgo(3)), //  0: 138.00 then: fine
        line(tea, 1, "100.00", "E_COMMERCE", daysAgo(1)), //  1: 165.60 since the change, and today: under its band
        line(tea, 1, "100.00", "E_COMMERCE", daysAgo(2)), //  2: the day of the change had both prices: fine
        line(tea, 1, "215.28", "E_COMMERCE", daysAgo(1)), //  3: the top of 165.60's band: fine
        line(tea, 1, "215.29", "E_COMMERCE", daysAgo(3)), //  4: one fen over both
        line(tea, 1, "96.59", "E_COMMERCE", daysAgo(3)), //   5: one fen under 138.00's band
      ],
      partner,
    );
    expect(refused.errors).toBeUndefined();
    expect(refused.data.reportSales.userErrors.map((e: any) => [e.field.join("."), e.code])).toEqual([
      ["input.lines.1.amount", "INVALID"],
      ["input.lines.4.amount", "INVALID"],
      ["input.lines.5.amount", "INVALID"],
    ]);
    expect(refused.data.reportSales.userErrors[0].message).toContain("(1 × 165.60 = 165.60)");
    expect(refused.data.reportSales.userErrors[1].message).toContain("(1 × 165.60 = 165.60; 1 × 138.00 = 138.00)");
    expect(await reportCount()).toBe(count);
    const taken = await report([line(tea, 1, "100.00", "E_COMMERCE", daysAgo(3)), line(tea, 2, "331.20", "E_COMMERCE", daysAgo(1))], partner);
    expect(taken.data.reportSales.userErrors).toEqual([]);
    expect(taken.data.reportSales.salesReport).toMatchObject({ lineCount: 2, totalAmount: "431.20" });
  });
});

describe("reportSales: the listing in force on the day sold", () => {
  it("a sale of before a product's re-listing counts in the listing it was in then; a day it was out of the catalog does not", async () => {
    const { api, callers } = setup;
    // 十八洞野生蕨菜 (花垣县), listed on validFrom; today its name changes (a certified field: back to SUBMITTED),
    // and it is certified and listed again — a new entry from today. Its sales of before still count.
    const fern = demoProduct("十八洞野生蕨菜", "29.90");
    const id = toGlobalId("Product", fern.id!);
    const daysAgo = (n: number) => new Date(Date.parse(`${today}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
    const ok = async (query: string, variables: Record<string, unknown>, credentials: Credentials) => {
      const result = await api.run(query, variables, credentials);
      expect(result.errors).toBeUndefined();
      expect(Object.values(result.data as Record<string, { userErrors: unknown[] }>)[0]!.userErrors).toEqual([]);
    };
    const [{ version }] = await setup.database.rows<{ version: number }>(sql`select version from products where id = ${fern.id}::uuid`);
    await ok(`mutation ($input: UpdateProductInput!) { updateProduct(input: $input) { userErrors { code } } }`, { input: { productId: id, expectedVersion: Number(version), name: "十八洞野生蕨菜·特级" } }, callers.credentials.admin);
    const sale = (soldOn: string) => line(fern, 2, "59.80", "PAIRED_ASSISTANCE", soldOn);
    // Out of the catalog today (SUBMITTED since this morning): today's sale is refused, yesterday's counts.
    const between = await report([sale(today), sale(daysAgo(1))], partner);
    expect(between.data.reportSales.userErrors.map((e: any) => [e.field.join("."), e.code])).toEqual([["input.lines.0.soldOn", "NOT_CERTIFIED"]]);
    await ok(`mutation ($id: ID!) { reviewProduct(input: {productId: $id, decision: APPROVE}) { userErrors { code } } }`, { id }, callers.credentials.huayuanReviewer);
    await ok(`mutation ($id: ID!) { listProducts(input: {productIds: [$id], batch: "重新入录"}) { userErrors { code } } }`, { id }, callers.credentials.prefectureReviewer);
    const [entry] = await setup.database.rows<{ valid_from: string }>(sql`select valid_from::text as valid_from from products where id = ${fern.id}::uuid`);
    expect(entry!.valid_from).toBe(today);
    const taken = await report([sale(today), sale(daysAgo(1)), sale(fern.validFrom!)], partner);
    expect(taken.data.reportSales.userErrors).toEqual([]);
    expect(taken.data.reportSales.salesReport).toMatchObject({ lineCount: 3, totalAmount: "179.40" });
    // The day before its first listing it was not in the catalog, then or now.
    const before = await report([sale(new Date(Date.parse(`${fern.validFrom}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10))], partner);
    expect(before.data.reportSales.userErrors.map((e: any) => e.code)).toEqual(["NOT_CERTIFIED"]);
  });
});

describe("reportSales: who may report", () => {
  const one = () => [line(guzhangTea, 1, "168.00", "FAIR")];

  it("a partner key needs the SALES_REPORT scope; anonymous callers and enterprises may not report", async () => {
    const count = await reportCount();
    const { credentials } = setup.callers;
    expect(errorCodes(await report(one(), credentials.partner))).toEqual(["FORBIDDEN"]); // CATALOG_READ only
    expect(errorCodes(await report(one(), credentials.anonymous))).toEqual(["UNAUTHENTICATED"]);
    expect(errorCodes(await report(one(), credentials.ownEnterprise))).toEqual(["FORBIDDEN"]);
    expect(errorCodes(await report(one(), credentials.officer))).toEqual(["FORBIDDEN"]);
    expect(await reportCount()).toBe(count);
  });

  it("an office reports fairs of its own county's products only", async () => {
    const count = await reportCount();
    const { credentials } = setup.callers;
    expect(errorCodes(await report([line(baojingTea, 1, "168.00", "FAIR")], credentials.huayuanReviewer))).toEqual(["FORBIDDEN"]);
    const notFair = await report([line(shibadongKiwi, 1, "88.00", "E_COMMERCE")], credentials.huayuanReviewer);
    expect(notFair.data.reportSales.userErrors).toEqual([expect.objectContaining({ code: "INVALID", field: ["input", "lines", "0", "channel"] })]);
    expect(await reportCount()).toBe(count);
    const prefecture = await report([line(baojingTea, 1, "168.00", "FAIR")], credentials.prefectureReviewer);
    expect(prefecture.data.reportSales.userErrors).toEqual([]);
    expect(await reportCount()).toBe(count + 1);
  });

  it("each reporter sees its own reports; consumptionSales is for admins, offices and officers", async () => {
    const { api, callers } = setup;
    const LIST = `{ salesReports(first: 100) { totalCount nodes { id reporterName } } }`;
    const own = await api.run(LIST, {}, partner);
    expect(own.data.salesReports.nodes.every((r: any) => r.reporterName === "扶贫832平台")).toBe(true);
    const huayuan = await api.run(LIST, {}, callers.credentials.huayuanReviewer);
    expect(huayuan.data.salesReports.nodes.map((r: any) => r.reporterName)).toEqual(["433124"]);
    const all = await api.run(LIST, {}, callers.credentials.admin);
    expect(all.data.salesReports.totalCount).toBe(own.data.salesReports.totalCount + 2);
    const hidden = await api.run(`query ($id: ID!) { node(id: $id) { id } }`, { id: own.data.salesReports.nodes[0].id }, callers.credentials.huayuanReviewer);
    expect(hidden.data.node).toBeNull();
    expect(errorCodes(await api.run(LIST, {}, callers.credentials.ownEnterprise))).toEqual(["FORBIDDEN"]);
    expect(errorCodes(await api.run(SALES, { year }, partner))).toEqual(["UNAUTHENTICATED"]);
    expect(errorCodes(await api.run(SALES, { year }, callers.credentials.ownEnterprise))).toEqual(["FORBIDDEN"]);
    const officer = await api.run(SALES, { year, county: "433126" }, callers.credentials.officer);
    expect(officer.data.consumptionSales.total.records).toBeGreaterThan(0);
    expect(errorCodes(await api.run(SALES, { year, county: "433199" }, callers.credentials.admin))).toEqual(["BAD_USER_INPUT"]);
  });
});
