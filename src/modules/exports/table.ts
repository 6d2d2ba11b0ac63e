import { once } from "node:events";
import type { ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { stringify } from "csv-stringify";

/**
 * An export is one or more tables: Chinese headers, then rows arriving page by page (keyset pages
 * from the services). The same tables are written as CSV (csv-stringify, UTF-8 BOM) or as an XLSX
 * workbook (exceljs's streaming writer, a sheet per table); nothing is quoted or zipped by hand.
 */

/**
 * How a column's values are written:
 * - text: as is (dates are ISO strings "YYYY-MM-DD", instants ISO 8601 with the business zone's offset);
 * - integer: a number;
 * - money: an exact decimal string of yuan ("1234.50"); CSV writes the string, XLSX a numeric cell
 *   (the string's value, converted once) with the format 0.00;
 * - percent: a percentage as a decimal string ("21.43") or a number; a numeric cell, format 0.00.
 */
export type CellKind = "text" | "integer" | "money" | "percent";

export type CellValue = string | number | null | undefined;

export interface Column<Row> {
  header: string;
  kind?: CellKind;
  /** XLSX column width in characters */
  width?: number;
  value(row: Row): CellValue;
}

export interface Table<Row = any> {
  /** the XLSX sheet's name (at most 31 characters) */
  name: string;
  columns: Column<Row>[];
  /** the rows, a page at a time */
  pages: AsyncIterable<readonly Row[]>;
}

const moneyPattern = /^-?\d+(\.\d+)?$/;

/** A money value as CSV text: the exact decimal, two places (never through a float). */
function moneyText(value: string | number): string {
  const text = String(value);
  if (!moneyPattern.test(text)) throw new Error("not a decimal amount");
  const [whole, fraction = ""] = text.split(".");
  return `${whole}.${fraction.padEnd(2, "0")}`;
}

function csvCell(kind: CellKind, value: CellValue): string {
  if (value == null || value === "") return "";
  if (kind === "money") return moneyText(value);
  return String(value);
}

function xlsxCell(kind: CellKind, value: CellValue): string | number | null {
  if (value == null || value === "") return null;
  // The final cell value is the only float: the decimal string's nearest double (Excel stores doubles).
  if (kind === "money") return Number(moneyText(value));
  if (kind === "percent" || kind === "integer") return typeof value === "number" ? value : Number(value);
  return String(value);
}

/** Waits while the client is slower than the database: the response's buffer bounds the memory. */
async function drained(res: ServerResponse): Promise<void> {
  if (res.writableNeedDrain && !res.destroyed) await Promise.race([once(res, "drain"), once(res, "close")]);
}

/** Streams one table as CSV with a UTF-8 BOM (so Excel reads the Chinese headers). Returns the row count. */
export async function writeCsv(res: ServerResponse, table: Table): Promise<number> {
  let count = 0;
  async function* records() {
    yield table.columns.map((c) => c.header);
    for await (const page of table.pages) {
      for (const row of page) {
        count += 1;
        yield table.columns.map((c) => csvCell(c.kind ?? "text", c.value(row)));
      }
    }
  }
  await pipeline(Readable.from(records()), stringify({ bom: true, record_delimiter: "windows" }), res);
  return count;
}

const numberFormat: Partial<Record<CellKind, string>> = { money: "0.00", percent: "0.00", integer: "0" };

/** Streams tables as one XLSX workbook, a sheet each, header row frozen. Returns the row count. */
export async function writeXlsx(res: ServerResponse, tables: Table[]): Promise<number> {
  // Loaded on the first spreadsheet: exceljs costs ~28 MB of RSS in every process that imports it.
  const { default: ExcelJS } = await import("exceljs");
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useStyles: true, useSharedStrings: false });
  let count = 0;
  for (const table of tables) {
    const sheet = workbook.addWorksheet(table.name, { views: [{ state: "frozen", ySplit: 1 }] });
    sheet.columns = table.columns.map((c) => ({ width: c.width ?? Math.max(10, c.header.length * 2 + 2) }));
    const header = sheet.addRow(table.columns.map((c) => c.header));
    header.font = { bold: true };
    header.commit();
    for await (const page of table.pages) {
      for (const row of page) {
        count += 1;
        const line = sheet.addRow(table.columns.map((c) => xlsxCell(c.kind ?? "text", c.value(row))));
        table.columns.forEach((c, i) => {
          const format = numberFormat[c.kind ?? "text"];
          if (format) line.getCell(i + 1).numFmt = format;
        });
        line.commit();
      }
      await drained(res);
      if (res.destroyed) throw new Error("client gone");
    }
    sheet.commit();
  }
  await workbook.commit();
  return count;
}

/** A list already in memory, as the pages of a table. */
export async function* onePage<Row>(rows: readonly Row[] | Promise<readonly Row[]>): AsyncIterable<readonly Row[]> {
  yield await rows;
}

/**
 * Fetches the first page now, so that refusals (authorization, bad arguments found by the service)
 * happen before the response's headers are sent; the rest stays lazy.
 */
export async function primed<T>(pages: AsyncIterable<T>): Promise<AsyncIterable<T>> {
  const iterator = pages[Symbol.asyncIterator]();
  const first = await iterator.next();
  return {
    async *[Symbol.asyncIterator]() {
      if (first.done) return;
      yield first.value;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
    },
  };
}
