import { type SQL, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ScaleCounts, buildScaleRows, seedScale } from "../seeds/scale.js";
import { createServices } from "../src/app.js";
import { businessToday } from "../src/clock.js";
import { listedOnDay } from "../src/modules/certification/index.js";
import { suspendedOnDay } from "../src/modules/enterprises/index.js";
import { testConfig } from "./support/api.js";
import { type TestDatabase, openTestDatabase } from "./support/database.js";

/**
 * The scale seed's certification events agree with each product's status and dates (the rebuilt
 * `certificationPipeline(asOf:)` is only as true as the events). Pure: rows are built, not inserted.
 */
describe("seed:scale certification events", () => {
  const today = new Date("2026-11-30T00:00:00Z");
  const rows = buildScaleRows({ households: 4000, seed: 2020, today, idHashKey: "test-only-id-hash-key-xxxxxxxxxxxxxxxxxxxxxx" });
  const steps = new Set(["DRAFT>SUBMITTED", "SUBMITTED>CERTIFIED", "SUBMITTED>REJECTED", "CERTIFIED>LISTED", "LISTED>REVOKED"]);
  const byProduct = new Map<string, Record<string, any>[]>();
  for (const e of rows.certificationEvents) byProduct.set(e.product_id as string, [...(byProduct.get(e.product_id as string) ?? []), e]);

  it("give every product a chain of steps from DRAFT to its status, between its creation and its last update, before the seed day; a certified price once certified", () => {
    expect(rows.products.length).toBeGreaterThan(50);
    for (const p of rows.products) {
      const events = byProduct.get(p.id as string) ?? [];
      const label = `${p.id} ${p.status}`;
      expect(events.length > 0, label).toBe(p.status !== "DRAFT");
      let status = "DRAFT";
      let last = Date.parse(p.created_at as string);
      for (const e of events) {
        expect(e.from_status, label).toBe(status);
        expect(steps.has(`${e.from_status}>${e.to_status}`), label).toBe(true);
        const at = Date.parse(e.at);
        expect(at, label).toBeGreaterThan(last);
        if (e.to_status === "LISTED") expect(businessToday(new Date(at)), label).toBe(p.valid_from); // 入录 on validFrom, China time
        status = e.to_status;
        last = at;
      }
      expect(status, label).toBe(p.status);
      // a certified price exactly when 认定 happened (the price band's reference)
      expect(p.certified_unit_price != null, label).toBe(events.some((e) => e.to_status === "CERTIFIED"));
      expect(last, label).toBeLessThanOrEqual(Date.parse(p.updated_at as string));
      expect(last, label).toBeLessThan(today.getTime());
    }
  });

  it("leaves no product listed before the data's first validFrom (a past asOf sees none listed)", () => {
    const firstListing = rows.certificationEvents.filter((e) => e.to_status === "LISTED").map((e) => e.at as string).sort()[0]!;
    const firstValidFrom = rows.products.map((p) => p.valid_from as string | null).filter(Boolean).sort()[0]!;
    expect(businessToday(new Date(firstListing))).toBe(firstValidFrom);
  });
});

/**
 * The scale seed's partner sales and collective incomes (issue 15) are what the API would have taken:
 * each line one reportSales would accept (the catalog on its day, the enterprise not suspended, not in
 * the future, the amount within the price band), fairs by the office of the products' county, every
 * correction pairing two reports of one reporter; incomes on both sides of the 50,000-yuan line.
 */
describe("seed:scale partner sales and collective incomes", () => {
  let tdb: TestDatabase;
  let counts: ScaleCounts;
  const today = new Date(`${businessToday()}T00:00:00Z`);

  beforeAll(async () => {
    tdb = await openTestDatabase({ seed: false });
    counts = await seedScale(tdb.database, { households: 4000, seed: 2020, today, idHashKey: "test-only-id-hash-key-xxxxxxxxxxxxxxxxxxxxxx", log: () => {} });
  }, 180_000);
  afterAll(async () => tdb?.drop());

  const one = async <T extends Record<string, unknown>>(query: SQL) => (await tdb.database.rows<T>(query))[0]!;

  it("writes the reports and lines it counts, every channel, each line one reportSales would accept", async () => {
    const stored = await one<{ reports: number; lines: number; incomes: number }>(sql`select (select count(*)::int from sales_reports) as reports,
      (select count(*)::int from sales_lines) as lines, (select count(*)::int from collective_incomes) as incomes`);
    expect([stored.reports, stored.lines, stored.incomes]).toEqual([counts.salesReports, counts.salesLines, counts.collectiveIncomes]);
    expect(counts.salesReports).toBeGreaterThanOrEqual(40);
    const channels = await tdb.database.rows<{ channel: string }>(sql`select distinct channel::text as channel from sales_lines order by 1`);
    expect(channels.map((c) => c.channel)).toEqual(["EAST_WEST_COOPERATION", "E_COMMERCE", "FAIR", "OTHER", "PAIRED_ASSISTANCE"]);
    // Band: SALES_PRICE_BAND's default, 30 %, of quantity × the unit price (no price changes in the seed).
    const bad = await one<Record<string, number>>(sql`
      select count(*) filter (where not ${listedOnDay(sql`l.product_id`, sql`l.sold_on`)})::int as unlisted,
             count(*) filter (where l.sold_on < p.valid_from or l.sold_on > p.valid_until)::int as outside_validity,
             count(*) filter (where ${suspendedOnDay(sql`p.enterprise_id`, sql`l.sold_on`)})::int as suspended,
             count(*) filter (where l.sold_on > ${businessToday()}::date)::int as future,
             count(*) filter (where abs(l.amount - l.quantity * p.unit_price) > l.quantity * p.unit_price * 0.30)::int as implausible,
             count(*) filter (where r.reporter_user_id is not null and (l.channel <> 'FAIR' or p.origin_county_code <> r.reporter_name))::int as office_outside
      from sales_lines l join products p on p.id = l.product_id join sales_reports r on r.id = l.report_id`);
    expect(bad).toEqual({ unlisted: 0, outside_validity: 0, suspended: 0, future: 0, implausible: 0, office_outside: 0 });
    const totals = await one<{ wrong: number }>(sql`
      select count(*)::int as wrong from sales_reports r
      where r.line_count <> (select count(*) from sales_lines l where l.report_id = r.id)
         or r.total_amount <> (select coalesce(sum(l.amount), 0) from sales_lines l where l.report_id = r.id)`);
    expect(totals.wrong).toBe(0);
    const corrections = await one<{ corrected: number; unpaired: number }>(sql`
      select count(*)::int as corrected,
             count(*) filter (where c.corrects_id is distinct from r.id or c.reporter <> r.reporter or c.created_at < r.created_at)::int as unpaired
      from sales_reports r left join sales_reports c on c.id = r.superseded_by_id where r.superseded_by_id is not null`);
    expect(corrections.corrected).toBeGreaterThan(0);
    expect(corrections.unpaired).toBe(0);
  });

  it("gives collective incomes on both sides of the 50,000-yuan line, this year and last, as collectiveIncomeCoverage counts them", async () => {
    const year = today.getUTCFullYear();
    const services = createServices(tdb.database, testConfig);
    for (const y of [year - 1, year]) {
      const coverage = await services.indicators.collectiveIncomeCoverage(null, `${y}-12-31`);
      const byHand = await one<{ met: number; poor: number }>(sql`
        select count(*) filter (where coalesce(i.income, 0) >= 50000)::int as met, count(*)::int as poor
        from divisions v left join (select village_code, sum(amount) as income from collective_incomes where year = ${y} group by village_code) i
          on i.village_code = v.code
        where v.level = 'VILLAGE' and v.is_poor_village`);
      expect([coverage.numerator, coverage.denominator]).toEqual([byHand.met, byHand.poor]);
      expect(byHand.met).toBeGreaterThan(0);
      expect(byHand.met).toBeLessThan(byHand.poor);
    }
  });
});
