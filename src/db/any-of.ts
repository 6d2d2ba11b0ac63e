import { type Column, type SQL, sql } from "drizzle-orm";

/**
 * `column = any($1::type[])`: one array parameter instead of `in ($1, …, $n)`, so the SQL text is
 * the same for any number of keys and the driver can reuse its prepared statement.
 */
export function anyOf(column: Column | SQL, values: readonly string[], type: "uuid" | "text" | "varchar"): SQL {
  return sql`${column} = any(${sql.param([...values])}::${sql.raw(type)}[])`;
}
