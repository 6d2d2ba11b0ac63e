import { sql } from "drizzle-orm";
import { type Actor, type Policy, jurisdictionCovers, jurisdictionPrefix } from "../../actor.js";
import { type HouseholdRow, households } from "./household.schema.js";

/**
 * 建档立卡户 hold personal data: only poverty offices (their jurisdiction) and admins see a
 * household at all — by list, by ID, or through a benefit link. Nobody else, ever.
 */
export const householdPolicy: Policy<HouseholdRow> = {
  scope(actor) {
    if (actor.kind !== "user") return null;
    if (actor.role === "ADMIN") return sql`true`;
    if (actor.role === "REVIEWER" && actor.divisionCode) return sql`${households.countyCode} like ${`${jurisdictionPrefix(actor.divisionCode)}%`}`;
    return null;
  },
  may(actor, rows) {
    return rows.map((row) => {
      if (actor.kind !== "user") return false;
      if (actor.role === "ADMIN") return true;
      return actor.role === "REVIEWER" && actor.divisionCode != null && jurisdictionCovers(actor.divisionCode, row.countyCode);
    });
  },
};

/** The head's name whole: admins and the office of the household's own county (DOMAIN.md); others see it masked. */
export function maySeeHeadName(actor: Actor, household: Pick<HouseholdRow, "countyCode">): boolean {
  if (actor.kind !== "user") return false;
  return actor.role === "ADMIN" || (actor.role === "REVIEWER" && actor.divisionCode === household.countyCode);
}
