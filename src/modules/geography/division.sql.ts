import { type SQL, sql } from "drizzle-orm";
import { divisions } from "./division.schema.js";

/**
 * SQL pieces other modules compose instead of naming the divisions table. Exported by the face.
 */

/**
 * The registered poor villages (贫困村, exited ones included: the plan consolidates them), as rows
 * `(code, county_code, name, parent_code, exit_year)`, of one county or of the whole prefecture. Use as `from (${poorVillages(c)}) v`.
 */
export function poorVillages(countyCode: string | null): SQL {
  return sql`select ${divisions.code} as code, left(${divisions.code}, 6) as county_code,
                    ${divisions.name} as name, ${divisions.parentCode} as parent_code, ${divisions.exitYear} as exit_year from ${divisions}
             where ${divisions.level} = 'VILLAGE' and ${divisions.isPoorVillage}
             ${countyCode ? sql`and left(${divisions.code}, 6) = ${countyCode}` : sql``}`;
}
