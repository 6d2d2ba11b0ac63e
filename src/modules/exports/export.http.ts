import type { IncomingMessage, ServerResponse } from "node:http";
import { ForbiddenError, InvalidArgumentError, UnauthenticatedError } from "../../errors.js";
import type { RequestContext } from "../../graphql/context.js";
import { catalogExport } from "./catalog.export.js";
import { consumptionExport } from "./consumption.export.js";
import type { ExportBuilder, ExportFormat } from "./export.types.js";
import { indicatorsExport } from "./indicators.export.js";
import { ordersExport } from "./orders.export.js";
import { ExportParams } from "./params.js";
import { writeCsv, writeXlsx } from "./table.js";

/** The exports, by name, and the formats each is offered in (API.md "Second round"). */
const exportsByName: Record<string, { build: ExportBuilder; formats: readonly ExportFormat[] }> = {
  catalog: { build: catalogExport, formats: ["csv", "xlsx"] },
  "consumption-progress": { build: consumptionExport, formats: ["csv", "xlsx"] },
  indicators: { build: indicatorsExport, formats: ["xlsx"] },
  orders: { build: ordersExport, formats: ["csv"] },
};

export const exportPaths = Object.entries(exportsByName).flatMap(([name, e]) => e.formats.map((f) => `/exports/${name}.${f}`));

const contentTypes: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

/** What the request came to, for its log line (no parameters, nothing personal). */
export interface ExportOutcome {
  status: number;
  rows: number;
}

export function sendError(res: ServerResponse, status: number, code: string, message: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const text = JSON.stringify({ errors: [{ message, extensions: { code, ...extra } }] });
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** RFC 6266 / RFC 5987: an ASCII `filename` for old clients and the Chinese name as `filename*`. */
export function contentDisposition(asciiName: string, name: string): string {
  const ascii = asciiName.replace(/[^A-Za-z0-9._-]/g, "_");
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** A refusal the caller can act on, as the GraphQL API would code it; anything else is not ours to answer. */
export function refusal(res: ServerResponse, error: unknown): number | undefined {
  if (error instanceof InvalidArgumentError) {
    sendError(res, 400, "BAD_USER_INPUT", error.message, error.argument ? { argument: error.argument } : {});
    return 400;
  }
  if (error instanceof UnauthenticatedError) {
    sendError(res, 401, "UNAUTHENTICATED", error.message, {}, { "www-authenticate": 'Bearer realm="fupin"' });
    return 401;
  }
  if (error instanceof ForbiddenError) {
    sendError(res, 403, "FORBIDDEN", error.message);
    return 403;
  }
  return undefined;
}

/**
 * The handler of `GET /exports/<name>.<csv|xlsx>` for an authenticated request (the HTTP server has
 * identified the caller as for /graphql). Parameters and authorization are checked, and the first
 * page read, before anything is sent: a refusal is a JSON error with a status (400, 401, 403, 404,
 * 405); after that the file streams, and a failure midway cuts the connection (never half a file
 * that looks whole).
 */
export function createExportHandler() {
  return async function handleExport(context: RequestContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<ExportOutcome> {
    const match = /^\/exports\/([a-z-]+)\.(csv|xlsx)$/.exec(url.pathname);
    const entry = match ? exportsByName[match[1]!] : undefined;
    const format = match?.[2] as ExportFormat | undefined;
    if (!entry || !format || !entry.formats.includes(format)) {
      sendError(res, 404, "NOT_FOUND", `No such export; the exports are ${exportPaths.join(", ")}`);
      return { status: 404, rows: 0 };
    }
    if (req.method !== "GET") {
      sendError(res, 405, "METHOD_NOT_ALLOWED", "Exports are read with GET", {}, { allow: "GET" });
      return { status: 405, rows: 0 };
    }
    let file;
    try {
      file = await entry.build(context, new ExportParams(url.searchParams), format);
    } catch (error) {
      const status = refusal(res, error);
      if (status === undefined) throw error;
      return { status, rows: 0 };
    }
    res.writeHead(200, {
      "content-type": contentTypes[format],
      "content-disposition": contentDisposition(`${file.asciiName}.${format}`, `${file.name}.${format}`),
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    });
    try {
      const rows = format === "csv" ? await writeCsv(res, file.tables[0]!) : await writeXlsx(res, file.tables);
      return { status: 200, rows };
    } catch (error) {
      // The client hung up: nothing to answer. Otherwise the half-sent file is cut off, not ended.
      if (res.destroyed && !res.writableFinished && req.socket.destroyed) return { status: 499, rows: 0 };
      context.logger.error({ err: error, export: url.pathname }, "export failed midway");
      res.destroy();
      return { status: 500, rows: 0 };
    }
  };
}

export type ExportHandler = ReturnType<typeof createExportHandler>;
