import { type SQL, sql } from "drizzle-orm";
import { households } from "./household.schema.js";

/**
 * SQL pieces other modules compose (the indicators count over households without naming the table).
 * `select id, county_code` of the households able and willing to work (有劳动能力和发展意愿), in one
 * county or all; the partial index households_able_willing_idx serves it.
 */
export function ableAndWillingHouseholds(countyCode: string | null): SQL {
  return sql`select id, county_code from ${households}
    where labor_capacity and development_willingness ${countyCode ? sql`and county_code = ${countyCode}` : sql``}`;
}
