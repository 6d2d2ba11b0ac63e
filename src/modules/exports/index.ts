/**
 * 数据导出: spreadsheets for the offices (CSV with a UTF-8 BOM, XLSX), streamed over HTTP with the
 * caller's credentials and the authorization of the GraphQL equivalents. The module's face: the HTTP
 * server routes `/exports/*` to the handler this factory makes.
 */
export { createExportHandler, exportPaths, type ExportHandler, type ExportOutcome } from "./export.http.js";
// The HTTP plumbing the household import shares: parameters, the GraphQL authorization, refusals as coded JSON.
export { contentDisposition, refusal, sendError } from "./export.http.js";
export { ExportParams } from "./params.js";
export { authorized } from "./export.types.js";
