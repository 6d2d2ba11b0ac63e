import { type SQL, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";

/** A ratio counted in the database, in total and per county. */
export interface Coverage {
  numerator: number;
  denominator: number;
  byCounty: { countyCode: string; numerator: number; denominator: number }[];
}

export interface Pipeline {
  byCountyAndStatus: { countyCode: string; status: string; count: number }[];
  listedByCategory: { category: string; count: number }[];
  expiringWithin60Days: number;
}

/** Leading (any tier) or scale enterprises count for the pairing indicator (DOMAIN.md). */
const LEADING_OR_SCALE = sql`('LEADING_NATIONAL', 'LEADING_PROVINCIAL', 'LEADING_PREFECTURE', 'SCALE')`;

const active = (alias: string, day: string) =>
  sql`${sql.raw(alias)}.start_date <= ${day}::date and (${sql.raw(alias)}.end_date is null or ${sql.raw(alias)}.end_date >= ${day}::date)`;

/**
 * The plan's indicators, each one aggregate statement over the records (grouping sets give the
 * per-county rows and the total together). A pairing or link is active on a day when it started on
 * or before it and has no end or ends on or after it.
 */
export class IndicatorsService {
  constructor(private readonly database: Database) {}

  private async coverage(statement: SQL): Promise<Coverage> {
    const rows = await this.database.rows<{ county_code: string | null; numerator: number; denominator: number }>(statement);
    const total = rows.find((r) => r.county_code === null);
    return {
      numerator: Number(total?.numerator ?? 0),
      denominator: Number(total?.denominator ?? 0),
      byCounty: rows
        .filter((r) => r.county_code !== null)
        .map((r) => ({ countyCode: r.county_code!, numerator: Number(r.numerator), denominator: Number(r.denominator) })),
    };
  }

  /** 千企帮千村: poor villages with an active pairing by a leading or scale enterprise ÷ poor villages. */
  pairingCoverage(countyCode: string | null, day: string): Promise<Coverage> {
    return this.coverage(sql`
      select left(v.code, 6) as county_code, count(*)::int as denominator,
             count(*) filter (where exists (
               select 1 from pairings p join enterprises e on e.id = p.enterprise_id
               where p.village_code = v.code and e.kind in ${LEADING_OR_SCALE} and ${active("p", day)}))::int as numerator
      from divisions v
      where v.level = 'VILLAGE' and v.is_poor_village ${countyCode ? sql`and left(v.code, 6) = ${countyCode}` : sql``}
      group by grouping sets ((left(v.code, 6)), ())`);
  }

  /**
   * Households able and willing to work with an active benefit link ÷ all such households. The
   * linked households are found once (a hash of distinct ids), not probed per household: linear in size.
   */
  householdLinkCoverage(countyCode: string | null, day: string): Promise<Coverage> {
    return this.coverage(sql`
      select h.county_code, count(*)::int as denominator, count(l.household_id)::int as numerator
      from households h
      left join (select distinct household_id from benefit_links l where ${active("l", day)}) l on l.household_id = h.id
      where h.labor_capacity and h.development_willingness ${countyCode ? sql`and h.county_code = ${countyCode}` : sql``}
      group by grouping sets ((h.county_code), ())`);
  }

  /** Poor villages with at least one household holding an active benefit link ÷ poor villages. */
  villageLinkCoverage(countyCode: string | null, day: string): Promise<Coverage> {
    return this.coverage(sql`
      select left(v.code, 6) as county_code, count(*)::int as denominator,
             count(*) filter (where exists (select 1 from benefit_links l where l.village_code = v.code and ${active("l", day)}))::int as numerator
      from divisions v
      where v.level = 'VILLAGE' and v.is_poor_village ${countyCode ? sql`and left(v.code, 6) = ${countyCode}` : sql``}
      group by grouping sets ((left(v.code, 6)), ())`);
  }

  /** Products per status per county (EXPIRED: listed but past validity), listed per category, expiring soon. */
  async certificationPipeline(countyCode: string | null, day: string): Promise<Pipeline> {
    const county = countyCode ? sql`and origin_county_code = ${countyCode}` : sql``;
    const byCountyAndStatus = await this.database.rows<{ county_code: string; status: string; count: number }>(sql`
      select origin_county_code as county_code,
             case when status = 'LISTED' and valid_until < ${day}::date then 'EXPIRED' else status::text end as status,
             count(*)::int as count
      from products where true ${county} group by 1, 2 order by 1, 2`);
    const listedByCategory = await this.database.rows<{ category: string; count: number }>(sql`
      select category::text as category, count(*)::int as count from products
      where status = 'LISTED' and valid_until >= ${day}::date ${county} group by 1 order by 1`);
    const [expiring] = await this.database.rows<{ count: number }>(sql`
      select count(*)::int as count from products
      where status = 'LISTED' and valid_until >= ${day}::date and valid_until < ${day}::date + 60 ${county}`);
    return {
      byCountyAndStatus: byCountyAndStatus.map((r) => ({ countyCode: r.county_code, status: r.status, count: Number(r.count) })),
      listedByCategory: listedByCategory.map((r) => ({ category: r.category, count: Number(r.count) })),
      expiringWithin60Days: Number(expiring?.count ?? 0),
    };
  }
}
