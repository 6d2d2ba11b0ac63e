import { type SQL, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { type Page, type PageArgs, type SortKey, cursorParameter, pageFromRows, planPage } from "../../db/keyset.js";
import { yuanToFen } from "../../money.js";
import { productFacts } from "../catalog/index.js";
import { deliveredOrderSales } from "../procurement/index.js";
import { countedSalesLines } from "./sales.sql.js";

/** An amount (yuan, two decimals) and the records it sums. */
export interface Figure {
  amount: string;
  records: number;
}

export interface KeyedFigure extends Figure {
  key: string;
}

export interface ConsumptionFigures {
  total: Figure;
  byChannel: KeyedFigure[];
  byOriginCounty: KeyedFigure[];
  /** only categories with records (the answer zero-fills them) */
  byCategory: KeyedFigure[];
  byEnterprise: KeyedFigure[];
  /** 1..12 as keys; only months with records */
  byMonth: KeyedFigure[];
}

export interface RecordFilter {
  year: number;
  countyCode?: string | undefined;
  channel?: string | undefined;
  category?: string | undefined;
  enterpriseId?: string | undefined;
  month?: number | undefined;
  salesReportId?: string | undefined;
}

export interface ConsumptionRecordRow extends Record<string, unknown> {
  record_key: string;
  source: "ORDER" | "SALES_REPORT";
  record_id: string;
  line_no: number | null;
  channel: string;
  product_id: string;
  quantity: number;
  amount: string;
  sold_on: string;
}

const bySoldOn: SortKey<ConsumptionRecordRow> = {
  name: "SOLD_ON",
  expression: sql`r.sold_on`,
  valueOf: (row) => row.sold_on,
  parameter: cursorParameter.date,
};
const largestFirst = (a: string, b: string) => {
  const d = yuanToFen(b) - yuanToFen(a);
  return d > 0n ? 1 : d < 0n ? -1 : 0;
};
const recordKeyParameter = (v: unknown) => (typeof v === "string" && /^(O:[0-9a-f-]{36}|S:[0-9a-f-]{36}:\d{5})$/.test(v) ? sql`${v}::text collate "C"` : undefined);

/**
 * 消费扶贫总额 from every channel: budget units' delivered orders (canteen and trade union, by the
 * business day of delivery) and the lines of the sales reports that count (by the day sold), of the
 * products of one origin county or all. One aggregate statement for every breakdown (grouping sets);
 * every figure carries its record count, and `records` lists the rows behind any of them.
 */
export class ConsumptionSalesService {
  constructor(private readonly database: Database) {}

  /** Every record of the year (both sources), joined to the products' facts, as `r`. */
  private records(year: number, countyCode: string | null, salesReportId?: string): SQL {
    const from = `${year}-01-01`;
    const to = `${year}-12-31`;
    const sources = salesReportId
      ? countedSalesLines(from, to, salesReportId)
      : sql`${deliveredOrderSales(from, to)} union all ${countedSalesLines(from, to)}`;
    return sql`select s.*, extract(month from s.sold_on)::int as month, p.origin_county_code, p.category::text as category, p.enterprise_id
               from (${sources}) s join (${productFacts(countyCode)}) p on p.id = s.product_id`;
  }

  async figures(year: number, countyCode: string | null): Promise<ConsumptionFigures> {
    const rows = await this.database.rows<{ channel: string; county: string; category: string; enterprise: string; month: number; amount: string; records: number; by: number }>(sql`
      select r.channel, r.origin_county_code as county, r.category, r.enterprise_id::text as enterprise, r.month,
             coalesce(sum(r.amount), 0)::text as amount, count(*)::int as records,
             grouping(r.channel, r.origin_county_code, r.category, r.enterprise_id, r.month) as by
      from (${this.records(year, countyCode)}) r
      group by grouping sets ((r.channel), (r.origin_county_code), (r.category), (r.enterprise_id), (r.month), ())`);
    // grouping(...) is a bit mask of the columns left out (channel 16, county 8, category 4, enterprise 2, month 1).
    const pick = (mask: number, key: (r: (typeof rows)[number]) => string) =>
      rows.filter((r) => Number(r.by) === mask).map((r) => ({ key: key(r), amount: r.amount, records: Number(r.records) }));
    const [total] = pick(31, () => "");
    return {
      total: total ? { amount: total.amount, records: total.records } : { amount: "0.00", records: 0 },
      byChannel: pick(15, (r) => r.channel),
      byOriginCounty: pick(23, (r) => r.county),
      byCategory: pick(27, (r) => r.category),
      byEnterprise: pick(29, (r) => r.enterprise).sort((a, b) => largestFirst(a.amount, b.amount) || a.key.localeCompare(b.key)),
      byMonth: pick(30, (r) => String(r.month)),
    };
  }

  private conditions(filter: RecordFilter): SQL[] {
    const c: SQL[] = [];
    if (filter.channel) c.push(sql`r.channel = ${filter.channel}`);
    if (filter.category) c.push(sql`r.category = ${filter.category}`);
    if (filter.enterpriseId) c.push(sql`r.enterprise_id = ${filter.enterpriseId}::uuid`);
    if (filter.month) c.push(sql`r.month = ${filter.month}::int`);
    return c;
  }

  /** The records behind the figures, by day sold then record key (keyset). */
  async recordsPage(filter: RecordFilter, args: PageArgs): Promise<Page<ConsumptionRecordRow>> {
    const plan = planPage(args, bySoldOn, "ASC", sql`r.record_key collate "C"`, recordKeyParameter);
    const where = [...this.conditions(filter), ...plan.conditions];
    const rows = await this.database.rows<ConsumptionRecordRow>(sql`
      select r.record_key, r.source, r.record_id::text as record_id, r.line_no, r.channel, r.product_id::text as product_id,
             r.quantity, r.amount::text as amount, r.sold_on::text as sold_on
      from (${this.records(filter.year, filter.countyCode ?? null, filter.salesReportId)}) r
      ${where.length > 0 ? sql`where ${sql.join(where, sql` and `)}` : sql``}
      order by ${sql.join(plan.orderBy, sql`, `)} limit ${plan.limit}`);
    const normalised = rows.map((r) => ({ ...r, line_no: r.line_no == null ? null : Number(r.line_no), quantity: Number(r.quantity) }));
    return pageFromRows(normalised, plan, args, bySoldOn, (row) => row.record_key);
  }

  async recordsCount(filter: RecordFilter): Promise<number> {
    const where = this.conditions(filter);
    const [row] = await this.database.rows<{ n: number }>(sql`
      select count(*)::int as n from (${this.records(filter.year, filter.countyCode ?? null, filter.salesReportId)}) r
      ${where.length > 0 ? sql`where ${sql.join(where, sql` and `)}` : sql``}`);
    return Number(row?.n ?? 0);
  }
}
