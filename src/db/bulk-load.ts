import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type SQL, sql } from "drizzle-orm";
import type postgres from "postgres";

/** A value a bulk load writes into one column. */
export type BulkValue = string | number | boolean | null;

/**
 * Loads rows into a table of the transaction's session (a temporary staging table, typically):
 * `COPY ... FROM STDIN` on PostgreSQL, multi-row inserts on PGlite. The rows are read once, as they
 * arrive (in batches), with back-pressure: memory stays flat whatever their number. Resolves to the row count.
 */
export type BulkLoad = (table: string, columns: readonly string[], batches: AsyncIterable<readonly (readonly BulkValue[])[]>) => Promise<number>;

const identifier = /^[a-z_][a-z0-9_]*$/;

function checkNames(table: string, columns: readonly string[]): void {
  for (const name of [table, ...columns]) if (!identifier.test(name)) throw new Error(`bulk load: ${JSON.stringify(name)} is not a plain identifier`);
}

/** COPY's text format: tab-separated, `\N` for null, backslash escapes (PostgreSQL docs, "COPY ... Text Format"). */
function copyField(value: BulkValue): string {
  if (value === null) return "\\N";
  if (typeof value === "boolean") return value ? "t" : "f";
  if (typeof value === "number") return String(value);
  return value.replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r"));
}

/** Each batch of rows as one COPY text chunk: one write per batch, not per row. */
async function* copyChunks(batches: AsyncIterable<readonly (readonly BulkValue[])[]>, count: { rows: number }): AsyncIterable<string> {
  for await (const batch of batches) {
    if (batch.length === 0) continue;
    let chunk = "";
    for (const row of batch) chunk += `${row.map(copyField).join("\t")}\n`;
    count.rows += batch.length;
    yield chunk;
  }
}

/** PostgreSQL: COPY into the table over the transaction's own connection (postgres.js `.writable()`). */
export function copyInto(session: postgres.Sql): BulkLoad {
  return async (table, columns, batches) => {
    checkNames(table, columns);
    const count = { rows: 0 };
    // A tagged-template call with no parameters: sent as a simple statement (COPY is not prepared).
    const text = `copy ${table} (${columns.join(", ")}) from stdin`;
    const writable = await session(Object.assign([text], { raw: [text] }) as unknown as TemplateStringsArray).writable();
    await pipeline(Readable.from(copyChunks(batches, count)), writable);
    return count.rows;
  };
}

/**
 * PGlite: the same rows as multi-row inserts, a batch per statement through one JSON parameter
 * (`json_populate_recordset` over the table's own row type), so no statement nears the parameter limit.
 */
export function insertInto(execute: (query: SQL) => Promise<unknown>, batchSize = 2000): BulkLoad {
  return async (table, columns, batches) => {
    checkNames(table, columns);
    const names = sql.raw(columns.join(", "));
    let batch: Record<string, BulkValue>[] = [];
    let count = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      await execute(sql`insert into ${sql.raw(table)} (${names}) select ${names} from json_populate_recordset(null::${sql.raw(table)}, ${JSON.stringify(batch)}::json)`);
      count += batch.length;
      batch = [];
    };
    for await (const rows of batches) {
      for (const row of rows) {
        batch.push(Object.fromEntries(columns.map((c, i) => [c, row[i] ?? null])));
        if (batch.length >= batchSize) await flush();
      }
    }
    await flush();
    return count;
  };
}
