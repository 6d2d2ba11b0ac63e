import { type DestinationStream, type Logger, pino } from "pino";

/**
 * JSON logs. Never log variables or personal data: callers pass ids and counts only. An `err` is
 * logged through `safeError`: driver errors carry their SQL text and parameters (password hashes,
 * key hashes, names, ID numbers), so only the fields that name the failure are kept.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: "xiangxi-fupin-api" },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: safeError, error: safeError },
    redact: { paths: ["*.password", "*.headIdNumber", "*.authorization", "*.variables"], censor: "[redacted]" },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** What may be logged of an error: its kind and codes, a message without quoted values, and stack frames. */
export interface SafeError {
  type: string;
  /** SQLSTATE (or the error's own code) */
  code?: string;
  constraint?: string;
  table?: string;
  column?: string;
  message: string;
  /** the error this one wraps, as far as it tells what failed */
  cause?: SafeError;
  stack?: string[];
}

const MAX_MESSAGE = 200;

/** Drops what a message may quote of the input: `"…"` and `'…'` spans, `params:`/query tails, long runs. */
export function scrubMessage(message: string): string {
  const firstLine = message.split("\n", 1)[0] ?? "";
  const withoutQuery = /^Failed query:/i.test(firstLine) ? "Failed query" : firstLine;
  const scrubbed = withoutQuery
    .replace(/"(?:[^"\\]|\\.)*"/g, '"…"')
    .replace(/'(?:[^'\\]|\\.)*'/g, "'…'")
    .replace(/\(([^()]*)\)=\(([^()]*)\)/g, "(…)=(…)")
    .replace(/[^\s"'…]{40,}/g, "…");
  return scrubbed.length > MAX_MESSAGE ? `${scrubbed.slice(0, MAX_MESSAGE)}…` : scrubbed;
}

function field(error: Record<string, unknown>, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = error[name];
    if (typeof value === "string" && value.length > 0 && value.length <= 100) return value;
  }
  return undefined;
}

export function safeError(error: unknown, depth = 0): SafeError {
  if (!(error instanceof Error) && (typeof error !== "object" || error === null)) {
    return { type: typeof error, message: "(not an Error)" };
  }
  const e = error as Error & Record<string, unknown>;
  const type = (e.constructor?.name && e.constructor.name !== "Object" ? e.constructor.name : undefined) ?? field(e, "name") ?? "Error";
  const out: SafeError = { type, message: scrubMessage(typeof e.message === "string" ? e.message : "") };
  const code = typeof e.code === "string" || typeof e.code === "number" ? String(e.code).slice(0, 40) : undefined;
  if (code) out.code = code;
  // postgres.js: constraint_name, table_name, column_name; PGlite / node-postgres: constraint, table, column
  const constraint = field(e, "constraint_name", "constraint");
  if (constraint) out.constraint = constraint;
  const table = field(e, "table_name", "table");
  if (table) out.table = table;
  const column = field(e, "column_name", "column");
  if (column) out.column = column;
  if (e.cause !== undefined && depth < 3) out.cause = safeError(e.cause, depth + 1);
  if (depth === 0 && typeof e.stack === "string") {
    // The first line repeats the message (a driver's names the query and its parameters): frames only.
    out.stack = e.stack
      .split("\n")
      .filter((line) => /^\s+at /.test(line))
      .slice(0, 12)
      .map((line) => line.trim());
  }
  return out;
}
