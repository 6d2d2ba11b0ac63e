import { type SQL, and, asc, eq, sql } from "drizzle-orm";
import { jurisdictionPrefix } from "../../actor.js";
import { businessToday } from "../../clock.js";
import { anyOf } from "../../db/any-of.js";
import { preRenderedPerDay } from "../../db/pre-rendered.js";
import { enterpriseIsVerified, joinedEnterpriseIsVerified } from "../enterprises/index.js";
import type { Drizzle } from "../../db/client.js";
import { type ProductRow, products } from "./product.schema.js";

/**
 * The catalog's SQL pieces: the only writes and reads of `products` that other modules make, composed
 * into their own statements and transactions (no other module names the table). Exported by the face.
 */

/**
 * In the catalog: entered (LISTED), not past its validity on today's business day (expired
 * listings leave it at midnight China time, not UTC), and its enterprise VERIFIED (a suspended
 * enterprise's products are out of the catalog while it is suspended). A function: "today" moves.
 * Every catalog statement carries it: rendered once a day.
 */
export const inCatalog: () => SQL = preRenderedPerDay(
  (day) => sql`(${products.status} = 'LISTED' and ${products.validUntil} >= ${day}::date and ${enterpriseIsVerified(products.enterpriseId)})`,
);

/**
 * `inCatalog` for a statement that joins the product's enterprise as `"enterprises"` (a catalog page's
 * statement): the same rows, the enterprise's status read from the joined row.
 */
export const inCatalogWithEnterpriseJoined: () => SQL = preRenderedPerDay(
  (day) => sql`(${products.status} = 'LISTED' and ${products.validUntil} >= ${day}::date and ${joinedEnterpriseIsVerified()})`,
);

/**
 * The product's own part of `inCatalog`, for a row already loaded (e.g. through `node`); its
 * enterprise's status is not on the row: the product policy checks that part with one statement.
 */
export function isInCatalog(row: Pick<ProductRow, "status" | "validUntil">, now = new Date()): boolean {
  return row.status === "LISTED" && row.validUntil != null && row.validUntil >= businessToday(now);
}

// ---- for procurement -------------------------------------------------------------------------

/**
 * 扣减供应 "take supply": `update products ... returning id, unit_price, enterprise_id, name, unit`, taking `quantity` units of
 * a product only if it is listed, unexpired, has that many available and its enterprise is VERIFIED
 * (read under a FOR SHARE lock: a suspension and an order are one after the other; no row otherwise). Compose
 * it as a CTE so the reservation stays ONE statement and the row lock lasts only that statement:
 *
 *     with taken as (${takeSupply(productId, quantity, sql`exists (select 1 from ${quotas} where ...)`)}),
 *          placed as (insert into orders (...) select ..., unit_price, ... from taken returning *) ...
 *
 * Stock is not content (DOMAIN.md): the product's `version` and `updatedAt` stay, so an order never
 * makes the enterprise's next edit STALE_VERSION nor shows in partners' `updatedSince` syncs.
 * `alsoWhen` is the caller's own condition, ANDed into the same WHERE (e.g. "the unit has a quota").
 * Signature: `takeSupply(productId: string, quantity: number, alsoWhen?: SQL): SQL`.
 */
export function takeSupply(productId: string, quantity: number, alsoWhen?: SQL): SQL {
  return sql`update ${products}
        set available_supply = available_supply - ${quantity}::int
        where id = ${productId}::uuid and status = 'LISTED' and valid_until >= ${businessToday()}::date
          and available_supply >= ${quantity}::int and ${enterpriseIsVerified(products.enterpriseId, { lock: true })}${alsoWhen ? sql` and ${alsoWhen}` : sql``}
        returning id, unit_price, enterprise_id, name, unit`;
}

/**
 * 退回供应 "return supply": gives `quantity` units back to a product (a cancelled reservation), in
 * whatever status it now is. Run it in the caller's transaction, `await tx.execute(returnSupply(...))`,
 * or compose it as a CTE. Signature: `returnSupply(productId: string, quantity: number): SQL`.
 */
export function returnSupply(productId: string, quantity: number): SQL {
  return sql`update ${products}
        set available_supply = available_supply + ${quantity}::int
        where id = ${productId}::uuid`;
}

/**
 * The ids of an enterprise's products, as a parenthesised subquery: `${orders.productId} in
 * ${productIdsOfEnterprise(enterpriseId)}`. Signature: `productIdsOfEnterprise(enterpriseId: string): SQL`.
 */
export function productIdsOfEnterprise(enterpriseId: string): SQL {
  return sql`(select ${products.id} from ${products} where ${products.enterpriseId} = ${enterpriseId}::uuid)`;
}

/**
 * The ids of products whose origin county lies in a jurisdiction, as a parenthesised subquery:
 * `${orders.productId} in ${productIdsInJurisdiction("433124")}`. Takes a division code (433124; 433100
 * for the whole prefecture) or its prefix (4331): both mean the same places.
 * Signature: `productIdsInJurisdiction(jurisdiction: string): SQL`.
 */
export function productIdsInJurisdiction(jurisdiction: string): SQL {
  return sql`(select ${products.id} from ${products} where ${originIn(jurisdiction)})`;
}

/** Products whose origin county lies in a jurisdiction (a division code or its prefix). */
export function originIn(jurisdiction: string): SQL {
  return sql`${products.originCountyCode} like ${`${jurisdictionPrefix(jurisdiction)}%`}`;
}

// ---- for certification (and the catalog's own edits) -------------------------------------------

/**
 * Locks products for the caller's transaction (`select ... for update`), in id order so that
 * concurrent batches cannot deadlock; ids of no product are simply absent from the result.
 * Signature: `lockProducts(tx: Drizzle, productIds: readonly string[]): Promise<ProductRow[]>`.
 */
export function lockProducts(tx: Drizzle, productIds: readonly string[]): Promise<ProductRow[]> {
  return tx.select().from(products).where(anyOf(products.id, productIds, "uuid")).orderBy(asc(products.id)).for("update");
}

/** 入录: a product's catalog entry, written when it enters the catalog. */
export interface CatalogEntry {
  catalogNo: string;
  batch: string;
  validFrom: string;
  validUntil: string;
}

/**
 * A certification step's write: moves a product from `from` to `to` only if it is still `from`
 * (`update ... where status = from`), with its catalog entry when it enters the catalog and its
 * certified price when certified, and bumps its version. Undefined when the status was no longer `from`.
 * Signature: `setProductStatus(tx, productId, from, to, entry?: CatalogEntry): Promise<ProductRow | undefined>`.
 */
export async function setProductStatus(
  tx: Drizzle,
  productId: string,
  from: ProductRow["status"],
  to: ProductRow["status"],
  entry?: CatalogEntry,
): Promise<ProductRow | undefined> {
  const [row] = await tx
    .update(products)
    .set({
      ...entry,
      // 认定 certifies the price of that moment: a listed price may later move within a band of it.
      ...(to === "CERTIFIED" ? { certifiedUnitPrice: sql`${products.unitPrice}` } : {}),
      status: to,
      updatedAt: new Date(),
      version: sql`${products.version} + 1`,
    })
    .where(and(eq(products.id, productId), eq(products.status, from)))
    .returning();
  return row;
}

// ---- for indicators and consumption progress ------------------------------------------------

/**
 * The facts of each product that the plan's figures group by, as rows `(id, origin_county_code,
 * category, status, valid_from, valid_until, created_at, enterprise_id)`, of one origin county or all. Use as `from (${productFacts(c)}) p`.
 */
export function productFacts(countyCode: string | null = null): SQL {
  return sql`select ${products.id} as id, ${products.originCountyCode} as origin_county_code, ${products.category} as category,
                    ${products.enterpriseId} as enterprise_id, ${products.status} as status, ${products.validFrom} as valid_from,
                    ${products.validUntil} as valid_until, ${products.createdAt} as created_at
             from ${products} ${countyCode ? sql`where ${products.originCountyCode} = ${countyCode}` : sql``}`;
}

/**
 * The catalog entries of the given catalog numbers (products that were ever entered, 入录), as rows
 * `(id, catalog_no, unit_price, origin_county_code, category, enterprise_id, status, valid_from,
 * valid_until)`: what a sales report's lines are checked against. One statement for any number of them.
 */
export function catalogEntriesByNumbers(catalogNos: readonly string[]): SQL {
  return sql`select ${products.id} as id, ${products.catalogNo} as catalog_no, ${products.unitPrice}::text as unit_price,
                    ${products.originCountyCode} as origin_county_code, ${products.category} as category,
                    ${products.enterpriseId} as enterprise_id, ${products.status} as status,
                    ${products.validFrom} as valid_from, ${products.validUntil} as valid_until
             from ${products} where ${anyOf(products.catalogNo, catalogNos, "varchar")}`;
}
