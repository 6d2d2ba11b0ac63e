import { type SQL, sql } from "drizzle-orm";

/**
 * SQL: the ids of a unit and of every unit below it (a supervising unit's subtree), for `x in (...)`.
 * An officer acts for its own unit and reads its whole subtree, so visibility, filters and the
 * "ordered by this officer's units" piece all share this one query.
 */
export function subtreeOf(unitId: string): SQL {
  return sql`(with recursive subtree as (
      select id from budget_units where id = ${unitId}::uuid
      union all
      select b.id from budget_units b join subtree s on b.parent_id = s.id)
    select id from subtree)`;
}
