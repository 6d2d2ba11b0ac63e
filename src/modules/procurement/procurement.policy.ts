import { type Column, type SQL, sql } from "drizzle-orm";
import { type Actor, type Policy, PREFECTURE } from "../../actor.js";
import { anyOf } from "../../db/any-of.js";
import type { Database } from "../../db/client.js";
import { productIdsInJurisdiction, productIdsOfEnterprise } from "../catalog/index.js";
import { subtreeOf } from "./budget-unit-tree.js";
import { type BudgetUnitRow, type OrderRow, type QuotaRow, budgetUnits, orders, quotas } from "./procurement.schema.js";

/**
 * Who may see budget units, quotas and orders. Each rule is written once, as SQL for lists and as a
 * batched check for loaded rows (node/nodes, relation fields, payloads, indicator rows).
 */

/** 预算单位: any logged-in user (units are the public structure of government, not procurement data). */
export const budgetUnitPolicy: Policy<BudgetUnitRow> = {
  scope: (actor) => (actor.kind === "user" ? sql`true` : null),
  may: (actor, rows) => rows.map(() => actor.kind === "user"),
};

/**
 * Whose procurement figures (quotas, and the per-unit rows of consumptionProgress) an actor may read,
 * as a condition on a budget-unit id: admins and reviewers all; an officer its unit and the units
 * below it; nobody else (null → FORBIDDEN).
 */
export function unitFiguresScope(actor: Actor, unitId: Column | SQL): SQL | null {
  if (actor.kind !== "user") return null;
  if (actor.role === "ADMIN" || actor.role === "REVIEWER") return sql`true`;
  if (actor.role === "OFFICER" && actor.budgetUnitId) return sql`${unitId} in ${subtreeOf(actor.budgetUnitId)}`;
  return null;
}

/** Which of these units an actor may read the figures of: one statement for the batch, none for most. */
async function mayReadFiguresOf(database: Database, actor: Actor, unitIds: readonly string[]): Promise<boolean[]> {
  if (actor.kind !== "user") return unitIds.map(() => false);
  if (actor.role === "ADMIN" || actor.role === "REVIEWER") return unitIds.map(() => true);
  if (actor.role !== "OFFICER" || !actor.budgetUnitId) return unitIds.map(() => false);
  const own = actor.budgetUnitId;
  const others = [...new Set(unitIds.filter((id) => id !== own))];
  const below = others.length === 0 ? [] : await database.rows<{ id: string }>(sql`
    select id from ${budgetUnits} where ${anyOf(budgetUnits.id, others, "uuid")} and ${unitFiguresScope(actor, budgetUnits.id)}`);
  const visible = new Set([own, ...below.map((r) => r.id)]);
  return unitIds.map((id) => visible.has(id));
}

/** 预留份额: admins and reviewers all; an officer its unit's subtree. */
export function createQuotaPolicy(database: Database): Policy<QuotaRow> {
  return {
    scope: (actor) => unitFiguresScope(actor, quotas.budgetUnitId),
    may: (actor, rows) => mayReadFiguresOf(database, actor, rows.map((row) => row.budgetUnitId)),
  };
}

/**
 * Orders: an officer its unit's subtree; an enterprise the orders of its own products; a reviewer the
 * orders of products from its jurisdiction (the prefecture's reviewer all); admins all. Each of them
 * may also see the ordered product (the catalog's policy agrees), so `Order.product` is never null.
 */
export function orderScope(actor: Actor): SQL | null {
  if (actor.kind !== "user") return null;
  switch (actor.role) {
    case "ADMIN":
      return sql`true`;
    case "REVIEWER":
      if (actor.divisionCode === PREFECTURE) return sql`true`;
      return actor.divisionCode ? sql`${orders.productId} in ${productIdsInJurisdiction(actor.divisionCode)}` : null;
    case "OFFICER":
      return actor.budgetUnitId ? sql`${orders.budgetUnitId} in ${subtreeOf(actor.budgetUnitId)}` : null;
    case "ENTERPRISE":
      return actor.enterpriseId ? sql`${orders.productId} in ${productIdsOfEnterprise(actor.enterpriseId)}` : null;
  }
}

export function createOrderPolicy(database: Database): Policy<OrderRow> {
  return {
    scope: orderScope,
    async may(actor, rows) {
      const scope = orderScope(actor);
      if (!scope) return rows.map(() => false);
      if (actor.kind === "user" && (actor.role === "ADMIN" || (actor.role === "REVIEWER" && actor.divisionCode === PREFECTURE))) {
        return rows.map(() => true);
      }
      // An officer's own unit's orders need no query; everything else is one statement for the batch.
      const own = (row: OrderRow) => actor.kind === "user" && actor.role === "OFFICER" && row.budgetUnitId === actor.budgetUnitId;
      const others = rows.filter((row) => !own(row)).map((row) => row.id);
      const found = others.length === 0 ? [] : await database.rows<{ id: string }>(sql`
        select id from ${orders} where ${anyOf(orders.id, others, "uuid")} and ${scope}`);
      const visible = new Set(found.map((r) => r.id));
      return rows.map((row) => own(row) || visible.has(row.id));
    },
  };
}

/**
 * For the catalog's product policy (injected by the composition root; catalog does not import
 * procurement): the ids of products that an officer's unit or a unit below it has ordered, as a
 * subquery for `products.id in (...)`. Combined with `= any($ids)` it answers a whole batch at once.
 */
export function productIdsOrderedBySubtree(budgetUnitId: string): SQL {
  return sql`(select ${orders.productId} from ${orders} where ${orders.budgetUnitId} in ${subtreeOf(budgetUnitId)})`;
}
