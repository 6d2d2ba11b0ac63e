import { type SQL, sql } from "drizzle-orm";
import { households } from "./household.schema.js";

/**
 * SQL pieces other modules compose (the indicators count over households without naming the table).
 * `select id, county_code` of the households able and willing to work (有劳动能力和发展意愿), in one
 * county or all, in id order: the partial index households_able_willing_idx (id, county_code) serves
 * it by an index-only scan, ready to be merged with another list in household order.
 */
export function ableAndWillingHouseholds(countyCode: string | null): SQL {
  return sql`select id, county_code from ${households}
    where labor_capacity and development_willingness ${countyCode ? sql`and county_code = ${countyCode}` : sql``}
    order by id`;
}

/**
 * A table of incoming households (an import's staging table), one row per household number, with
 * `household_no, village_code, head_name, head_id_hash, head_id_masked, members, labor_capacity,
 * development_willingness, status, monitoring_reason`.
 */
export type HouseholdSource = SQL;

/** The facts an import carries (exit year and the rest stay as they are). */
const importedFacts = ["village_code", "head_name", "head_id_hash", "members", "labor_capacity", "development_willingness", "status", "monitoring_reason"];

/** Whether the household row `existing` differs from the incoming row `incoming` in any imported fact. */
export function householdDiffers(existing: string, incoming: string): SQL {
  const list = (alias: string) => importedFacts.map((c) => `${alias}.${c}`).join(", ");
  return sql.raw(`(${list(existing)}) is distinct from (${list(incoming)})`);
}

/**
 * The one statement that upserts a source into households by household number (户编号): new numbers
 * are inserted, rows whose facts differ are updated (version + 1), equal rows are not touched at all.
 * Rows are taken in household-number order, so two merges lock in the same order. Answers
 * `{ inserted, updated }` (`xmax = 0` marks a row the statement inserted rather than updated).
 */
export function mergeHouseholdsFrom(source: HouseholdSource): SQL {
  const set = [...importedFacts, "head_id_masked", "county_code"].map((c) => `${c} = excluded.${c}`).join(", ");
  return sql`with merged as (
      insert into ${households} as h (household_no, village_code, county_code, head_name, head_id_hash, head_id_masked,
        members, labor_capacity, development_willingness, status, monitoring_reason)
      select household_no, village_code, left(village_code, 6), head_name, head_id_hash, head_id_masked,
        members, labor_capacity, development_willingness, status, monitoring_reason
      from ${source} order by household_no
      on conflict (household_no) do update set ${sql.raw(set)}, updated_at = now(), version = h.version + 1
      where ${householdDiffers("h", "excluded")}
      returning (xmax = 0) as inserted)
    select (count(*) filter (where inserted))::int as inserted, (count(*) filter (where not inserted))::int as updated from merged`;
}
