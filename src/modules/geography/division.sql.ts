import { type SQL, sql } from "drizzle-orm";
import { divisions } from "./division.schema.js";

/**
 * SQL pieces other modules compose instead of naming the divisions table. Exported by the face.
 */

/**
 * The registered poor villages (贫困村, exited ones included: the plan consolidates them), as rows
 * `(code, county_code)`, of one county or of the whole prefecture. Use as `from (${poorVillages(c)}) v`.
 */
export function poorVillages(countyCode: string | null): SQL {
  return sql`select ${divisions.code} as code, left(${divisions.code}, 6) as county_code from ${divisions}
             where ${divisions.level} = 'VILLAGE' and ${divisions.isPoorVillage}
             ${countyCode ? sql`and left(${divisions.code}, 6) = ${countyCode}` : sql``}`;
}
