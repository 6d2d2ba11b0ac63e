import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { type Readable, Transform } from "node:stream";
import { parse } from "csv-parse";
import ExcelJS from "exceljs";

export type FileFormat = "csv" | "xlsx";

/** One row of the file: its line (the spreadsheet's row number, the header is 1) and its cells as text. */
export interface FileRow {
  line: number;
  cells: string[];
}

/** The file cannot be read as a table at all (not UTF-8, broken quoting, not a workbook). */
export class UnreadableFileError extends Error {
  constructor(
    message: string,
    readonly line: number | null,
  ) {
    super(message);
    this.name = "UnreadableFileError";
  }
}

/** XLSX is a ZIP archive ("PK\3\4"); anything else is read as CSV. */
export async function sniffFormat(path: string): Promise<FileFormat> {
  const handle = await open(path, "r");
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    return bytesRead === 4 && buffer.readUInt32BE(0) === 0x504b0304 ? "xlsx" : "csv";
  } finally {
    await handle.close();
  }
}

/** The rows of a file, header first, in batches, read as a stream (nothing holds the whole file). */
export function fileRows(path: string, format: FileFormat): AsyncIterable<FileRow[]> {
  return format === "xlsx" ? xlsxRows(path) : csvRows(path);
}

/**
 * UTF-8 only (with or without a BOM): bytes that are not UTF-8 stop the read with a message saying
 * so, rather than turning names into U+FFFD. Excel's "CSV UTF-8" writes exactly this.
 */
function strictUtf8(): Transform {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let lines = 1;
  const decode = (chunk: Buffer | undefined, push: (text: string) => void) => {
    let text: string;
    try {
      text = chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch {
      // The line of the first byte that is not UTF-8: count the lines before it in this chunk.
      const lenient = chunk ? new TextDecoder("utf-8").decode(chunk) : "";
      const before = lenient.slice(0, Math.max(0, lenient.indexOf("\uFFFD")));
      const line = lines + (before.match(/\n/g)?.length ?? 0);
      throw new UnreadableFileError("文件不是 UTF-8 编码：请在 Excel 中“另存为 CSV UTF-8（逗号分隔）”，或上传 XLSX 文件", line);
    }
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lines += 1;
    if (text) push(text);
  };
  return new Transform({
    readableObjectMode: false,
    decodeStrings: true,
    transform(chunk: Buffer, _encoding, done) {
      try {
        decode(chunk, (text) => this.push(text));
        done();
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done) {
      try {
        decode(undefined, (text) => this.push(text));
        done();
      } catch (error) {
        done(error as Error);
      }
    },
  });
}

/**
 * A stream's items in arrays of up to `size`, gathered from its 'data' events (one await per batch, not
 * per item); the stream is paused while a few batches wait, so memory stays bounded.
 */
async function* batches<T>(stream: Readable, size: number): AsyncIterable<T[]> {
  const ready: T[][] = [];
  let batch: T[] = [];
  let ended = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  stream.on("data", (item: T) => {
    batch.push(item);
    if (batch.length < size) return;
    ready.push(batch);
    batch = [];
    if (ready.length >= 4) stream.pause();
    notify();
  });
  stream.on("end", () => {
    if (batch.length > 0) ready.push(batch);
    ended = true;
    notify();
  });
  stream.on("error", (error) => {
    failure = error;
    notify();
  });
  try {
    for (;;) {
      const next = ready.shift();
      if (next) {
        if (ready.length < 2 && stream.isPaused()) stream.resume();
        yield next;
        continue;
      }
      if (failure) throw failure;
      if (ended) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    stream.destroy();
  }
}

/**
 * CSV rows with the line each starts on. csv-parse's per-record `info` costs more than the parse
 * itself, so lines are counted here: every physical line is a record (empty lines too, then
 * skipped), plus the line breaks inside quoted cells.
 */
async function* csvRows(path: string): AsyncIterable<FileRow[]> {
  const decoded = createReadStream(path).pipe(strictUtf8());
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: false, max_record_size: 64 * 1024 });
  decoded.on("error", (error) => parser.destroy(error));
  decoded.pipe(parser);
  let line = 1;
  try {
    for await (const records of batches<string[]>(parser, 1000)) {
      const rows: FileRow[] = [];
      for (const cells of records) {
        const start = line;
        line += 1;
        for (const cell of cells) if (cell.includes("\n")) line += cell.split("\n").length - 1;
        if (cells.length === 1 && cells[0] === "") continue;
        rows.push({ line: start, cells });
      }
      yield rows;
    }
  } catch (error) {
    if (error instanceof UnreadableFileError) throw error;
    const at = typeof (error as { lines?: unknown }).lines === "number" ? (error as { lines: number }).lines : null;
    throw new UnreadableFileError(`CSV 格式有误（如引号未闭合）：${csvProblem(error)}`, at);
  } finally {
    decoded.destroy();
  }
}

/** csv-parse's own words name the problem (no data from the file): its code is enough. */
function csvProblem(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : "无法解析";
}

/** A cell as the office typed it: numbers without exponent where exact, dates as YYYY-MM-DD, rich text joined. */
function cellText(value: ExcelJS.CellValue): string {
  if (value == null) return "";
  if (typeof value === "string") return value;
  // An ID number Excel stored as a number has lost its last digits already; its checksum will say so.
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "object") {
    if ("richText" in value && Array.isArray(value.richText)) return value.richText.map((part) => part.text).join("");
    if ("result" in value) return cellText((value as { result?: ExcelJS.CellValue }).result ?? null);
    if ("text" in value) return String((value as { text: unknown }).text);
  }
  return String(value);
}

/** The first worksheet, row by row (exceljs's streaming reader; shared strings are kept, styles ignored). */
async function* xlsxRows(path: string): AsyncIterable<FileRow[]> {
  let reader;
  try {
    reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { sharedStrings: "cache", hyperlinks: "ignore", styles: "ignore", worksheets: "emit", entries: "emit" });
  } catch {
    throw new UnreadableFileError("无法读取 XLSX 文件", null);
  }
  let iterator: AsyncIterator<ExcelJS.stream.xlsx.WorksheetReader> | undefined;
  try {
    iterator = reader[Symbol.asyncIterator]();
    const first = await iterator.next();
    if (first.done) throw new UnreadableFileError("XLSX 文件中没有工作表", null);
    let rows: FileRow[] = [];
    for await (const row of first.value) {
      const values = Array.isArray(row.values) ? row.values : [];
      const cells: string[] = [];
      for (let i = 1; i < values.length; i++) cells.push(cellText(values[i] as ExcelJS.CellValue));
      if (cells.every((c) => c.trim() === "")) continue;
      rows.push({ line: row.number, cells });
      if (rows.length >= 1000) {
        yield rows;
        rows = [];
      }
    }
    if (rows.length > 0) yield rows;
  } catch (error) {
    if (error instanceof UnreadableFileError) throw error;
    throw new UnreadableFileError("无法读取 XLSX 文件（文件损坏或不是 Excel 工作簿）", null);
  } finally {
    // Only the first sheet is read: the rest of the archive is not.
    await iterator?.return?.();
  }
}
