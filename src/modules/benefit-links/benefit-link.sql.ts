import { type SQL, sql } from "drizzle-orm";
import { activeOn } from "../pairings/index.js";
import { benefitLinks } from "./benefit-link.schema.js";

// SQL pieces other modules compose (the benefit-link indicators), so none names this module's table.
// A link counts on `day` when it is active then and its enterprise was not suspended that day
// (activeOn with the enterprise: the suspended ones are found once, a hashed `not in`).

/** `select distinct household_id` of the households holding a link active on `day`. */
export function householdsLinkedOn(day: string): SQL {
  return sql`select distinct household_id from ${benefitLinks} l where ${activeOn(sql`l.start_date`, sql`l.end_date`, day, sql`l.enterprise_id`)}`;
}

/**
 * Whether the household (an expression of the caller's query, e.g. `h.id`) holds a link active on
 * `day`. In a WHERE clause PostgreSQL makes it a semi-join (hashed, spilling in batches when large),
 * which stays linear where `id in (select distinct ...)` needs a hash of every linked household.
 */
export function householdLinkedOn(householdId: SQL, day: string): SQL {
  return sql`exists (select 1 from ${benefitLinks} l where l.household_id = ${householdId} and ${activeOn(sql`l.start_date`, sql`l.end_date`, day, sql`l.enterprise_id`)})`;
}

/** Whether the village (an expression of the caller's query) has a household holding a link active on `day`. */
export function villageLinkedOn(villageCode: SQL, day: string): SQL {
  return sql`exists (select 1 from ${benefitLinks} l where l.village_code = ${villageCode} and ${activeOn(sql`l.start_date`, sql`l.end_date`, day, sql`l.enterprise_id`)})`;
}
