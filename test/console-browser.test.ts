import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { E } from "../seeds/demo.js";
import { businessToday } from "../src/clock.js";
import { rootFieldOverHttp, useTestServer } from "./support/api.js";
import { gid, productInState } from "./support/fixtures.js";

// The console (/console, issue 14.2) in a real browser: Debian's Chromium driven by playwright-core.
// Tests read the charts' data (each chart element's data-chart, and its ECharts instance), not pixels.
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const hasChromium = existsSync(chromiumPath);
if (!hasChromium) console.log(`console browser test skipped: no Chromium at ${chromiumPath} (apt-get install -y chromium; .ci/run installs it)`);

/** Screenshots of each page, as test output (git-ignored). */
export const screenshotDir = join(import.meta.dirname, "../test-output/console");

/** The flags of issue 14 (headless: true adds --headless): no GPU, no background traffic to Google, no first-run pages. */
export const chromiumArgs = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"];

const PRODUCT_NAME = "十八洞猕猴桃礼盒（控制台测试）";

describe.skipIf(!hasChromium)("the console in Chromium", () => {
  const setup = useTestServer();
  let context: BrowserContext;
  let userDataDir: string;
  const requests: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    const { chromium } = await import("playwright-core");
    userDataDir = mkdtempSync(join(tmpdir(), "console-chromium-"));
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: chromiumPath, headless: true, args: chromiumArgs, viewport: { width: 1440, height: 900 } });
    context.on("request", (request) => void requests.push(request.url()));
    context.on("response", (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    mkdirSync(screenshotDir, { recursive: true });
  });

  afterAll(async () => {
    await context?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  /** A new tab (its own sessionStorage: its own signed-in user), watched for errors. */
  async function newPage(): Promise<Page> {
    const page = await context.newPage();
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    page.on("console", (message) => {
      // CSP refusals and failed loads are console errors.
      if (message.type() === "error") problems.push(`console: ${message.text()}`);
    });
    return page;
  }

  async function signIn(page: Page, username: string, password: string): Promise<void> {
    await page.goto(`${setup.base}/console/`);
    await page.getByLabel("用户名").fill(username);
    await page.getByLabel("密码").fill(password);
    await page.getByRole("button", { name: "登录" }).click();
    await page.locator(`[data-viewer="${username}"]`).waitFor();
  }

  const chartData = async (page: Page, key: string) => {
    const chart = page.locator(`[data-chart-key="${key}"][data-chart]`);
    await chart.waitFor({ state: "attached" });
    return JSON.parse((await chart.getAttribute("data-chart"))!) as { categories: string[]; series: { name: string; data: number[] }[] };
  };

  let prefecture: Page;

  it("shows the prefecture office the pairing chart: one bar per county with the API's rates", async () => {
    // The demo seed has no pairings: 保靖黄金茶 (a provincial leading enterprise) pairs with two of 保靖县's poor villages.
    const villages = await setup.database.rows<{ code: string }>(
      sql`select code from divisions where is_poor_village and level = 'VILLAGE' and code like '433125%' order by code limit 2`,
    );
    expect(villages).toHaveLength(2);
    for (const { code } of villages) {
      await setup.app.services.pairings.create(setup.callers.admin, {
        enterpriseId: E.baojingTea,
        villageCode: code,
        mode: "INDUSTRY",
        startDate: "2020-01-01",
        endDate: null,
        industrialInvestment: "300000.00",
        welfareInvestment: "20000.00",
        jobsProvided: 12,
        peopleTrained: 40,
      });
    }
    // 村级集体经济收入 (issue 15): 夯沙村 (保靖县, poor) above the line this year, 黄金村 below it.
    const year = Number(businessToday().slice(0, 4));
    await setup.app.services.collectiveIncome.record(setup.callers.admin, { villageCode: "433125103201", year, source: "PHOTOVOLTAIC", amount: "52000.00", note: "光伏电站收益" });
    await setup.app.services.collectiveIncome.record(setup.callers.admin, { villageCode: "433125103202", year, source: "RESOURCE_LEASE", amount: "18000.00" });
    prefecture = await newPage();
    await signIn(prefecture, "zhou_reviewer", "xiangxi-zhou-2020");
    expect(new URL(prefecture.url()).pathname).toBe("/console/dashboard");
    await prefecture.locator('.dashboard[data-ready="true"]').waitFor();

    const api = await rootFieldOverHttp<{ byCounty: { county: { name: string }; rate: number }[] }>(
      setup,
      `query ($asOf: Date) { pairingCoverage(asOf: $asOf) { byCounty { county { name } rate } } }`,
      { asOf: businessToday() },
      "prefectureReviewer",
    );
    expect(api.byCounty).toHaveLength(8);
    const pairing = await chartData(prefecture, "pairingCoverage");
    expect(pairing.categories).toEqual(api.byCounty.map((c) => c.county.name));
    expect(pairing.series).toEqual([{ name: "千企帮千村覆盖率", data: api.byCounty.map((c) => c.rate) }]);
    expect(api.byCounty.find((c) => c.county.name === "保靖县")!.rate).toBeGreaterThan(0); // not an all-zero chart
    // The ECharts instance drew the same bars (in %), with the 60 % line.
    const drawn = await prefecture.evaluate(`(() => {
      const option = window.__consoleEcharts.getInstanceByDom(document.querySelector('[data-chart-key="pairingCoverage"]')).getOption();
      return { bars: option.series[0].data, axis: option.xAxis[0].data, line: option.series[0].markLine.data[0].yAxis };
    })()`);
    expect(drawn).toEqual({ bars: api.byCounty.map((c) => Math.round(c.rate * 1000) / 10), axis: api.byCounty.map((c) => c.county.name), line: 60 });

    // Listings expiring within 60 days (issue 14): a list — product, catalog number, enterprise, county, last day — as the API lists them.
    const pipeline = await rootFieldOverHttp<any>(
      setup,
      `query ($asOf: Date) { certificationPipeline(asOf: $asOf) { expiringWithin60Days expiringListings { product { name catalogNo enterprise { name } } county { name } validUntil } } }`,
      { asOf: businessToday() },
      "prefectureReviewer",
    );
    expect(pipeline.expiringWithin60Days).toBeGreaterThan(0); // the demo seed has some
    const expiring = prefecture.locator(`[data-expiring-listings="${pipeline.expiringWithin60Days}"] tbody tr`);
    expect(await expiring.evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent)))).toEqual(
      pipeline.expiringListings.map((l: any) => [l.product.name, l.product.catalogNo, l.product.enterprise.name, l.county.name, l.validUntil]),
    );

    // Plan items 10 and 12 (issue 15), the year of asOf: collective income by county against 100 %, every channel's
    // consumption by channel and by month — each as the API answers, and each downloadable as the indicators workbook.
    await prefecture.locator('.dashboard[data-plan-ready="true"]').waitFor();
    const plan = {
      collectiveIncomeCoverage: await rootFieldOverHttp<any>(setup, `query ($year: Int!) { collectiveIncomeCoverage(year: $year) { byCounty { county { name } rate } } }`, { year }, "prefectureReviewer"),
      consumptionSales: await rootFieldOverHttp<any>(
        setup,
        `query ($year: Int!) { consumptionSales(year: $year) { total { amount } byChannel { label amount } byMonth { key amount } } }`,
        { year },
        "prefectureReviewer",
      ),
    };
    const income = await chartData(prefecture, "collectiveIncomeCoverage");
    expect(income.categories).toEqual(plan.collectiveIncomeCoverage.byCounty.map((c: any) => c.county.name));
    expect(income.series).toEqual([{ name: "集体经济收入5万元以上的贫困村占比", data: plan.collectiveIncomeCoverage.byCounty.map((c: any) => c.rate) }]);
    expect(plan.collectiveIncomeCoverage.byCounty.find((c: any) => c.county.name === "保靖县").rate).toBeGreaterThan(0);
    const incomeDrawn = await prefecture.evaluate(`(() => {
      const option = window.__consoleEcharts.getInstanceByDom(document.querySelector('[data-chart-key="collectiveIncomeCoverage"]')).getOption();
      return { bars: option.series[0].data, line: option.series[0].markLine.data[0].yAxis };
    })()`);
    expect(incomeDrawn).toEqual({ bars: plan.collectiveIncomeCoverage.byCounty.map((c: any) => Math.round(c.rate * 1000) / 10), line: 100 });
    const byChannel = await chartData(prefecture, "consumptionSalesByChannel");
    expect(byChannel.categories).toEqual(plan.consumptionSales.byChannel.map((c: any) => c.label));
    expect(byChannel.categories).toHaveLength(7);
    expect(byChannel.series[0]!.data).toEqual(plan.consumptionSales.byChannel.map((c: any) => Number(c.amount)));
    const salesByMonth = await chartData(prefecture, "consumptionSalesByMonth");
    expect(salesByMonth.categories).toEqual(Array.from({ length: 12 }, (_, i) => `${i + 1}月`));
    expect(salesByMonth.series[0]!.data).toEqual(plan.consumptionSales.byMonth.map((m: any) => Number(m.amount)));
    // Every chart with a matching workbook offers it: the indicators', or consumption progress' (its 交付金额 sheets).
    const exportOf = (key: string) =>
      prefecture.locator(`[data-chart-key="${key}"]`).locator("xpath=..").locator("[data-export]").evaluateAll((buttons) => buttons.map((b) => b.getAttribute("data-export")));
    for (const key of ["pairingCoverage", "benefitLinkCoverage", "collectiveIncomeCoverage", "consumptionSalesByChannel", "consumptionSalesByMonth"]) expect(await exportOf(key)).toEqual(["indicators"]);
    for (const key of ["progressByCounty", "progressBySupervisingUnit", "deliveredByMonth", "deliveredByOriginCounty", "deliveredByCategory", "deliveredByEnterprise"]) {
      expect(await exportOf(key)).toEqual(["consumption-progress"]);
    }

    // Every month of the year is on the monthly chart; the chart downloads as the indicators workbook.
    expect((await chartData(prefecture, "deliveredByMonth")).categories).toHaveLength(12);
    const [download] = await Promise.all([prefecture.waitForEvent("download"), prefecture.locator('[data-chart-key="pairingCoverage"]').locator("xpath=..").locator('[data-export="indicators"]').click()]);
    expect(download.suggestedFilename()).toBe(`扶贫指标-${businessToday()}.xlsx`);
    const bytes = await readAll(await download.createReadStream());
    expect(bytes.subarray(0, 2).toString()).toBe("PK"); // a zip: an XLSX workbook
    await prefecture.screenshot({ path: join(screenshotDir, "dashboard.png"), fullPage: true });
  });

  it("shows the offices the open 疑点数据 by rule and county as dataQualitySummary counts them; an officer neither sees nor asks for them", async () => {
    // Households the rules flag (the demo seed has none): 21, 25 and 22 members (HOUSEHOLD_MEMBERS_OUT_OF_RANGE), and able
    // and willing ones without a link (ABLE_WILLING_WITHOUT_LINK): one in 花垣县 (433124), two in 保靖县 (433125).
    const households: [village: string, members: number, ableAndWilling: boolean][] = [
      ["433124103201", 21, false],
      ["433124103201", 25, false],
      ["433124103201", 4, true],
      ["433125103201", 22, false],
      ["433125103201", 3, true],
      ["433125103202", 5, true],
    ];
    for (const [i, [village, members, able]] of households.entries()) {
      await setup.database.rows(sql`insert into households (household_no, village_code, county_code, head_name, head_id_hash, head_id_masked, members,
          labor_capacity, development_willingness, status)
        values (${`${village.slice(0, 6)}-CONSOLE-${i}`}, ${village}, ${village.slice(0, 6)}, '测试户', ${randomBytes(32).toString("hex")}, '4331********0001',
          ${members}, ${able}, ${able}, 'IN_POVERTY') returning id`);
    }
    type Count = { rule: string; countyCode: string; county: { name: string } | null; open: number };
    const SUMMARY = `query ($county: String) { dataQualitySummary(countyCode: $county) { rule countyCode county { name } open } }`;
    // The panel's rule names are the Chinese half of the SDL's descriptions of DataQualityRule.
    const ruleType = await rootFieldOverHttp<{ enumValues: { name: string; description: string }[] }>(setup, `{ __type(name: "DataQualityRule") { enumValues { name description } } }`, {}, "admin");
    const ruleLabel = new Map(ruleType.enumValues.map((v) => [v.name, v.description.split(" ")[0]!]));
    expect(ruleLabel.size).toBe(10);

    /** The panel's table: each rule's label and open count per county (county columns by code), its totals, and the column headings. */
    const panelOf = async (page: Page) => {
      await page.locator('[data-panel="data-quality"][data-quality-ready="true"]').waitFor();
      return page.locator('[data-panel="data-quality"] table').evaluate((table) => {
        const cells = (row: any) => Object.fromEntries([...row.querySelectorAll("[data-county]")].map((c) => [c.getAttribute("data-county"), Number(c.textContent)]));
        const lastNumber = (row: any) => Number(row.lastElementChild!.textContent);
        return {
          columns: [...table.querySelectorAll("thead [data-county]")].map((th) => [th.getAttribute("data-county"), th.textContent]),
          rules: [...table.querySelectorAll("tbody tr")].map((tr) => ({ rule: tr.getAttribute("data-rule"), label: tr.firstElementChild!.textContent, counts: cells(tr), total: lastNumber(tr) })),
          totals: { counts: cells(table.querySelector("tfoot tr")!), total: lastNumber(table.querySelector("tfoot tr")!) },
        };
      });
    };
    /** What the panel must show for these API rows: every (rule, county) count (0 where the API has no row), and the sums. */
    const expected = (rows: Count[]) => {
      const codes = [...new Set(rows.map((r) => r.countyCode))];
      const ruleNames = [...new Set(rows.map((r) => r.rule))];
      const sum = (pick: (r: Count) => boolean) => rows.filter(pick).reduce((n, r) => n + r.open, 0);
      const countsOf = (pick: (r: Count, code: string) => boolean) => Object.fromEntries(codes.map((code) => [code, sum((r) => pick(r, code))]));
      return {
        columns: codes.map((code) => [code, code === "433100" ? "州直" : rows.find((r) => r.countyCode === code)!.county!.name]).sort(([a], [b]) => (a === "433100" ? 1 : b === "433100" ? -1 : a!.localeCompare(b!))),
        rules: ruleNames
          .map((rule) => ({ rule, label: ruleLabel.get(rule), counts: countsOf((r, code) => r.rule === rule && r.countyCode === code), total: sum((r) => r.rule === rule) }))
          .sort((a, b) => b.total - a.total || a.rule.localeCompare(b.rule)),
        totals: { counts: countsOf((r, code) => r.countyCode === code), total: sum(() => true) },
      };
    };

    // The prefecture office: every county's open issues, as the API counts them for it.
    /** Each dataQualitySummary the console asked for: which tab, with which variables. */
    const asked: string[] = [];
    const watchSummaries = (page: Page, tab: string) =>
      page.on("request", (request) => {
        const body = request.postData();
        if (new URL(request.url()).pathname === "/graphql" && body?.includes("dataQualitySummary")) asked.push(`${tab} ${JSON.stringify(JSON.parse(body).variables)}`);
      });
    watchSummaries(prefecture, "prefecture");
    await prefecture.goto(`${setup.base}/console/dashboard`);
    const all = await rootFieldOverHttp<Count[]>(setup, SUMMARY, {}, "prefectureReviewer");
    expect(all).toEqual(
      expect.arrayContaining([
        { rule: "HOUSEHOLD_MEMBERS_OUT_OF_RANGE", countyCode: "433124", county: { name: "花垣县" }, open: 2 },
        { rule: "HOUSEHOLD_MEMBERS_OUT_OF_RANGE", countyCode: "433125", county: { name: "保靖县" }, open: 1 },
        { rule: "ABLE_WILLING_WITHOUT_LINK", countyCode: "433124", county: { name: "花垣县" }, open: 1 },
        { rule: "ABLE_WILLING_WITHOUT_LINK", countyCode: "433125", county: { name: "保靖县" }, open: 2 },
      ]),
    );
    const shown = await panelOf(prefecture);
    expect(shown).toEqual(expected(all));
    expect(shown.totals.total).toBeGreaterThanOrEqual(6);
    expect(asked).toEqual(['prefecture {"county":null}']); // once, after the first render's two queries
    await prefecture.locator('[data-panel="data-quality"]').screenshot({ path: join(screenshotDir, "dashboard-data-quality.png") });

    // A county office: its own county's, as the API counts them for it; another county's it may not see (not asked).
    const county = await newPage();
    watchSummaries(county, "county");
    await signIn(county, "huayuan_reviewer", "xiangxi-huayuan-2020");
    expect(new URL(county.url()).pathname).toBe("/console/dashboard");
    const own = await rootFieldOverHttp<Count[]>(setup, SUMMARY, { county: "433124" }, "huayuanReviewer");
    expect(own).toEqual(all.filter((r) => r.countyCode === "433124"));
    const ownShown = await panelOf(county);
    expect(ownShown).toEqual(expected(own));
    expect(ownShown.columns).toEqual([["433124", "花垣县"]]);
    expect(asked.slice(1)).toEqual(['county {"county":"433124"}']);
    await county.locator('.dashboard[data-ready="true"]').waitFor();
    await county.locator('select[name="county"]').selectOption("433125");
    await county.locator('[data-panel="data-quality"]').getByText("只能查看本县市的疑点数据").waitFor();
    await county.locator('.dashboard[data-ready="true"]').waitFor();
    await county.locator('select[name="county"]').selectOption("433124");
    await county.locator('[data-panel="data-quality"] table').waitFor();
    expect(await panelOf(county)).toEqual(expected(own));
    expect(asked.slice(1)).toEqual(['county {"county":"433124"}', 'county {"county":"433124"}']); // not for 保靖县
    await county.close();

    // An officer (no access to data-quality issues): no dashboard, no panel, no question about them.
    const officer = await newPage();
    watchSummaries(officer, "officer");
    await signIn(officer, "zhou_caizheng_officer", "officer-pass-2020");
    await officer.goto(`${setup.base}/console/dashboard`);
    await officer.getByText("您的账号不能使用此页面").waitFor();
    expect(await officer.locator('[data-panel="data-quality"]').count()).toBe(0);
    await officer.close();
    expect(asked.filter((a) => a.startsWith("officer"))).toEqual([]);
  });

  it("lets a county reviewer certify from the queue; the catalog shows the product once the prefecture lists it", async () => {
    const { services } = setup.app;
    const product = await productInState(setup.database, services, setup.callers.admin, setup.callers.ownEnterpriseId, "SUBMITTED", { name: PRODUCT_NAME, availableSupply: 500, unitPrice: "88.00" });
    const county = await newPage();
    await signIn(county, "huayuan_reviewer", "xiangxi-huayuan-2020");
    await county.goto(`${setup.base}/console/review`);
    const row = county.locator(`[data-queue="submitted"] tr[data-product-name="${PRODUCT_NAME}"]`);
    await row.locator('input[name="comment"]').fill("材料齐全，同意认定");
    await county.screenshot({ path: join(screenshotDir, "review-county.png"), fullPage: true });
    await row.locator('[data-action="approve"]').click();
    await county.getByRole("status").filter({ hasText: "已认定" }).waitFor();
    await row.waitFor({ state: "detached" });

    // Certified, not yet listed: not in the catalog.
    const catalog = await newPage();
    await catalog.goto(`${setup.base}/console/catalog`);
    await catalog.getByLabel("搜索").fill("控制台测试");
    await catalog.getByRole("button", { name: "查询" }).click();
    await catalog.locator('[data-catalog-count="0"]').waitFor({ state: "attached" });

    // The prefecture office lists it in a batch.
    await prefecture.goto(`${setup.base}/console/review`);
    const certified = prefecture.locator(`[data-queue="certified"] tr[data-product-name="${PRODUCT_NAME}"]`);
    await certified.locator('input[type="checkbox"]').check();
    await prefecture.locator('input[name="batch"]').fill("2020年第九批");
    await prefecture.screenshot({ path: join(screenshotDir, "review-prefecture.png"), fullPage: true });
    await prefecture.locator('[data-action="list"]').click();
    await prefecture.getByRole("status").filter({ hasText: "已入录 1 个产品" }).waitFor();

    // Anyone (no sign-in) finds it in the catalog, and its page says listed, with the API's catalog number.
    await catalog.getByRole("button", { name: "查询" }).click();
    await catalog.locator('[data-catalog-count="1"]').waitFor();
    await catalog.screenshot({ path: join(screenshotDir, "catalog.png"), fullPage: true });
    await catalog.getByText(PRODUCT_NAME).click();
    const page = catalog.locator('[data-product-status="LISTED"]');
    await page.waitFor();
    const listed = await rootFieldOverHttp<{ catalogNo: string; status: string }>(setup, `query ($id: ID!) { product(id: $id) { catalogNo status } }`, { id: gid.product(product.id) }, "admin");
    expect(listed.status).toBe("LISTED");
    expect(listed.catalogNo).toMatch(/^433124-\d{4}-\d{6}$/);
    expect(await page.getAttribute("data-catalog-no")).toBe(listed.catalogNo);
    expect(await page.locator('[data-field="origin"]').textContent()).toContain("花垣县");
    expect(await page.locator('[data-field="beneficiaryHouseholdCount"]').textContent()).toMatch(/^\d+ 户$/);
    await catalog.screenshot({ path: join(screenshotDir, "product.png"), fullPage: true });
  });

  it("lets an officer reserve, cancel, and confirm a delivery", async () => {
    const officer = await newPage();
    await signIn(officer, "zhou_caizheng_officer", "officer-pass-2020");
    expect(new URL(officer.url()).pathname).toBe("/console/officer");
    await officer.locator('[data-quota="declared"]').waitFor();
    const delivered = officer.locator('[data-field="deliveredAmount"]');
    const before = (await delivered.textContent())!;

    const reserve = async (quantity: number) => {
      await officer.getByRole("searchbox", { name: "查找产品" }).fill("控制台测试");
      await officer.getByRole("button", { name: "查找" }).click();
      const offer = officer.locator(`[data-offers] tr[data-product-name="${PRODUCT_NAME}"]`);
      await offer.locator('input[name="quantity"]').fill(String(quantity));
      await offer.locator('[data-action="reserve"]').click();
      await officer.getByRole("status").filter({ hasText: `已预订「${PRODUCT_NAME}」${quantity}` }).waitFor();
    };
    await reserve(2); // 176.00, to be cancelled
    await reserve(5); // 440.00, to be delivered
    const orders = officer.locator(`[data-orders] tr[data-product-name="${PRODUCT_NAME}"]`);
    await expect.poll(() => orders.count()).toBe(2);
    const ids = await orders.evaluateAll((rows) => rows.map((r) => [r.getAttribute("data-order-id"), r.querySelector("td:nth-child(2)")?.textContent]));
    const cancelId = ids.find(([, q]) => q?.startsWith("2 "))![0]!;
    const deliverId = ids.find(([, q]) => q?.startsWith("5 "))![0]!;

    const cancelRow = officer.locator(`tr[data-order-id="${cancelId}"]`);
    await cancelRow.locator('input[name="note"]').fill("数量有误");
    await cancelRow.locator('[data-action="cancel"]').click();
    await officer.locator(`tr[data-order-id="${cancelId}"][data-order-status="CANCELLED"]`).waitFor();

    // The supplier ships (its own step, through the API), then the officer accepts goods and invoice.
    const shipped = await rootFieldOverHttp(setup, `mutation ($id: ID!) { markShipped(input: {orderId: $id}) { order { status } userErrors { message } } }`, { id: deliverId }, "ownEnterprise");
    expect(shipped).toEqual({ order: { status: "SHIPPED" }, userErrors: [] });
    await officer.reload();
    const deliverRow = officer.locator(`tr[data-order-id="${deliverId}"][data-order-status="SHIPPED"]`);
    await deliverRow.locator('input[name="note"]').fill("FP-2020-0088");
    await deliverRow.locator('[data-action="confirm"]').click();
    await officer.locator(`tr[data-order-id="${deliverId}"][data-order-status="DELIVERED"]`).waitFor();
    await expect.poll(() => delivered.textContent()).not.toBe(before);
    const order = await rootFieldOverHttp(setup, `query ($id: ID!) { node(id: $id) { ... on Order { status amount invoiceNo } } }`, { id: deliverId }, "officer");
    expect(order).toEqual({ status: "DELIVERED", amount: "440.00", invoiceNo: "FP-2020-0088" });
    const cancelled = await rootFieldOverHttp(setup, `query ($id: ID!) { node(id: $id) { ... on Order { status cancelReason } } }`, { id: cancelId }, "officer");
    expect(cancelled).toEqual({ status: "CANCELLED", cancelReason: "数量有误" });
    await officer.screenshot({ path: join(screenshotDir, "officer.png"), fullPage: true });

    // The delivery is on the prefecture's dashboard: 440.00 in this month, under 花垣县 and 水果.
    await prefecture.goto(`${setup.base}/console/dashboard`);
    await prefecture.locator('.dashboard[data-ready="true"]').waitFor();
    const month = Number(businessToday().slice(5, 7));
    const byMonth = await chartData(prefecture, "deliveredByMonth");
    expect(byMonth.categories[month - 1]).toBe(`${month}月`);
    expect(byMonth.series[0]!.data[month - 1]).toBe(440);
    const byOrigin = await chartData(prefecture, "deliveredByOriginCounty");
    expect(byOrigin.categories).toEqual(["花垣县"]);
    // …and in the plan's consumption total from every channel: 440.00 this month, in the canteen channel, as the API says.
    await prefecture.locator('.dashboard[data-plan-ready="true"]').waitFor();
    const sales = await rootFieldOverHttp<any>(
      setup,
      `query ($year: Int!) { consumptionSales(year: $year) { byChannel { key label amount } byMonth { amount } } }`,
      { year: Number(businessToday().slice(0, 4)) },
      "prefectureReviewer",
    );
    const salesByMonth = await chartData(prefecture, "consumptionSalesByMonth");
    expect(salesByMonth.series[0]!.data).toEqual(sales.byMonth.map((m: any) => Number(m.amount)));
    expect(salesByMonth.series[0]!.data[month - 1]).toBe(440);
    const salesByChannel = await chartData(prefecture, "consumptionSalesByChannel");
    expect(salesByChannel.series[0]!.data).toEqual(sales.byChannel.map((c: any) => Number(c.amount)));
    expect(salesByChannel.series[0]!.data[salesByChannel.categories.indexOf("预算单位食堂采购")]).toBe(440);
    await prefecture.screenshot({ path: join(screenshotDir, "dashboard-after-delivery.png"), fullPage: true });
    // The README's picture (docs/console-dashboard.png is a copy): the top of the page.
    await prefecture.screenshot({ path: join(screenshotDir, "dashboard-readme.png"), clip: { x: 0, y: 0, width: 1440, height: 1180 }, fullPage: true });
  });

  it("asked no host but this server for anything, and no page failed", () => {
    const foreign = requests.filter((url) => {
      const parsed = new URL(url);
      return !(parsed.protocol === "data:" || parsed.protocol === "blob:" || parsed.origin === setup.base);
    });
    console.log(`console in Chromium: ${requests.length} requests, all to ${setup.base}; ${foreign.length} elsewhere`);
    expect(requests.length).toBeGreaterThan(20);
    expect(foreign).toEqual([]);
    expect(problems).toEqual([]);
  });
});

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}
