import { type SQL, sql } from "drizzle-orm";
import type { Actor } from "../../actor.js";
import { businessTimeZoneName } from "../../clock.js";
import type { Database } from "../../db/client.js";
import { productFacts } from "../catalog/index.js";
import { divisions } from "../geography/index.js";
import { ForbiddenError } from "../../errors.js";
import { unitFiguresScope } from "./procurement.policy.js";
import { type BudgetUnitRow, budgetUnits } from "./procurement.schema.js";

export interface ProgressFigures {
  reserved: string;
  delivered: string;
  open: string;
  rate: string | null;
  /** units in the row (1 for a unit), of them not declared, and declared 无食堂 */
  units: number;
  undeclared: number;
  no_canteen: number;
}

export interface UnitProgressRow extends ProgressFigures, Record<string, unknown> {
  unit_id: string;
}

export interface AmountRow extends Record<string, unknown> {
  key: string;
  amount: string;
  /** the origin county's name (by origin county only) */
  label?: string | null;
}

export interface ConsumptionProgress {
  year: number;
  countyCode: string | null;
  totals: ProgressFigures;
  units: UnitProgressRow[];
  supervisingUnits: UnitProgressRow[];
  /** the budget units of the unit and supervising rows, read by the same statement (to prime the loader) */
  unitRecords: BudgetUnitRow[];
  byOriginCounty: AmountRow[];
  byCategory: AmountRow[];
  /** every month of the year (YYYY-MM), 0.00 where nothing was delivered, and other months with deliveries */
  byMonth: AmountRow[];
  /** the supplying enterprises' ids, largest amount first */
  byEnterprise: AmountRow[];
}

/**
 * The twelve months of `year` as YYYY-MM, each with its amount or 0.00 (charts need every month), and
 * any other month with deliveries of the year's orders (a December order delivered in January), in order.
 */
export function everyMonth(year: number, amounts: readonly AmountRow[]): AmountRow[] {
  const byKey = new Map(amounts.map((r) => [r.key, r.amount]));
  for (let month = 1; month <= 12; month++) {
    const key = `${year}-${String(month).padStart(2, "0")}`;
    if (!byKey.has(key)) byKey.set(key, "0.00");
  }
  return [...byKey].map(([key, amount]) => ({ key, amount })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** One county's units together (countyCode null: the units of no county, 州直 and 中央省直驻州), or all of them (total). */
export interface CountyProgressRow extends ProgressFigures {
  kind: "county" | "total";
  county_code: string | null;
}

const rate = (delivered: string, reserved: string) => sql.raw(`case when ${reserved} > 0 then round(${delivered} / ${reserved}, 4)::text end`);

/**
 * 采购执行进度: per unit, per supervising unit (its whole subtree), totals, and delivered amounts by
 * origin county, category and month — each an aggregate statement in PostgreSQL.
 */
export class ConsumptionProgressService {
  constructor(private readonly database: Database) {}

  /**
   * The indicator as a caller may read it: the quotas' audience (admins, reviewers, officers), others
   * FORBIDDEN. The unit and supervising-unit rows pass the quotas' rule (an officer: its subtree's);
   * totals and the breakdowns are aggregates over every unit in scope, for the same audience.
   */
  async progressFor(actor: Actor, year: number, countyCode: string | null): Promise<ConsumptionProgress> {
    const unitRows = unitFiguresScope(actor, sql`unit_id`);
    if (!unitRows) throw new ForbiddenError("Only procurement officers, poverty offices and admins may read consumption progress");
    return this.progress(year, countyCode, unitRows);
  }

  /**
   * 采购执行进度 per county: the units of each county together (the rows equal `progress(year, county).totals`),
   * the units of no county together, and all of them (`totals`), in one aggregate statement. For the
   * same audience as `progressFor`; like its totals, these are aggregates over every unit.
   */
  async countyTotalsFor(actor: Actor, year: number, countyCode: string | null): Promise<CountyProgressRow[]> {
    if (!unitFiguresScope(actor, sql`unit_id`)) throw new ForbiddenError("Only procurement officers, poverty offices and admins may read consumption progress");
    const inCounty = countyCode ? sql`where u.county_code = ${countyCode}` : sql``;
    const rows = await this.database.rows<Record<string, unknown> & CountyProgressRow & { total: number }>(sql`
      with per_unit as (
        select u.county_code, coalesce(q.reserved_amount, 0) as reserved, coalesce(o.delivered, 0) as delivered, coalesce(o.open, 0) as open,
               (q.id is null)::int as undeclared, coalesce(q.no_canteen, false)::int as no_canteen
        from budget_units u
        left join quotas q on q.budget_unit_id = u.id and q.year = ${year}
        left join (
          select budget_unit_id,
                 sum(amount) filter (where status = 'DELIVERED') as delivered,
                 sum(amount) filter (where status in ('RESERVED', 'SHIPPED')) as open
          from orders where year = ${year} group by budget_unit_id) o on o.budget_unit_id = u.id
        ${inCounty})
      select grouping(county_code) as total, county_code,
             coalesce(sum(reserved), 0)::text as reserved, coalesce(sum(delivered), 0)::text as delivered, coalesce(sum(open), 0)::text as open,
             ${rate("coalesce(sum(delivered), 0)", "coalesce(sum(reserved), 0)")} as rate,
             count(*)::int as units, coalesce(sum(undeclared), 0)::int as undeclared, coalesce(sum(no_canteen), 0)::int as no_canteen
      from per_unit group by grouping sets ((county_code), ())
      order by grouping(county_code), county_code nulls last`);
    // The empty grouping set answers even with no unit at all: there is always a total row.
    return rows.map(({ total, ...r }) => ({
      ...r,
      kind: Number(total) === 1 ? ("total" as const) : ("county" as const),
      units: Number(r.units),
      undeclared: Number(r.undeclared),
      no_canteen: Number(r.no_canteen),
    }));
  }

  /** Every unit's rows, or those `unitRows` (a condition on `unit_id`) admits; totals always cover all. */
  async progress(year: number, countyCode: string | null, unitRows: SQL = sql`true`): Promise<ConsumptionProgress> {
    const scoped: SQL = countyCode ? sql`select * from budget_units where county_code = ${countyCode}` : sql`select * from budget_units`;

    // Units, supervising units and totals in one statement. A supervising unit (主管预算单位) is a
    // top-level unit (no parent): `rooted` walks the tree down from them once, giving every unit its
    // top-level ancestor, so a supervising row sums its whole subtree at any depth and every unit
    // counts in exactly one of them (they add up to the totals). The walk covers the whole tree: with
    // a county, a top-level unit's row sums the county's units below it even through a unit of
    // elsewhere, and top-level units with none of them drop out. The year's orders are aggregated per
    // unit before the join, and per_unit (referenced three times, so materialised) takes its root from
    // `rooted`: the planner's row estimates for a recursive CTE are generous (×10 per step), and
    // joining it once to units, not to another CTE, keeps the plan's cost linear in the units and
    // under PostgreSQL's JIT threshold at the prefecture's 2,000 units (JIT compilation would cost
    // more than the query). A unit left out of the walk (only a cycle could do that) still counts in
    // its own row and the totals; UNION (not UNION ALL) keeps the walk finite whatever the data.
    const inCounty = countyCode ? sql`where u.county_code = ${countyCode}` : sql``;
    const progressStatement = this.database.rows<UnitProgressRow & UnitColumns & { kind: "unit" | "supervising" | "total" }>(sql`
      with recursive rooted(unit_id, root_id) as (
        select id, id from budget_units where parent_id is null
        union
        select b.id, r.root_id from rooted r join budget_units b on b.parent_id = r.unit_id),
      per_unit as (
        select u.id as unit_id, r.root_id,
               coalesce(q.reserved_amount, 0) as reserved,
               coalesce(o.delivered, 0) as delivered,
               coalesce(o.open, 0) as open,
               (q.id is null)::int as undeclared,
               coalesce(q.no_canteen, false)::int as no_canteen
        from budget_units u
        left join rooted r on r.unit_id = u.id
        left join quotas q on q.budget_unit_id = u.id and q.year = ${year}
        left join (
          select budget_unit_id,
                 sum(amount) filter (where status = 'DELIVERED') as delivered,
                 sum(amount) filter (where status in ('RESERVED', 'SHIPPED')) as open
          from orders where year = ${year} group by budget_unit_id) o on o.budget_unit_id = u.id
        ${inCounty}),
      supervising as (
        select root_id as unit_id, sum(reserved) as reserved, sum(delivered) as delivered, sum(open) as open,
               count(*)::int as units, sum(undeclared)::int as undeclared, sum(no_canteen)::int as no_canteen
        from per_unit where root_id is not null
        group by root_id)
      select x.*, u.code, u.name, u.level, u.county_code, u.parent_id, u.has_canteen, u.created_at, u.updated_at, u.version
      from (
      select 'unit' as kind, unit_id, reserved::text, delivered::text, open::text, ${rate("delivered", "reserved")} as rate,
             1 as units, undeclared, no_canteen from per_unit where ${unitRows}
      union all
      select 'supervising', unit_id, reserved::text, delivered::text, open::text, ${rate("delivered", "reserved")},
             units, undeclared, no_canteen from supervising where ${unitRows}
      union all
      select 'total', null, coalesce(sum(reserved), 0)::text, coalesce(sum(delivered), 0)::text, coalesce(sum(open), 0)::text,
             ${rate("coalesce(sum(delivered), 0)", "coalesce(sum(reserved), 0)")},
             count(*)::int, coalesce(sum(undeclared), 0)::int, coalesce(sum(no_canteen), 0)::int from per_unit
      ) x left join ${budgetUnits} u on u.id = x.unit_id
      order by 1, 2`);

    // The four breakdowns of delivered amounts in one scan, as grouping sets.
    // The zone as a literal (an IANA name the config checked): a parameter would make the three
    // grouping-set expressions differ ($1, $2, $3) and PostgreSQL would not match them.
    const month = sql`to_char(o.delivered_at at time zone ${sql.raw(`'${businessTimeZoneName()}'`)}, 'YYYY-MM')`;
    // The origin counties' names come along (a join after the aggregation: 8 rows, not one per order).
    const breakdownStatement = this.database.rows<{
      county: string | null;
      county_name: string | null;
      category: string | null;
      month: string | null;
      enterprise: string | null;
      amount: string;
      by: number;
    }>(sql`
      select b.*, d.name as county_name from (
      select p.origin_county_code as county, p.category::text as category, ${month} as month, p.enterprise_id::text as enterprise,
             sum(o.amount) as total, sum(o.amount)::text as amount, grouping(p.origin_county_code, p.category, ${month}, p.enterprise_id) as by
      from orders o join (${productFacts()}) p on p.id = o.product_id
      where o.year = ${year} and o.status = 'DELIVERED' and o.budget_unit_id in (select id from (${scoped}) s)
      group by grouping sets ((p.origin_county_code), (p.category), (${month}), (p.enterprise_id))
      ) b left join ${divisions} d on d.code = b.county
      order by b.total desc, 1, 2, 3, 4`);
    // Independent statements: both at once (two pooled connections; one after another on PGlite).
    const [progress, breakdowns] = await Promise.all([progressStatement, breakdownStatement]);
    // grouping(...) is a bit mask of the columns left out (county 8, category 4, month 2, enterprise 1):
    // 7 = by county, 11 = by category, 13 = by month, 14 = by enterprise. Enterprises stay largest first, the others by key.
    const breakdown = (mask: number, key: "county" | "category" | "month" | "enterprise") =>
      breakdowns
        .filter((r) => Number(r.by) === mask)
        .map((r) => (key === "county" ? { key: r.county!, amount: r.amount, label: r.county_name } : { key: r[key]!, amount: r.amount }))
        .sort((x, y) => (key === "enterprise" ? 0 : x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
    // One pass over the rows, by kind. Counts as numbers on both drivers (postgres.js and PGlite
    // return int4 as numbers, but be sure).
    const byKind: Record<string, UnitProgressRow[]> = { unit: [], supervising: [], total: [] };
    const unitRecords = new Map<string, BudgetUnitRow>();
    for (const r of progress) {
      byKind[r.kind]?.push({
        unit_id: r.unit_id,
        reserved: r.reserved,
        delivered: r.delivered,
        open: r.open,
        rate: r.rate,
        units: Number(r.units),
        undeclared: Number(r.undeclared),
        no_canteen: Number(r.no_canteen),
      });
      if (r.kind !== "total" && r.code !== null && !unitRecords.has(r.unit_id)) unitRecords.set(r.unit_id, unitRecordOf(r));
    }
    const totals = byKind.total![0];
    return {
      year,
      countyCode,
      totals: totals!,
      units: byKind.unit!,
      supervisingUnits: byKind.supervising!,
      unitRecords: [...unitRecords.values()],
      byOriginCounty: breakdown(7, "county"),
      byCategory: breakdown(11, "category"),
      byMonth: everyMonth(year, breakdown(13, "month")),
      byEnterprise: breakdown(14, "enterprise"),
    };
  }
}

/** The budget unit's columns as the progress statement reads them along (null for the totals row). */
interface UnitColumns {
  code: string | null;
  name: string;
  level: BudgetUnitRow["level"];
  county_code: string | null;
  parent_id: string | null;
  has_canteen: boolean;
  created_at: Date | string;
  updated_at: Date | string;
  version: number;
}

/** A budget unit row as drizzle would map it (timestamps as Dates on both drivers). */
function unitRecordOf(r: UnitColumns & { unit_id: string }): BudgetUnitRow {
  return {
    id: r.unit_id,
    code: r.code!,
    name: r.name,
    level: r.level,
    countyCode: r.county_code,
    parentId: r.parent_id,
    hasCanteen: r.has_canteen,
    createdAt: r.created_at instanceof Date ? r.created_at : new Date(r.created_at),
    updatedAt: r.updated_at instanceof Date ? r.updated_at : new Date(r.updated_at),
    version: Number(r.version),
  };
}
