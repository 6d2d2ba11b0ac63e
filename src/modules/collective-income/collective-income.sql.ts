import { type SQL, sql } from "drizzle-orm";
import { collectiveIncomes } from "./collective-income.schema.js";

/** 5万元: the plan's line for a poor village's collective income in a year, in yuan. */
export const COLLECTIVE_INCOME_LINE = "50000.00";

/**
 * Each village's collective income of `year` (all sources summed), as rows `(village_code, income)`,
 * villages with a record only. Use as `left join (${villageCollectiveIncomes(y)}) i on i.village_code = v.code`.
 */
export function villageCollectiveIncomes(year: number): SQL {
  const c = collectiveIncomes;
  return sql`select ${c.villageCode} as village_code, sum(${c.amount}) as income
             from ${c} where ${c.year} = ${year}::smallint group by ${c.villageCode}`;
}
