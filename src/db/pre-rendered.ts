import { type SQL, sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";

const dialect = new PgDialect();
const calendarDay = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A statement fragment rendered to its text once, for fragments built again and again with the same
 * text (a catalog page's select list and its `inCatalog` condition): each later use costs one raw
 * chunk instead of drizzle's walk of the fragment, which was ~9 % of a catalog request's CPU.
 * Parameters may only be calendar days ("YYYY-MM-DD", the business day the fragment reads), inlined
 * as `'YYYY-MM-DD'` literals: like a parameter, an untyped literal takes its type from its context
 * (or its cast). Anything else (text from a request) answers undefined: keep the fragment itself.
 */
export function preRendered(fragment: SQL): SQL | undefined {
  const { sql: text, params } = dialect.sqlToQuery(fragment);
  if (!params.every((value) => typeof value === "string" && calendarDay.test(value))) return undefined;
  return sql.raw(params.length === 0 ? text : inlineParameters(text, params as string[]));
}

/** `$n` outside quoted names and strings replaced by the n-th value as a literal (values are quote-free). */
function inlineParameters(text: string, values: readonly string[]): string {
  let out = "";
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      out += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      out += ch;
    } else if (ch === "$" && /[0-9]/.test(text[i + 1] ?? "")) {
      let j = i + 1;
      while (j < text.length && /[0-9]/.test(text[j]!)) j++;
      const value = values[Number(text.slice(i + 1, j)) - 1];
      if (value === undefined) throw new Error(`pre-rendered fragment: no value for ${text.slice(i, j)}`);
      out += `'${value}'`;
      i = j - 1;
    } else out += ch;
  }
  return out;
}
