import { type Column, type SQL, eq, sql } from "drizzle-orm";
import { businessTimeZoneName } from "../../clock.js";
import type { Drizzle } from "../../db/client.js";
import { UserErrorCode, UserFacingError } from "../../errors.js";
import { enterpriseStatusHistory } from "./enterprise-status.schema.js";
import { enterprises } from "./enterprise.schema.js";

/**
 * SQL pieces other modules compose instead of naming the enterprises tables. Exported by the face.
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
 * Whether the enterprise `enterpriseId` (a column of the caller's row) is VERIFIED now: only then
 * are its products in the catalog, orderable, and may it create products, pairings and links.
 *
 * `lock: true` (for writes that depend on it: taking supply, inserting a pairing) takes a FOR SHARE
 * lock on the enterprise's row for the caller's transaction: a concurrent suspension (an UPDATE of
 * that row) then waits for the caller to commit, and a caller that waited on a suspension re-reads
 * the row and finds it no longer VERIFIED. One or the other happens first, never both at once.
 */
export function enterpriseIsVerified(enterpriseId: Column | SQL, { lock = false }: { lock?: boolean } = {}): SQL {
  return sql`exists (select 1 from ${enterprises} where ${enterprises.id} = ${enterpriseId}
                   and ${enterprises.status} = 'VERIFIED'${lock ? sql` for share` : sql``})`;
}

/**
 * `enterpriseIsVerified` for a statement that already joins the enterprise's row under its own name
 * (`"enterprises"`, a catalog page's join): the same rows, read from the joined row instead of a probe
 * of its own (a quarter of the catalog page statement's time in PostgreSQL).
 */
export function joinedEnterpriseIsVerified(): SQL {
  return sql`${enterprises.status} = 'VERIFIED'`;
}

/** The first instant after business day `day` (China time by default): a constant of the statement. */
function endOfBusinessDay(day: string): SQL {
  return sql`((${day}::date + 1)::timestamp at time zone ${sql.raw(`'${businessTimeZoneName()}'`)})`;
}

/**
 * Each enterprise's standing at the end of business day `day`, rebuilt from the status history:
 * rows `(enterprise_id, status, kind)` of the last change on or before that day (`kind` as an office
 * confirmed it). Enterprises with no change by then (never verified) have no row.
 */
export function enterpriseStandingsOn(day: string): SQL {
  const h = enterpriseStatusHistory;
  return sql`select distinct on (${h.enterpriseId}) ${h.enterpriseId} as enterprise_id, ${h.status} as status, ${h.kind} as kind
             from ${h} where ${h.at} < ${endOfBusinessDay(day)}
             order by ${h.enterpriseId}, ${h.at} desc, ${h.seq} desc`;
}

/**
 * Ids of the enterprises VERIFIED on `day` whose office-confirmed kind is leading (any tier) or scale:
 * the ones that count for the pairing indicator (DOMAIN.md). A self-declared kind, an enterprise
 * not yet verified on that day, or one suspended on it, counts for nothing.
 * A subquery: `x in (${leadingOrScaleEnterpriseIds(day)})`.
 */
export function leadingOrScaleEnterpriseIds(day: string): SQL {
  return sql`select s.enterprise_id from (${enterpriseStandingsOn(day)}) s
             where s.status = 'VERIFIED' and s.kind in ('LEADING_NATIONAL', 'LEADING_PROVINCIAL', 'LEADING_PREFECTURE', 'SCALE')`;
}

/**
 * Ids of the enterprises SUSPENDED on `day` (by the status history): their pairings and benefit
 * links do not count on that day. A subquery: `x not in (${enterprisesSuspendedOn(day)})`.
 */
export function enterprisesSuspendedOn(day: string): SQL {
  return sql`select s.enterprise_id from (${enterpriseStandingsOn(day)}) s where s.status = 'SUSPENDED'`;
}

/**
 * The guard of every write only a VERIFIED enterprise may make (products, pairings, benefit links),
 * run in the writer's transaction: reads the enterprise's status with a FOR SHARE lock, so a
 * suspension waits for the write to commit (or the write, having waited, sees the suspension).
 * Throws NOT_FOUND for no enterprise, ENTERPRISE_NOT_VERIFIED for a PENDING or SUSPENDED one.
 * Signature: `assertEnterpriseVerified(tx: Drizzle, enterpriseId: string, field?: string[]): Promise<void>`.
 */
export async function assertEnterpriseVerified(tx: Drizzle, enterpriseId: string, field: string[] = ["input", "enterpriseId"]): Promise<void> {
  const [row] = await tx.select({ status: enterprises.status }).from(enterprises).where(eq(enterprises.id, enterpriseId)).for("share");
  if (!row) throw new UserFacingError(UserErrorCode.NOT_FOUND, "No such enterprise", field);
  if (row.status !== "VERIFIED") throw notVerified(row.status, field);
}

/** The refusal of a write by an enterprise that is not VERIFIED. */
export function notVerified(status: string, field: string[] = ["input", "enterpriseId"]): UserFacingError {
  return new UserFacingError(UserErrorCode.ENTERPRISE_NOT_VERIFIED, `企业尚未核实或已暂停 The enterprise is ${status}, not VERIFIED`, field);
}

/**
 * Whether an enterprise was SUSPENDED at the end of business day `day`, by its status history: a
 * boolean expression over SQL expressions of a row (one probe of the (enterprise_id, at, seq) index).
 */
export function suspendedOnDay(enterpriseId: SQL, day: SQL): SQL {
  const h = enterpriseStatusHistory;
  const zone = sql.raw(`'${businessTimeZoneName()}'`);
  return sql`coalesce((select ${h.status} from ${h}
                       where ${h.enterpriseId} = ${enterpriseId} and ${h.at} < ((${day})::date + 1)::timestamp at time zone ${zone}
                       order by ${h.at} desc, ${h.seq} desc limit 1) = 'SUSPENDED', false)`;
}
