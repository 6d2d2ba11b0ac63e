/**
 * 数据导出: spreadsheets for the offices (CSV with a UTF-8 BOM, XLSX), streamed over HTTP with the
 * caller's credentials and the authorization of the GraphQL equivalents. The module's face: the HTTP
 * server routes `/exports/*` to the handler this factory makes.
 */
export { createExportHandler, exportPaths, type ExportHandler, type ExportOutcome } from "./export.http.js";
