import { type SQL, sql } from "drizzle-orm";
import { type Actor, jurisdictionCovers, jurisdictionPrefix } from "../../actor.js";
import type { BulkLoad, BulkValue } from "../../db/bulk-load.js";
import type { Drizzle } from "../../db/client.js";
import { ForbiddenError, UnauthenticatedError } from "../../errors.js";
import { PREFECTURE_CODE } from "../geography/index.js";
import { type FileFormat, type FileRow, UnreadableFileError, fileRows } from "./household-file.js";

/**
 * The machinery every file import shares (households, village collective incomes): a CSV or XLSX file
 * with a fixed Chinese header is streamed row by row, each row checked on its own and the good ones
 * COPYed into a temporary staging table of the import's transaction, then the file's set-based checks
 * run over that table. The import then merges (or, on a dry run, counts) in one statement, all or nothing.
 */

export interface ImportFile {
  path: string;
  format: FileFormat;
}

export interface ImportOptions {
  /** check everything and count what would change, write nothing */
  dryRun: boolean;
  /** a county of the caller's jurisdiction to limit the import to; absent: all of it */
  countyCode?: string | undefined;
}

/** A problem with the file, where an office finds it: the spreadsheet row and the column's header. */
export interface ImportError<Column extends string = string> {
  line: number | null;
  column: Column | null;
  message: string;
}

/** The answer of an import (API.md "Second round"): all-or-nothing, so with errors nothing was written. */
export interface ImportReport {
  dryRun: boolean;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  errors: ImportError[];
}

export interface ImportSettings {
  /** statement_timeout inside an import's transaction (the API's default is for requests, not files) */
  statementTimeoutMs: number;
  /** errors listed in a report at most (the rest are counted in a last entry) */
  maxReportedErrors: number;
}

/** One kind of file: its header, its staging table, and its checks. */
export interface FileLayout<Column extends string = string> {
  header: readonly Column[];
  /** the staging table's name (a plain identifier) and its columns, in the order `checkRow` gives values */
  table: string;
  columns: readonly string[];
  /** `create temporary table <table> (...) on commit drop` */
  create: SQL;
  /** one data row on its own: its errors, or the values to stage */
  checkRow(row: FileRow): { values?: BulkValue[]; errors: ImportError<Column>[] };
  /** the checks that need the database or the whole file, over the staging table, at most `limit` errors each */
  checkStaged(tx: Drizzle, limit: number): Promise<ImportError<Column>[]>;
}

/** What staging a file found: its data rows and the errors of the file, in line order. */
export interface Staged {
  rows: number;
  errors: ImportError[];
}

/**
 * The code prefix of the places the actor may import into (433124…, or 4331… for the whole
 * prefecture): a county office its county, the prefecture office and admins any county (or the one
 * given). Everyone else is refused with `refused` (as the GraphQL mutations of the same records refuse them).
 */
export function officeJurisdiction(actor: Actor, countyCode: string | undefined, refused: string): string {
  if (actor.kind === "anonymous") throw new UnauthenticatedError();
  if (actor.kind !== "user" || !(actor.role === "ADMIN" || (actor.role === "REVIEWER" && actor.divisionCode))) throw new ForbiddenError(refused);
  const own = actor.role === "ADMIN" ? PREFECTURE_CODE : actor.divisionCode!;
  if (countyCode && countyCode !== PREFECTURE_CODE) {
    if (!jurisdictionCovers(own, countyCode)) throw new ForbiddenError(`${countyCode} 不在本单位辖区内 The county is outside your jurisdiction`);
    return countyCode;
  }
  return jurisdictionPrefix(own);
}

/** Cells without the empty ones a spreadsheet leaves after the last column. */
function trimmedTail(cells: readonly string[]): readonly string[] {
  let end = cells.length;
  while (end > 0 && (cells[end - 1] ?? "").trim() === "") end -= 1;
  return end === cells.length ? cells : cells.slice(0, end);
}

/**
 * A data row's cells by column (trimmed; a missing one is empty), or the error of a row with more cells
 * than the header has columns (the empty ones a spreadsheet leaves after the last column do not count).
 */
export function rowCells(row: { line: number; cells: readonly string[] }, width: number): { cell: (i: number) => string } | { error: ImportError<never> } {
  const cells = trimmedTail(row.cells);
  if (cells.length > width) return { error: { line: row.line, column: null, message: `列数应为 ${width}（本行有 ${cells.length} 列）` } };
  return { cell: (i) => (row.cells[i] ?? "").trim() };
}

/** The header row's problems: the columns must be exactly the fixed ones, in order. */
export function headerErrors(header: readonly string[], cells: readonly string[]): ImportError[] {
  const names = trimmedTail(cells).map((c) => c.trim());
  if (names.length === header.length && names.every((name, i) => name === header[i])) return [];
  return [{ line: 1, column: null, message: `表头应为“${header.join(",")}”（列名与顺序均须一致）` }];
}

/** Errors in the order an office reads them: by line, then by column. */
export function byPlace(header: readonly string[]): (a: ImportError, b: ImportError) => number {
  const order = new Map<string | null, number>(header.map((name, i) => [name, i]));
  return (a, b) => (a.line ?? 0) - (b.line ?? 0) || (order.get(a.column) ?? -1) - (order.get(b.column) ?? -1);
}

/**
 * Streams the file into the layout's staging table, checking each row on the way (rows with errors
 * are not staged), then runs the set-based checks. Memory holds a batch of rows and the first errors.
 */
export async function stageFile(tx: Drizzle, load: BulkLoad, file: ImportFile, layout: FileLayout, settings: ImportSettings): Promise<Staged> {
  await tx.execute(sql.raw(`set local statement_timeout = ${Math.floor(settings.statementTimeoutMs)}`));
  // The checks' window functions and the merge sort the whole file: in memory, not in temporary files.
  await tx.execute(sql.raw("set local work_mem = '64MB'"));
  await tx.execute(layout.create);
  const limit = settings.maxReportedErrors;
  const found: ImportError[] = [];
  let errorCount = 0;
  let rows = 0;
  let header = false;
  const note = (error: ImportError) => {
    errorCount += 1;
    if (found.length < limit) found.push(error);
  };
  async function* checked(source: AsyncIterable<FileRow[]>) {
    try {
      for await (const batch of source) {
        const staged: BulkValue[][] = [];
        for (const row of batch) {
          if (!header) {
            header = true;
            const problems = headerErrors(layout.header, row.cells);
            problems.forEach(note);
            if (problems.length > 0) return;
            continue;
          }
          rows += 1;
          const checkedRow = layout.checkRow(row);
          checkedRow.errors.forEach(note);
          if (checkedRow.values) staged.push(checkedRow.values);
        }
        yield staged;
      }
    } catch (error) {
      // The staging table keeps what came before; the import is refused with the reason.
      if (!(error instanceof UnreadableFileError)) throw error;
      header = true;
      note({ line: error.line, column: null, message: error.message });
    }
  }
  const stagedRows = await load(layout.table, layout.columns, checked(fileRows(file.path, file.format)));
  if (!header) note({ line: null, column: null, message: `文件为空：第一行应为表头“${layout.header.join(",")}”` });
  if (stagedRows > 0) {
    // Temporary tables are never analysed by autovacuum: the checks' and the merge's plans need their size.
    await tx.execute(sql`analyze ${sql.raw(layout.table)}`);
    for (const error of await layout.checkStaged(tx, limit)) note(error);
  }
  const errors = found.sort(byPlace(layout.header)).slice(0, limit);
  if (errorCount > errors.length) {
    errors.push({ line: null, column: null, message: `另有 ${errorCount - errors.length} 处错误未列出（只列出按行号排序的前 ${limit} 处）` });
  }
  return { rows, errors };
}
