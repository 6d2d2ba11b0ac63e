import { randomUUID } from "node:crypto";
import type { Actor, Command } from "../../actor.js";
import { businessYear } from "../../clock.js";
import { type Database, type Drizzle, rowsIn } from "../../db/client.js";
import type { AuditService } from "../audit/index.js";
import { type FileImporter, type ImportFile, type ImportOptions, type ImportReport, type ImportSettings, officeJurisdiction, stageFile } from "../household-import/index.js";
import { collectiveIncomeLayout, lockRecorded, mergeStaged, plannedCounts } from "./collective-income-file.js";

/**
 * 村级集体经济收入导入: a county office's yearly collective incomes in one file (CSV or XLSX, header in
 * collective-income-file.ts), with the household import's machinery: streamed, checked row by row and
 * set-based, all or nothing, repeatable (keyed by village, year and source, as recordCollectiveIncome
 * stores them), a dry run that counts, one audit entry per record written and one for the import.
 */
export class CollectiveIncomeImportService implements FileImporter {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly settings: ImportSettings,
  ) {}

  /** Who may import, and where: as recordCollectiveIncome, the village's county office, the prefecture office, admins. */
  jurisdiction(actor: Actor, countyCode?: string): string {
    return officeJurisdiction(actor, countyCode, "只有县市扶贫办、州扶贫办和管理员可以导入村级集体经济收入 Only poverty offices and admins import collective incomes");
  }

  importFile(command: Command, file: ImportFile, options: ImportOptions): Promise<ImportReport> {
    return this.importCollectiveIncomes(command, file, options);
  }

  async importCollectiveIncomes(command: Command, file: ImportFile, options: ImportOptions): Promise<ImportReport> {
    const placePrefix = this.jurisdiction(command.actor, options.countyCode);
    const layout = collectiveIncomeLayout(placePrefix, businessYear());
    return this.database.bulkTransaction(async (tx, load) => {
      const staged = await stageFile(tx, load, file, layout, this.settings);
      const report = { dryRun: options.dryRun, rows: staged.rows, inserted: 0, updated: 0, unchanged: 0, errors: staged.errors };
      if (staged.errors.length > 0) return report;
      if (!options.dryRun) await tx.execute(lockRecorded);
      const counts = await this.counts(tx, options.dryRun ? plannedCounts : mergeStaged(command));
      const result = { ...report, ...counts, unchanged: staged.rows - counts.inserted - counts.updated };
      if (!options.dryRun) {
        await this.audit.record(tx, command, {
          operation: "importCollectiveIncomes",
          entityType: "CollectiveIncomeImport",
          entityId: randomUUID(),
          after: { format: file.format, jurisdiction: placePrefix.padEnd(6, "0"), rows: result.rows, inserted: result.inserted, updated: result.updated, unchanged: result.unchanged },
        });
      }
      return result;
    });
  }

  private async counts(tx: Drizzle, statement: Parameters<typeof rowsIn>[1]): Promise<{ inserted: number; updated: number }> {
    const [counts] = await rowsIn<{ inserted: number; updated: number }>(tx, statement);
    return { inserted: counts?.inserted ?? 0, updated: counts?.updated ?? 0 };
  }
}
