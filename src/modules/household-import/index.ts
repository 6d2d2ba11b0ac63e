/**
 * 建档立卡户导入与比对: household files from the national poverty information system imported
 * (validated, all-or-nothing, repeatable) or compared with the platform (常态化比对). The module's face:
 * the HTTP server routes `/imports/*` to the handler, the CLI (`npm run import`) calls the service.
 */
import type { HouseholdImportService } from "./household-import.service.js";

export { HouseholdImportService, type ImportReport, type ImportOptions, type ImportFile } from "./household-import.service.js";
export { createImportHandler, importPaths, type ImportHandler, type ImportOutcome } from "./import.http.js";
export { sniffFormat, type FileFormat } from "./household-file.js";
export { writeComparisonCsv, type ComparisonSummary } from "./household-comparison.js";
export { HEADER as HOUSEHOLD_FILE_HEADER } from "./household-row.js";

declare module "../../graphql/context.js" {
  interface Services {
    householdImport: HouseholdImportService;
  }
}
