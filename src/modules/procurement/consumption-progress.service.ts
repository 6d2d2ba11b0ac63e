import { type SQL, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";

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

  async progress(year: number, countyCode: string | null): Promise<ConsumptionProgress> {
    const scoped: SQL = countyCode ? sql`select * from budget_units where county_code = ${countyCode}` : sql`select * from budget_units`;
    const perUnit = sql`
      scoped as (${scoped}),
      per_unit as (
        select u.id as unit_id, u.parent_id,
               coalesce(q.reserved_amount, 0) as reserved,
               coalesce(sum(o.amount) filter (where o.status = 'DELIVERED'), 0) as delivered,
               coalesce(sum(o.amount) filter (where o.status in ('RESERVED', 'SHIPPED')), 0) as open
        from scoped u
        left join quotas q on q.budget_unit_id = u.id and q.year = ${year}
        left join orders o on o.budget_unit_id = u.id and o.year = ${year}
        group by u.id, u.parent_id, q.reserved_amount)`;

    const units = await this.database.rows<UnitProgressRow>(sql`
      with ${perUnit}
      select unit_id, reserved::text, delivered::text, open::text, ${rate("delivered", "reserved")} as rate
      from per_unit order by unit_id`);

    const supervisingUnits = await this.database.rows<UnitProgressRow>(sql`
      with recursive ${perUnit},
      closure(ancestor, descendant) as (
        select unit_id, unit_id from per_unit
        union all
        select c.ancestor, p.unit_id from closure c join per_unit p on p.parent_id = c.descendant)
      select c.ancestor as unit_id, sum(p.reserved)::text as reserved, sum(p.delivered)::text as delivered, sum(p.open)::text as open,
             ${rate("sum(p.delivered)", "sum(p.reserved)")} as rate
      from closure c join per_unit p on p.unit_id = c.descendant
      where c.ancestor in (select parent_id from per_unit where parent_id is not null)
      group by c.ancestor order by c.ancestor`);

    const [totals] = await this.database.rows<{ reserved: string; delivered: string; open: string; rate: string | null }>(sql`
      with ${perUnit}
      select coalesce(sum(reserved), 0)::text as reserved, coalesce(sum(delivered), 0)::text as delivered,
             coalesce(sum(open), 0)::text as open, ${rate("coalesce(sum(delivered), 0)", "coalesce(sum(reserved), 0)")} as rate
      from per_unit`);

    const delivered = (key: SQL) => sql`
      select ${key} as key, sum(o.amount)::text as amount
      from orders o join products p on p.id = o.product_id
      where o.year = ${year} and o.status = 'DELIVERED'
        and o.budget_unit_id in (select id from (${scoped}) s)
      group by 1 order by 1`;
    const byOriginCounty = await this.database.rows<AmountRow>(delivered(sql`p.origin_county_code`));
    const byCategory = await this.database.rows<AmountRow>(delivered(sql`p.category::text`));
    const byMonth = await this.database.rows<AmountRow>(delivered(sql`to_char(o.delivered_at at time zone 'UTC', 'YYYY-MM')`));
    return { year, countyCode, totals: totals!, units, supervisingUnits, byOriginCounty, byCategory, byMonth };
  }
}
