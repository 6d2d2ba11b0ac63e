import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Actor, Command } from "../../actor.js";
import { PgCode, pgErrorCode } from "../../db/errors.js";
import { commandOf, type RequestContext, type Services } from "../../graphql/context.js";
import { ExportParams, authorized, contentDisposition, refusal, sendError } from "../exports/index.js";
import { writeComparisonCsv } from "./household-comparison.js";
import { sniffFormat } from "./household-file.js";
import type { ImportFile, ImportOptions, ImportReport } from "./staged-file.js";

/** What `POST /imports/<kind>` needs of a kind's service. */
export interface FileImporter {
  /** the caller's jurisdiction (a code prefix), or a ForbiddenError / UnauthenticatedError */
  jurisdiction(actor: Actor, countyCode?: string): string;
  importFile(command: Command, file: ImportFile, options: ImportOptions): Promise<ImportReport>;
}

/** One import's route: its service, and whether it also compares (`compare=true`, households only). */
export interface ImportRoute {
  importer: (services: Services) => FileImporter;
  compares?: boolean;
}

/** What the request came to, for its log line: a status and the file's data rows (nothing from the file). */
export interface ImportOutcome {
  status: number;
  rows: number;
}

class BodyTooLargeError extends Error {}

/** Copies the body to a file, refusing it once it passes `maxBytes` (the declared length is checked first). */
async function receive(req: IncomingMessage, path: string, maxBytes: number): Promise<number> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) throw new BodyTooLargeError();
  let size = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      done(size > maxBytes ? new BodyTooLargeError() : null, chunk);
    },
  });
  await pipeline(req, limit, createWriteStream(path));
  return size;
}

/**
 * `POST /imports/<kind>?dryRun=&countyCode=` with a CSV or XLSX body (API.md "Second round"; households
 * also `compare=`), for county offices (their county), the prefecture office and admins, as the GraphQL
 * mutations of the same records. The caller and the parameters are checked before the body is read; the body goes to a
 * temporary file (so a slow upload holds no database connection), then the import reads it as a stream.
 * An import answers its JSON report: 200 when the file was accepted (or would be, on a dry run), 422
 * when it was refused with its errors (nothing written). A comparison answers a CSV report.
 */
export function createImportHandler(options: { maxBytes: number; routes: Record<string, ImportRoute> }) {
  const paths = Object.keys(options.routes);
  return async function handleImport(context: RequestContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<ImportOutcome> {
    const route = Object.hasOwn(options.routes, url.pathname) ? options.routes[url.pathname] : undefined;
    if (!route) {
      sendError(res, 404, "NOT_FOUND", `No such import; the imports are ${paths.join(", ")}`);
      return { status: 404, rows: 0 };
    }
    if (req.method !== "POST") {
      sendError(res, 405, "METHOD_NOT_ALLOWED", "Imports are sent with POST (a CSV or XLSX body)", {}, { allow: "POST" });
      return { status: 405, rows: 0 };
    }
    const service = route.importer(context.services);
    let dryRun: boolean;
    let compare: boolean;
    let countyCode: string | undefined;
    try {
      authorized(context, "REVIEWER", "ADMIN");
      const params = new ExportParams(url.searchParams).only("dryRun", "countyCode", ...(route.compares ? ["compare"] : []));
      dryRun = params.oneOf("dryRun", ["true", "false"], "false") === "true";
      compare = route.compares === true && params.oneOf("compare", ["true", "false"], "false") === "true";
      countyCode = await params.countyCode(context);
      service.jurisdiction(context.actor, countyCode);
    } catch (error) {
      const status = refusal(res, error);
      if (status === undefined) throw error;
      res.setHeader("connection", "close");
      req.resume();
      return { status, rows: 0 };
    }

    const folder = await mkdtemp(join(tmpdir(), "file-import-"));
    try {
      const path = join(folder, "upload");
      try {
        await receive(req, path, options.maxBytes);
      } catch (error) {
        if (!(error instanceof BodyTooLargeError)) {
          if (req.destroyed) return { status: 499, rows: 0 };
          throw error;
        }
        res.setHeader("connection", "close");
        sendError(res, 413, "PAYLOAD_TOO_LARGE", `文件超过 ${options.maxBytes} 字节的上限 The file exceeds ${options.maxBytes} bytes`, { limit: { name: "importBytes", max: options.maxBytes } });
        req.resume();
        return { status: 413, rows: 0 };
      }
      if ((await stat(path)).size === 0) {
        sendError(res, 400, "BAD_USER_INPUT", "请求体为空：请上传 CSV 或 XLSX 文件 The body must be a CSV or XLSX file");
        return { status: 400, rows: 0 };
      }
      const file = { path, format: await sniffFormat(path) };
      if (compare) return await sendComparison(context, res, file, countyCode);
      const report = await service.importFile(commandOf(context), file, { dryRun, countyCode });
      const status = report.errors.length > 0 ? 422 : 200;
      const text = JSON.stringify(report);
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text), "cache-control": "no-store" });
      res.end(text);
      return { status, rows: report.rows };
    } catch (error) {
      // Two imports racing over the same households: PostgreSQL broke the tie; the loser may simply retry.
      const code = pgErrorCode(error);
      if (!res.headersSent && (code === PgCode.deadlockDetected || code === PgCode.serializationFailure)) {
        sendError(res, 409, "CONFLICT", "另一导入正在修改同一批记录，请稍后重试 Another import is changing the same records; retry");
        return { status: 409, rows: 0 };
      }
      throw error;
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  };
}

/** The comparison report as CSV, streamed; a failure midway cuts the connection (never half a report that looks whole). */
async function sendComparison(context: RequestContext, res: ServerResponse, file: { path: string; format: "csv" | "xlsx" }, countyCode: string | undefined): Promise<ImportOutcome> {
  try {
    const summary = await context.services.householdImport.compareHouseholds(commandOf(context), file, { countyCode }, async (lines) => {
      res.writeHead(200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": contentDisposition("household-comparison.csv", "建档立卡户比对.csv"),
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      });
      await writeComparisonCsv(lines, res);
    });
    return { status: 200, rows: summary.rows };
  } catch (error) {
    if (!res.headersSent) throw error;
    context.logger.error({ err: error }, "household comparison failed midway");
    res.destroy();
    return { status: 500, rows: 0 };
  }
}

export type ImportHandler = ReturnType<typeof createImportHandler>;
