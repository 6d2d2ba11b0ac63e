import { type SQL, eq, sql } from "drizzle-orm";
import { type Actor, type Policy, jurisdictionCovers } from "../../actor.js";
import { anyOf } from "../../db/any-of.js";
import type { Database } from "../../db/client.js";
import { type ProductRow, products } from "./product.schema.js";
import { inCatalog, isInCatalog, originIn } from "./product.sql.js";

/**
 * Who may see products. The catalog (LISTED, unexpired, its enterprise VERIFIED) is public; beyond it an admin sees all, an
 * enterprise user its own enterprise's, a reviewer its jurisdiction's (by origin county), and an
 * officer the products its unit or a unit below it has ordered (so `Order.product` is never hidden
 * from whoever sees the order). Partners and anonymous callers: the catalog only.
 */
export interface ProductPolicyOptions {
  /**
   * The ids of the products a budget unit or a unit below it has ordered, as a parenthesised
   * subquery. Orders are procurement's: the composition root injects procurement's piece, because
   * catalog must not import procurement. Without it an officer sees the catalog only.
   */
  productIdsOrderedBySubtree?: (budgetUnitId: string) => SQL;
}

/** The products an actor may list in every status (`products`); null: may not list them (FORBIDDEN). */
function scope(actor: Actor): SQL | null {
  if (actor.kind !== "user") return null;
  if (actor.role === "ADMIN") return sql`true`;
  if (actor.role === "ENTERPRISE" && actor.enterpriseId) return eq(products.enterpriseId, actor.enterpriseId);
  if (actor.role === "REVIEWER" && actor.divisionCode) return originIn(actor.divisionCode);
  return null;
}

/** What a role sees whatever the catalog says: decided on the row itself, no query. */
function maySeeRow(actor: Actor, row: ProductRow): boolean {
  if (actor.kind !== "user") return false;
  if (actor.role === "ADMIN") return true;
  if (actor.role === "ENTERPRISE") return actor.enterpriseId === row.enterpriseId;
  if (actor.role === "REVIEWER") return actor.divisionCode != null && jurisdictionCovers(actor.divisionCode, row.originCountyCode);
  return false;
}

/**
 * The product policy. A factory, so the composition root can inject what an officer has ordered.
 * Beyond the role's own rows, one statement per batch (and only when some row needs it) asks which
 * rows are in the catalog now (listed, unexpired, enterprise VERIFIED: `inCatalog`) or, for an
 * officer, ordered by its unit or a unit below it.
 */
export function createProductPolicy(database: Database, options: ProductPolicyOptions = {}): Policy<ProductRow> {
  const ordered = options.productIdsOrderedBySubtree;
  return {
    scope,
    may(actor, rows) {
      const seen = rows.map((row) => maySeeRow(actor, row));
      const unit = ordered && actor.kind === "user" && actor.role === "OFFICER" ? actor.budgetUnitId : null;
      const listed = [...new Set(rows.filter((row, i) => !seen[i] && isInCatalog(row)).map((row) => row.id))];
      const others = unit ? [...new Set(rows.filter((_, i) => !seen[i]).map((row) => row.id))] : listed;
      if (others.length === 0) return seen;
      const inCatalogNow = listed.length > 0 ? sql`(${anyOf(products.id, listed, "uuid")} and ${inCatalog()})` : sql`false`;
      const orderedByUnit = unit ? sql`${products.id} in ${ordered!(unit)}` : sql`false`;
      return database
        .rows<{ id: string }>(sql`select ${products.id} as id from ${products} where ${anyOf(products.id, others, "uuid")} and (${inCatalogNow} or ${orderedByUnit})`)
        .then((found) => {
          const visible = new Set(found.map((r) => r.id));
          return rows.map((row, i) => seen[i]! || visible.has(row.id));
        });
    },
  };
}
