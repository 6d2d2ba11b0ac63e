import { type SQL, sql } from "drizzle-orm";
import { businessToday } from "../../clock.js";
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
 * The same households in household order (the link-coverage indicator). The ORDER BY keeps it a
 * subquery with sorted output: at scale PostgreSQL reads benefit_links_household_active_idx in order
 * (index-only, one pass) and merges it with a list of households in id order, with no hash of every
 * active link or linked household (which outgrew work_mem and spilled at 190,000 households).
 */
export function householdsLinkedOnInOrder(day: string): SQL {
  return sql`${householdsLinkedOn(day)} order by household_id`;
}

/**
 * A LATERAL subquery: one row `(linked: true)` when the village (an expression of the caller's
 * query, e.g. `v.code`) has a household holding a link active on `day`, none otherwise. The LIMIT
 * makes it a probe of benefit_links_village_idx per village (stopping at the first active link),
 * never a hash of every active link. Use as `left join lateral (...) x on true`, count `x.linked`.
 */
export function villageLinkOn(villageCode: SQL, day: string): SQL {
  return sql`select true as linked from ${benefitLinks} l
    where l.village_code = ${villageCode} and ${activeOn(sql`l.start_date`, sql`l.end_date`, day, sql`l.enterprise_id`)} limit 1`;
}

/**
 * 带贫人数 of a product (an expression of the caller's query, e.g. `"products"."id"`): its distinct
 * households with a link active today, as `Product.beneficiaryHouseholdCount` counts them (0 when none).
 */
export function beneficiaryHouseholdCountOf(productId: SQL, day = businessToday()): SQL {
  return sql`(select count(distinct l.household_id)::int from ${benefitLinks} l where l.product_id = ${productId} and ${activeOn(sql`l.start_date`, sql`l.end_date`, day, sql`l.enterprise_id`)})`;
}
