import { type SQL, sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { businessToday } from "../clock.js";

const dialect = new PgDialect();

/**
 * A statement fragment rendered to its text once, for fragments built again and again the same way
 * (a catalog page's select list, the `inCatalog` condition of the business day): each later use costs
 * a few raw chunks instead of drizzle's walk of the whole fragment, which was ~9 % of a catalog
 * request's CPU. Its parameters stay parameters (their driver values, as rendered): never inlined,
 * so a statement keeps the extended protocol and postgres.js prepares it (one with no parameter at
 * all goes by the simple protocol, planned on every request).
 */
export function preRendered(fragment: SQL): SQL {
  const { sql: text, params } = dialect.sqlToQuery(fragment);
  const chunks: SQL[] = [];
  let segment = "";
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      segment += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      segment += ch;
    } else if (ch === "$" && /[0-9]/.test(text[i + 1] ?? "")) {
      // `$n` outside quoted names and strings: drizzle's n-th parameter.
      let j = i + 1;
      while (j < text.length && /[0-9]/.test(text[j]!)) j++;
      const index = Number(text.slice(i + 1, j)) - 1;
      if (index < 0 || index >= params.length) throw new Error(`pre-rendered fragment: no parameter ${text.slice(i, j)}`);
      chunks.push(sql.raw(segment), sql`${params[index]}`);
      segment = "";
      i = j - 1;
    } else segment += ch;
  }
  chunks.push(sql.raw(segment));
  return chunks.length === 1 ? chunks[0]! : sql.join(chunks);
}

/**
 * A fragment that reads the business day (and nothing else of the request), built and pre-rendered
 * once a day: the first use after the day turns builds it again.
 */
export function preRenderedPerDay(build: (day: string) => SQL): () => SQL {
  let ofDay: { day: string; fragment: SQL } | undefined;
  return () => {
    const day = businessToday();
    if (ofDay?.day !== day) ofDay = { day, fragment: preRendered(build(day)) };
    return ofDay.fragment;
  };
}
