/** 村级集体经济收入: village collectives' yearly income. The module's face. */
import type { CollectiveIncomeImportService } from "./collective-income-import.service.js";
import type { CollectiveIncomeService } from "./collective-income.service.js";

export { CollectiveIncomeResolver, VillageCollectiveIncomeResolver } from "./collective-income.resolver.js";
export { CollectiveIncomeService, type NewCollectiveIncome, type VillageIncome } from "./collective-income.service.js";
export { CollectiveIncomeImportService } from "./collective-income-import.service.js";
export { HEADER as COLLECTIVE_INCOME_FILE_HEADER } from "./collective-income-file.js";
export { VillageCollectiveIncome, CollectiveIncomeSource } from "./collective-income.types.js";
/** SQL pieces other modules compose instead of naming the table. */
export { COLLECTIVE_INCOME_LINE, villageCollectiveIncomes } from "./collective-income.sql.js";
export { collectiveIncomes, collectiveIncomeSource, type CollectiveIncomeRow } from "./collective-income.schema.js";

declare module "../../graphql/context.js" {
  interface Services {
    collectiveIncome: CollectiveIncomeService;
    collectiveIncomeImport: CollectiveIncomeImportService;
  }
}
