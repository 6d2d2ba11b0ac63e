/**
 * 建档立卡户导入与比对: household files from the national poverty information system imported
 * (validated, all-or-nothing, repeatable) or compared with the platform (常态化比对), and the file-import
 * machinery other imports share (village collective incomes): reading CSV/XLSX as a stream, staging,
 * line/column errors, the HTTP route. The module's face: the HTTP server routes `/imports/*` to the
 * handler, the CLI (`npm run import`) calls the services.
 */
import type { HouseholdImportService } from "./household-import.service.js";

export { HouseholdImportService } from "./household-import.service.js";
export { createImportHandler, type FileImporter, type ImportHandler, type ImportOutcome, type ImportRoute } from "./import.http.js";
export { sniffFormat, type FileFormat, type FileRow } from "./household-file.js";
export { writeComparisonCsv, type ComparisonSummary } from "./household-comparison.js";
export { HEADER as HOUSEHOLD_FILE_HEADER } from "./household-row.js";
// The shared machinery of file imports.
export {
  type FileLayout,
  type ImportError,
  type ImportFile,
  type ImportOptions,
  type ImportReport,
  type ImportSettings,
  byPlace,
  officeJurisdiction,
  stageFile,
  rowCells,
} from "./staged-file.js";

declare module "../../graphql/context.js" {
  interface Services {
    householdImport: HouseholdImportService;
  }
}
