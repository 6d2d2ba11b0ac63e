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
 * - Otherwise the last status change on or before the day decides (`to_status`). PRICE_CHANGED
 *   entries keep the status but are no listing day (the listed day below is the last entry's), so
 *   they are skipped. Two steps of one product at the same instant would need two transactions
 *   started in the same millisecond, one waiting for the other's row lock; their order is then the index's.
 * - `valid_until` is set only when that status is LISTED: the end of the listing in force that day.
 *   When the product's catalog entry was written by then (its `valid_from`, the day of its 入录, is
 *   not after `day`), it is that listing's entry: its own `valid_until`. When a re-listing after
 *   `day` has overwritten the entry, the listing in force that day is taken to have lasted
 *   `listingValidityYears` from the day it was listed, minus a day (as `validUntilFor` computes it;
 *   exact while the setting has not changed). A LISTED row whose `valid_until` is before the day is
 *   an expired listing: callers decide how to show it (the indicators say EXPIRED).
 *
 * Aggregate, linear in products and events: one pass over the events up to that day in the order
 * of the (product_id, at) index, read backwards so the first of each product is its last (no sort;
 * only the county's products when `countyCode` is given), hash-joined to the products; no per-row
 * time-zone arithmetic on the common path. Origin county and category are the product's current ones.
 * Signature: `productStatusesOn(day: string, countyCode?: string | null, listingValidityYears?: number): SQL`.
 */
/** validUntilFor(listed day, years) in SQL: the same day `years` later, rolling over as Date.UTC does, minus one day. */
function listingLastDay(listedDay: SQL, listingValidityYears: number): SQL {
  return sql`(make_date(extract(year from ${listedDay})::int + ${listingValidityYears}::int, extract(month from ${listedDay})::int, 1)
              + (extract(day from ${listedDay})::int - 2))`;
}

export function productStatusesOn(day: string, countyCode: string | null = null, listingValidityYears = 2): SQL {
  const e = certificationEvents;
  const end = endOfBusinessDay(day);
  const zone = sql.raw(`'${businessTimeZoneName()}'`);
  const lastedYears = listingLastDay(sql`(s.at at time zone ${zone})::date`, listingValidityYears);
  return sql`select p.id, p.origin_county_code, p.category,
                    coalesce(s.status, 'DRAFT') as status,
                    case when s.status = 'LISTED'
                         then case when p.valid_from <= ${day}::date then p.valid_until else ${lastedYears} end
                    end as valid_until
             from (${productFacts(countyCode)}) p
             left join (
               select distinct on (${e.productId}) ${e.productId} as product_id, ${e.toStatus} as status, ${e.at} as at
               from ${e}
               where ${e.at} < ${end} and ${e.kind} = 'STATUS_CHANGED'${countyCode ? sql` and ${e.productId} in ${productIdsInJurisdiction(countyCode)}` : sql``}
               order by ${e.productId} desc, ${e.at} desc
             ) s on s.product_id = p.id
             where p.created_at < ${end}`;
}

/**
 * Whether a product was LISTED at the end of business day `day` (China time), by its last status
 * change on or before that day: a boolean expression over SQL expressions of a row (`p.id`,
 * `l.sold_on`), one probe of the (product_id, at) index each. Validity windows are the caller's.
 */
export function listedOnDay(productId: SQL, day: SQL): SQL {
  const e = certificationEvents;
  const zone = sql.raw(`'${businessTimeZoneName()}'`);
  return sql`coalesce((select ${e.toStatus} from ${e}
                       where ${e.productId} = ${productId} and ${e.kind} = 'STATUS_CHANGED'
                         and ${e.at} < ((${day})::date + 1)::timestamp at time zone ${zone}
                       order by ${e.at} desc limit 1) = 'LISTED', false)`;
}

/**
 * The unit prices a product had during business day `day` (China time) by its recorded price changes
 * (the events with old and new prices: PRICE_CHANGED, or a step a price change caused), as text: the
 * price at the start of the day (the last change before it: its new price; else the first change after
 * it: its old price), then each price set that day, comma-separated; '' when no change is recorded
 * (the product's current price is then the only one known). Over SQL expressions of a row (`d.product_id`,
 * `d.sold_on`): three probes of the (product_id, at) index.
 */
export function unitPricesOnDay(productId: SQL, day: SQL): SQL {
  const e = certificationEvents;
  const zone = sql.raw(`'${businessTimeZoneName()}'`);
  const start = sql`((${day})::date::timestamp at time zone ${zone})`;
  const end = sql`(((${day})::date + 1)::timestamp at time zone ${zone})`;
  return sql`concat_ws(',',
    coalesce((select ${e.newUnitPrice} from ${e} where ${e.productId} = ${productId} and ${e.newUnitPrice} is not null and ${e.at} < ${start}
              order by ${e.at} desc limit 1),
             (select ${e.oldUnitPrice} from ${e} where ${e.productId} = ${productId} and ${e.oldUnitPrice} is not null and ${e.at} >= ${start}
              order by ${e.at} asc limit 1))::text,
    (select string_agg(${e.newUnitPrice}::text, ',' order by ${e.at}) from ${e}
     where ${e.productId} = ${productId} and ${e.newUnitPrice} is not null and ${e.at} >= ${start} and ${e.at} < ${end}))`;
}

/**
 * The last day of the listing a product was in on business day `day` (China time), or null when it
 * was not LISTED then — as `productStatusesOn` reckons it, for one row: when the catalog entry was
 * written by then (`validFrom` not after the day) its own `validUntil`; when a re-listing after the day
 * has overwritten the entry (a listing renewed, or re-certified after a change), the listing in force
 * that day lasted `listingValidityYears` from the day it was listed, minus a day. Over SQL expressions
 * of a row (`d.product_id`, `d.sold_on`, `d.valid_from`, `d.valid_until`): one probe of the (product_id, at) index.
 */
export function listingLastDayOn(productId: SQL, day: SQL, validFrom: SQL, validUntil: SQL, listingValidityYears = 2): SQL {
  const e = certificationEvents;
  const zone = sql.raw(`'${businessTimeZoneName()}'`);
  return sql`(select case when s.to_status <> 'LISTED' then null
                          when ${validFrom} <= (${day})::date then ${validUntil}
                          else ${listingLastDay(sql`(s.at at time zone ${zone})::date`, listingValidityYears)} end
              from (select ${e.toStatus} as to_status, ${e.at} as at from ${e}
                    where ${e.productId} = ${productId} and ${e.kind} = 'STATUS_CHANGED'
                      and ${e.at} < ((${day})::date + 1)::timestamp at time zone ${zone}
                    order by ${e.at} desc limit 1) s)`;
}
