import { type SQL, sql } from "drizzle-orm";
import type { Actor } from "../../actor.js";
import type { Database } from "../../db/client.js";
import { productFacts } from "../catalog/index.js";
import { ForbiddenError } from "../../errors.js";
import { unitFiguresScope } from "./procurement.policy.js";

export interface UnitProgressRow extends Record<string, unknown> {
  unit_id: string;
  reserved: string;
  delivered: string;
  open: string;
  rate: string | null;
}

export interface AmountRow extends Record<string, unknown> {
  key: string;
  amount: string;
}

export interface ConsumptionProgress {
  year: number;
  countyCode: string | null;
  totals: { reserved: string; delivered: string; open: string; rate: string | null };
  units: UnitProgressRow[];
  supervisingUnits: UnitProgressRow[];
  byOriginCounty: AmountRow[];
  byCategory: AmountRow[];
  byMonth: AmountRow[];
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

  /** Every unit's rows, or those `unitRows` (a condition on `unit_id`) admits; totals always cover all. */
  async progress(year: number, countyCode: string | null, unitRows: SQL = sql`true`): Promise<ConsumptionProgress> {
    const scoped: SQL = countyCode ? sql`select * from budget_units where county_code = ${countyCode}` : sql`select * from budget_units`;

    // Units, supervising units (each with its subtree) and totals in one statement: the year's
    // orders are aggregated once (per_unit is referenced several times, so it is materialised).
    const progress = await this.database.rows<UnitProgressRow & { kind: "unit" | "supervising" | "total" }>(sql`
      with recursive scoped as (${scoped}),
      per_unit as (
        select u.id as unit_id, u.parent_id,
               coalesce(q.reserved_amount, 0) as reserved,
               coalesce(sum(o.amount) filter (where o.status = 'DELIVERED'), 0) as delivered,
               coalesce(sum(o.amount) filter (where o.status in ('RESERVED', 'SHIPPED')), 0) as open
        from scoped u
        left join quotas q on q.budget_unit_id = u.id and q.year = ${year}
        left join orders o on o.budget_unit_id = u.id and o.year = ${year}
        group by u.id, u.parent_id, q.reserved_amount),
      closure(ancestor, descendant) as (
        select unit_id, unit_id from per_unit
        union all
        select c.ancestor, p.unit_id from closure c join per_unit p on p.parent_id = c.descendant),
      supervising as (
        select c.ancestor as unit_id, sum(p.reserved) as reserved, sum(p.delivered) as delivered, sum(p.open) as open
        from closure c join per_unit p on p.unit_id = c.descendant
        where c.ancestor in (select parent_id from per_unit where parent_id is not null)
        group by c.ancestor)
      select 'unit' as kind, unit_id, reserved::text, delivered::text, open::text, ${rate("delivered", "reserved")} as rate from per_unit where ${unitRows}
      union all
      select 'supervising', unit_id, reserved::text, delivered::text, open::text, ${rate("delivered", "reserved")} from supervising where ${unitRows}
      union all
      select 'total', null, coalesce(sum(reserved), 0)::text, coalesce(sum(delivered), 0)::text, coalesce(sum(open), 0)::text,
             ${rate("coalesce(sum(delivered), 0)", "coalesce(sum(reserved), 0)")} from per_unit
      order by 1, 2`);

    // The three breakdowns of delivered amounts in one scan, as grouping sets.
    const month = sql`to_char(o.delivered_at at time zone 'UTC', 'YYYY-MM')`;
    const breakdowns = await this.database.rows<{ county: string | null; category: string | null; month: string | null; amount: string; by: number }>(sql`
      select p.origin_county_code as county, p.category::text as category, ${month} as month, sum(o.amount)::text as amount,
             grouping(p.origin_county_code, p.category, ${month}) as by
      from orders o join (${productFacts()}) p on p.id = o.product_id
      where o.year = ${year} and o.status = 'DELIVERED' and o.budget_unit_id in (select id from (${scoped}) s)
      group by grouping sets ((p.origin_county_code), (p.category), (${month}))
      order by 1, 2, 3`);
    // grouping(...) is a bit mask of the columns left out: 3 = by county, 5 = by category, 6 = by month.
    const breakdown = (mask: number, key: "county" | "category" | "month") =>
      breakdowns.filter((r) => Number(r.by) === mask).map((r) => ({ key: r[key]!, amount: r.amount }));
    const pick = (kind: string) => progress.filter((r) => r.kind === kind).map(({ kind: _k, ...r }) => r);
    const [totals] = pick("total");
    return {
      year,
      countyCode,
      totals: totals!,
      units: pick("unit"),
      supervisingUnits: pick("supervising"),
      byOriginCounty: breakdown(3, "county"),
      byCategory: breakdown(5, "category"),
      byMonth: breakdown(6, "month"),
    };
  }
}
