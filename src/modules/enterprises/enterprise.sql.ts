import { type Column, type SQL, sql } from "drizzle-orm";
import { enterprises } from "./enterprise.schema.js";

/**
 * SQL pieces other modules compose instead of naming the enterprises table. Exported by the face.
 */

/**
 * Whether the enterprise `enterpriseId` (a column of the caller's row, e.g. products.enterprise_id)
 * has a name containing `lowercased` (already lower-cased): `exists (select 1 from enterprises ...)`.
 * The catalog's search uses it (name, brand or enterprise name).
 */
export function enterpriseNameContains(enterpriseId: Column | SQL, lowercased: string): SQL {
  return sql`exists (select 1 from ${enterprises} where ${enterprises.id} = ${enterpriseId}
                   and strpos(lower(${enterprises.name}), ${lowercased}) > 0)`;
}

/**
 * Ids of leading (any tier) or scale enterprises: the ones that count for the pairing indicator
 * (DOMAIN.md). A subquery: `x in (${leadingOrScaleEnterpriseIds()})`.
 */
export function leadingOrScaleEnterpriseIds(): SQL {
  return sql`select ${enterprises.id} from ${enterprises}
             where ${enterprises.kind} in ('LEADING_NATIONAL', 'LEADING_PROVINCIAL', 'LEADING_PREFECTURE', 'SCALE')`;
}
