import { type SQL, sql } from "drizzle-orm";
import { pairings } from "./pairing.schema.js";
import { activeOn } from "./pairings.service.js";

/**
 * A SQL piece other modules compose (the pairing indicator): whether the village (an expression of
 * the caller's query) has a pairing active on `day` by one of `enterpriseIds` (a subquery of ids,
 * e.g. the enterprises' `leadingOrScaleEnterpriseIds(day)`, which already leaves out the enterprises
 * suspended on `day`).
 */
export function villagePairedOn(villageCode: SQL, day: string, enterpriseIds: SQL): SQL {
  return sql`exists (select 1 from ${pairings} p
    where p.village_code = ${villageCode} and p.enterprise_id in (${enterpriseIds})
      and ${activeOn(sql`p.start_date`, sql`p.end_date`, day)})`;
}
