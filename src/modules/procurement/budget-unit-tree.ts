import { type SQL, sql } from "drizzle-orm";

/**
 * SQL: the ids of a unit and of every unit below it (a supervising unit's subtree), for `x in (...)`.
 * An officer acts for its own unit and reads its whole subtree, so visibility, filters and the
 * "ordered by this officer's units" piece all share this one query. UNION, not UNION ALL: the walk
 * ends even if the tree had a cycle (the database refuses one: migration budget_unit_tree_rules).
 */
export function subtreeOf(unitId: string): SQL {
  return sql`(with recursive subtree as (
      select id from budget_units where id = ${unitId}::uuid
      union
      select b.id from budget_units b join subtree s on b.parent_id = s.id)
    select id from subtree)`;
}

/** The one lock all parent changes take (in their transaction), so two cannot make a cycle together. */
export const treeLock = sql`select pg_advisory_xact_lock(hashtextextended('budget_units.tree', 0))`;

/** The trigger's name for a parent change that would make a cycle (a check violation, 23514). */
export const noCycleConstraint = "budget_units_no_cycle";
