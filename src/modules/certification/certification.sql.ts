import { type SQL, sql } from "drizzle-orm";
import { businessTimeZoneName } from "../../clock.js";
import { productFacts, productIdsInJurisdiction } from "../catalog/index.js";
import { certificationEvents } from "./certification.schema.js";

/**
 * The certification module's SQL pieces, composed into other modules' statements. Exported by the face.
 */

/** The first instant after a business day (its end, exclusive) in the business time zone, as SQL. */
function endOfBusinessDay(day: string): SQL {
  return sql`((${day}::date + 1)::timestamp at time zone ${sql.raw(`'${businessTimeZoneName()}'`)})`;
}

/**
 * 某日的认定状态 "status as of a day": each product as it stood at the end of business day `day`
 * (China time), rebuilt from the certification events, as rows `(id, origin_county_code, category,
 * status, valid_until)` — the columns of the catalog's `productFacts`, so `from (${...}) p` reads the
 * same. Use as `from (${productStatusesOn("2020-12-31")}) p`.
 *
 * - A product created after that day is absent; one with no event by then is DRAFT.
 * - Otherwise the last event on or before the day decides (`to_status`; ties on the instant by id).
 * - `valid_until` is set only when that status is LISTED: the end of the listing in force that day.
 *   For the product's latest listing it is the product's own `valid_until` (the entry written when
 *   it was listed); an earlier listing, since superseded by a re-listing that overwrote the entry, is
 *   taken to have lasted `listingValidityYears` from the day it was listed, minus a day (as
 *   `validUntilFor` computes it; exact while the setting has not changed). A LISTED row whose
 *   `valid_until` is before the day is an expired listing: callers decide how to show it.
 *
 * Aggregate: one pass over the events (of the county's products when `countyCode` is given),
 * grouped by product, hash-joined to the products. Origin county and category are the product's
 * current ones. Signature: `productStatusesOn(day: string, countyCode?: string | null, listingValidityYears?: number): SQL`.
 */
export function productStatusesOn(day: string, countyCode: string | null = null, listingValidityYears = 2): SQL {
  const e = certificationEvents;
  const end = endOfBusinessDay(day);
  const zone = sql.raw(`'${businessTimeZoneName()}'`);
  // validUntilFor(listed day, years) in SQL: the same day `years` later, rolling over as Date.UTC does, minus one day.
  const listedDay = sql`(s.listed_at at time zone ${zone})::date`;
  const superseded = sql`(make_date(extract(year from ${listedDay})::int + ${listingValidityYears}::int, extract(month from ${listedDay})::int, 1)
                          + (extract(day from ${listedDay})::int - 2))`;
  return sql`select p.id, p.origin_county_code, p.category,
                    coalesce(s.status, 'DRAFT') as status,
                    case when s.status = 'LISTED'
                         then case when s.listed_at = s.last_listed_at then p.valid_until else ${superseded} end
                    end as valid_until
             from (${productFacts(countyCode)}) p
             left join (
               select ${e.productId} as product_id,
                      (array_agg(${e.toStatus} order by ${e.at} desc, ${e.id} desc) filter (where ${e.at} < ${end}))[1] as status,
                      max(${e.at}) filter (where ${e.toStatus} = 'LISTED' and ${e.at} < ${end}) as listed_at,
                      max(${e.at}) filter (where ${e.toStatus} = 'LISTED') as last_listed_at
               from ${e}
               ${countyCode ? sql`where ${e.productId} in ${productIdsInJurisdiction(countyCode)}` : sql``}
               group by ${e.productId}
             ) s on s.product_id = p.id
             where p.created_at < ${end}`;
}
