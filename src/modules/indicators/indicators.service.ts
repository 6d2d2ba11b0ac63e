import { type SQL, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { householdsLinkedOnInOrder, villageLinkOn } from "../benefit-links/index.js";
import { productStatusesOn } from "../certification/index.js";
import { leadingOrScaleEnterpriseIds } from "../enterprises/index.js";
import { type DivisionRow, poorVillages } from "../geography/index.js";
import { ableAndWillingHouseholds } from "../households/index.js";
import { villagePairedOn } from "../pairings/index.js";
import { COLLECTIVE_INCOME_LINE, villageCollectiveIncomes } from "../collective-income/index.js";

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
  /** the soonest EXPIRING_LISTED of them, by last day of validity (then product id) */
  expiringListings: { productId: string; countyCode: string; validUntil: string }[];
}

/** How many of the listings expiring within 60 days certificationPipeline lists (it counts them all). */
export const EXPIRING_LISTED = 100;

/**
 * The plan's indicators, each one aggregate statement over the records (grouping sets give the
 * per-county rows and the total together). A pairing or link is active on a day when it started on
 * or before it and has no end or ends on or after it, and its enterprise was not suspended that day
 * (the enterprises' status history as of `day`).
 *
 * Every table is reached through a SQL piece its owner exports (places, enterprises, products,
 * households, pairings, benefit links): this module names no table.
 */
export class IndicatorsService {
  constructor(
    private readonly database: Database,
    /** LISTING_VALIDITY_YEARS: how long a listing lasted, for listings since superseded (see productStatusesOn) */
    private readonly listingValidityYears = 2,
  ) {}

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

  /**
   * 千企帮千村: poor villages with an active pairing by a leading or scale enterprise ÷ poor villages.
   * Leading or scale as an office confirmed it, and VERIFIED on `day` (the status history): a
   * self-declared kind, a not-yet-verified or a suspended enterprise counts for nothing.
   */
  pairingCoverage(countyCode: string | null, day: string): Promise<Coverage> {
    return this.coverage(sql`
      select v.county_code, count(*)::int as denominator,
             count(*) filter (where ${villagePairedOn(sql`v.code`, day, leadingOrScaleEnterpriseIds(day))})::int as numerator
      from (${poorVillages(countyCode)}) v
      group by grouping sets ((v.county_code), ())`);
  }

  /**
   * Households able and willing to work with an active benefit link ÷ all such households, in one
   * pass: the households in id order (an index-only scan) left-joined with the linked households in
   * household order (an index-only scan of the links), so PostgreSQL merges the two lists instead of
   * hashing every active link (which outgrew work_mem and spilled at 190,000 households). Each
   * household meets at most one row (the linked list is distinct): `count(*)` is the denominator,
   * `count(l.household_id)` the numerator.
   */
  householdLinkCoverage(countyCode: string | null, day: string): Promise<Coverage> {
    return this.coverage(sql`
      select h.county_code, count(*)::int as denominator, count(l.household_id)::int as numerator
      from (${ableAndWillingHouseholds(countyCode)}) h
      left join (${householdsLinkedOnInOrder(day)}) l on l.household_id = h.id
      group by grouping sets ((h.county_code), ())`);
  }

  /**
   * Poor villages with at least one household holding an active benefit link ÷ poor villages: one
   * probe of the links' village index per poor village (a LATERAL with LIMIT 1), never a hash of
   * every active link.
   */
  villageLinkCoverage(countyCode: string | null, day: string): Promise<Coverage> {
    return this.coverage(sql`
      select v.county_code, count(*)::int as denominator, count(x.linked)::int as numerator
      from (${poorVillages(countyCode)}) v
      left join lateral (${villageLinkOn(sql`v.code`, day)}) x on true
      group by grouping sets ((v.county_code), ())`);
  }

  /**
   * 村级集体经济收入 5 万元以上: poor villages whose collective income in the year of `day` (every
   * source) is at least 50,000 yuan ÷ poor villages. A village with no record has no income.
   */
  collectiveIncomeCoverage(countyCode: string | null, day: string): Promise<Coverage> {
    return this.coverage(sql`
      select v.county_code, count(*)::int as denominator,
             count(*) filter (where i.income >= ${COLLECTIVE_INCOME_LINE}::numeric)::int as numerator
      from (${poorVillages(countyCode)}) v
      left join (${villageCollectiveIncomes(Number(day.slice(0, 4)))}) i on i.village_code = v.code
      group by grouping sets ((v.county_code), ())`);
  }

  /**
   * The poor villages below the collective-income line in `year`, by code, with their income (0 without
   * a record) and their division row (public reference data: no second statement for their names).
   */
  async villagesBelowCollectiveIncomeLine(countyCode: string | null, year: number): Promise<{ villageCode: string; income: string; village: DivisionRow }[]> {
    const rows = await this.database.rows<{ code: string; name: string; parent_code: string | null; exit_year: number | null; income: string }>(sql`
      select v.code, v.name, v.parent_code, v.exit_year, coalesce(i.income, 0)::text as income
      from (${poorVillages(countyCode)}) v
      left join (${villageCollectiveIncomes(year)}) i on i.village_code = v.code
      where coalesce(i.income, 0) < ${COLLECTIVE_INCOME_LINE}::numeric
      order by v.code`);
    return rows.map((r) => ({
      villageCode: r.code,
      income: r.income,
      village: { code: r.code, name: r.name, level: "VILLAGE", parentCode: r.parent_code, isPoorVillage: true, exitYear: r.exit_year == null ? null : Number(r.exit_year) },
    }));
  }

  /**
   * Products per status per county (EXPIRED: listed but past validity), listed per category, expiring
   * within 60 days (counted, and the soonest listed) — all as the products stood on `day` (China time), rebuilt from the certification events:
   * products created later are absent, and each counts in the status its last event by then gave it.
   */
  async certificationPipeline(countyCode: string | null, day: string): Promise<Pipeline> {
    const facts = productStatusesOn(day, countyCode, this.listingValidityYears);
    const byCountyAndStatus = await this.database.rows<{ county_code: string; status: string; count: number }>(sql`
      select origin_county_code as county_code,
             case when status = 'LISTED' and valid_until < ${day}::date then 'EXPIRED' else status::text end as status,
             count(*)::int as count
      from (${facts}) p group by 1, 2 order by 1, 2`);
    const listedByCategory = await this.database.rows<{ category: string; count: number }>(sql`
      select category::text as category, count(*)::int as count from (${facts}) p
      where status = 'LISTED' and valid_until >= ${day}::date group by 1 order by 1`);
    // The count and the soonest listings in one statement (the window counts them all before the limit).
    const expiring = await this.database.rows<{ id: string; origin_county_code: string; valid_until: string; total: number }>(sql`
      select id, origin_county_code, valid_until::text as valid_until, count(*) over ()::int as total from (${facts}) p
      where status = 'LISTED' and valid_until >= ${day}::date and valid_until < ${day}::date + 60
      order by valid_until, id limit ${EXPIRING_LISTED}`);
    return {
      byCountyAndStatus: byCountyAndStatus.map((r) => ({ countyCode: r.county_code, status: r.status, count: Number(r.count) })),
      listedByCategory: listedByCategory.map((r) => ({ category: r.category, count: Number(r.count) })),
      expiringWithin60Days: Number(expiring[0]?.total ?? 0),
      expiringListings: expiring.map((r) => ({ productId: r.id, countyCode: r.origin_county_code, validUntil: r.valid_until })),
    };
  }
}
