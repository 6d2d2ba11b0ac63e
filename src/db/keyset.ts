import { type SQL, sql } from "drizzle-orm";
import { InvalidArgumentError } from "../errors.js";

/**
 * Keyset (cursor) pagination over `(sort key, id)`, never OFFSET. Cursors are opaque base64url
 * JSON `[sortName, value, id]`; a cursor made for another order is refused.
 */

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export type SortDirection = "ASC" | "DESC";

/** One sortable key: the SQL expression, how its values travel in a cursor, and its cast. */
export interface SortKey<Row> {
  name: string;
  expression: SQL;
  /** the key's value on a row, as JSON for the cursor */
  valueOf(row: Row): string | number;
  /** SQL for a cursor value, with a cast that matches the expression (and validation) */
  parameter(value: unknown): SQL | undefined;
}

export interface PagePlan {
  /** conditions to AND into the WHERE clause */
  conditions: SQL[];
  orderBy: SQL[];
  /** rows to fetch: page size + 1 to see whether there is more */
  limit: number;
  pageSize: number;
  backward: boolean;
}

export interface Page<Row> {
  rows: Row[];
  /** the cursor of rows[i], encoded only when asked for */
  cursorAt(i: number): string;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

export function validatePageArgs(args: PageArgs): { pageSize: number; backward: boolean } {
  const { first, last } = args;
  if (first != null && last != null) {
    throw new InvalidArgumentError("Pass either `first` or `last`, not both", "first");
  }
  for (const [name, value] of [
    ["first", first],
    ["last", last],
  ] as const) {
    if (value != null && (!Number.isInteger(value) || value < 0 || value > MAX_PAGE_SIZE)) {
      throw new InvalidArgumentError(`\`${name}\` must be between 0 and ${MAX_PAGE_SIZE} (got ${value})`, name);
    }
  }
  const backward = last != null;
  return { pageSize: (backward ? last : first) ?? DEFAULT_PAGE_SIZE, backward };
}

export function encodeCursor(sortName: string, value: string | number, id: string): string {
  return Buffer.from(JSON.stringify([sortName, value, id]), "utf8").toString("base64url");
}

function decodeCursor<Row>(cursor: string, key: SortKey<Row>, idParameter: (id: unknown) => SQL | undefined, argument: string) {
  const invalid = (why: string) => new InvalidArgumentError(`\`${argument}\` is not a valid cursor for this list: ${why}`, argument);
  if (typeof cursor !== "string" || cursor.length > 500 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid("malformed");
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalid("malformed");
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw invalid("malformed");
  const [name, value, id] = parsed;
  // Text the database cannot hold (NUL, a lone surrogate) is refused here, not by a failing statement.
  for (const part of [value, id]) if (typeof part === "string" && !isStorableText(part)) throw invalid("malformed");
  if (name !== key.name) throw invalid(`it was made for another order (${String(name).slice(0, 30)})`);
  const valueSql = key.parameter(value);
  const idSql = idParameter(id);
  if (!valueSql || !idSql) throw invalid("malformed");
  return { valueSql, idSql };
}

/** Builds the WHERE/ORDER/LIMIT for one page. */
export function planPage<Row>(
  args: PageArgs,
  key: SortKey<Row>,
  direction: SortDirection,
  idColumn: SQL,
  idParameter: (id: unknown) => SQL | undefined,
): PagePlan {
  const { pageSize, backward } = validatePageArgs(args);
  const conditions: SQL[] = [];
  const ascending = direction === "ASC";
  const tuple = sql`(${key.expression}, ${idColumn})`;
  if (args.after != null) {
    const c = decodeCursor(args.after, key, idParameter, "after");
    conditions.push(ascending ? sql`${tuple} > (${c.valueSql}, ${c.idSql})` : sql`${tuple} < (${c.valueSql}, ${c.idSql})`);
  }
  if (args.before != null) {
    const c = decodeCursor(args.before, key, idParameter, "before");
    conditions.push(ascending ? sql`${tuple} < (${c.valueSql}, ${c.idSql})` : sql`${tuple} > (${c.valueSql}, ${c.idSql})`);
  }
  // Walking backwards reads the order reversed, then flips the page.
  const fetchAscending = ascending !== backward;
  const dir = fetchAscending ? sql`asc` : sql`desc`;
  return {
    conditions,
    orderBy: [sql`${key.expression} ${dir}`, sql`${idColumn} ${dir}`],
    limit: pageSize + 1,
    pageSize,
    backward,
  };
}

/** Turns the fetched rows (page size + 1 at most) into a page in the requested order. */
export function pageFromRows<Row>(rows: Row[], plan: PagePlan, args: PageArgs, key: SortKey<Row>, idOf: (row: Row) => string): Page<Row> {
  const hasMore = rows.length > plan.pageSize;
  const kept = hasMore ? rows.slice(0, plan.pageSize) : rows;
  if (plan.backward) kept.reverse();
  return {
    rows: kept,
    cursorAt: (i) => encodeCursor(key.name, key.valueOf(kept[i]!), idOf(kept[i]!)),
    hasNextPage: plan.backward ? args.before != null : hasMore,
    hasPreviousPage: plan.backward ? hasMore : args.after != null,
  };
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const unstorableText = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** No NUL, no lone surrogate: text PostgreSQL can compare. */
function isStorableText(text: string): boolean {
  return !unstorableText.test(text);
}

/** A real calendar day "YYYY-MM-DD" in years 0001–9999 (`2020-02-30` and year 0000 are not). */
export function isCalendarDay(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const timestampPattern = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,3})?Z$/;

/**
 * Cursor parameter helpers for the usual key types: each checks the value's type and range (real
 * calendar days, no NUL) so a forged cursor is BAD_USER_INPUT before any SQL runs.
 */
export const cursorParameter = {
  uuid: (v: unknown) => (typeof v === "string" && uuidPattern.test(v) ? sql`${v}::uuid` : undefined),
  text: (v: unknown) => (typeof v === "string" && v.length <= 500 && isStorableText(v) ? sql`${v}::text collate "C"` : undefined),
  /** a varchar key of at most `max` characters */
  varchar: (max: number) => (v: unknown) =>
    typeof v === "string" && v.length <= max && isStorableText(v) ? sql`${v}::varchar` : undefined,
  decimal: (v: unknown) => (typeof v === "string" && /^-?[0-9]{1,12}(\.[0-9]{1,2})?$/.test(v) ? sql`${v}::numeric` : undefined),
  date: (v: unknown) => (typeof v === "string" && isCalendarDay(v) ? sql`${v}::date` : undefined),
  timestamp: (v: unknown) => {
    if (typeof v !== "string") return undefined;
    const m = timestampPattern.exec(v);
    return m && isCalendarDay(m[1]!) && !Number.isNaN(Date.parse(v)) ? sql`${v}::timestamptz` : undefined;
  },
  divisionCode: (v: unknown) => (typeof v === "string" && /^[0-9]{6}([0-9]{3}){0,2}$/.test(v) ? sql`${v}::varchar` : undefined),
};
