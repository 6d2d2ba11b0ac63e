import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Actor, Command } from "../../actor.js";
import type { BulkLoad } from "../../db/bulk-load.js";
import { type Database, type Drizzle, rowsIn } from "../../db/client.js";
import { PgCode, pgConstraint, pgErrorCode } from "../../db/errors.js";
import type { AuditService } from "../audit/index.js";
import { type IdNumberHasher, householdDiffers, maySeeHeadName, mergeHouseholdsFrom } from "../households/index.js";
import { type ComparisonSummary, type Difference, compareStaging, comparisonSummary, differences } from "./household-comparison.js";
import { HEADER, type ImportError, STAGED_COLUMNS, checkRow, stagedValues } from "./household-row.js";
import { STAGING_TABLE, createStaging, plannedCounts, staging, stagingErrors } from "./household-staging.js";
import { type ImportFile, type ImportOptions, type ImportReport, type ImportSettings, type Staged, byPlace, officeJurisdiction, stageFile } from "./staged-file.js";

export type { ImportFile, ImportOptions, ImportReport } from "./staged-file.js";
export type HouseholdImportSettings = ImportSettings;

const inFileOrder = byPlace(HEADER);

/**
 * 建档立卡户导入与比对: files from the national poverty information system, validated row by row,
 * loaded all-or-nothing and repeatably (upsert by household number), or compared with the platform
 * without changing anything. A file is streamed into a staging table (COPY), checked set-based,
 * and merged in one statement, in one transaction.
 */
export class HouseholdImportService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly hasher: IdNumberHasher,
    private readonly settings: ImportSettings,
  ) {}

  /**
   * The code prefix of the places the actor may import into (433124…, or 4331… for the whole
   * prefecture): a county office its county, the prefecture office and admins any county (or the one
   * given). Everyone else is refused, as GraphQL's household mutations refuse them.
   */
  jurisdiction(actor: Actor, countyCode?: string): string {
    return officeJurisdiction(actor, countyCode, "只有县市扶贫办、州扶贫办和管理员可以导入或比对建档立卡户 Only poverty offices and admins import households");
  }

  /** The importer's face for `POST /imports/households` (import.http.ts). */
  importFile(command: Command, file: ImportFile, options: ImportOptions): Promise<ImportReport> {
    return this.importHouseholds(command, file, options);
  }

  async importHouseholds(command: Command, file: ImportFile, options: ImportOptions): Promise<ImportReport> {
    const placePrefix = this.jurisdiction(command.actor, options.countyCode);
    return this.database.bulkTransaction(async (tx, load) => {
      const staged = await this.stage(tx, load, file, placePrefix);
      const report = { dryRun: options.dryRun, rows: staged.rows, inserted: 0, updated: 0, unchanged: 0, errors: staged.errors };
      if (staged.errors.length > 0) return report;
      const counts = options.dryRun ? await this.planned(tx) : await this.merge(tx, placePrefix);
      if ("errors" in counts) return { ...report, errors: counts.errors };
      const result = { ...report, ...counts, unchanged: staged.rows - counts.inserted - counts.updated };
      if (!options.dryRun) {
        // One entry per import, with its counts: nothing of any household in it.
        await this.audit.record(tx, command, {
          operation: "importHouseholds",
          entityType: "HouseholdImport",
          entityId: randomUUID(),
          after: { format: file.format, jurisdiction: placePrefix.padEnd(6, "0"), rows: result.rows, inserted: result.inserted, updated: result.updated, unchanged: result.unchanged },
        });
      }
      return result;
    });
  }

  /**
   * Compares a file with the households of the caller's jurisdiction (or `countyCode`) and hands the
   * report's lines to `consume` as they are read; changes nothing.
   */
  async compareHouseholds(command: Command, file: ImportFile, options: Pick<ImportOptions, "countyCode">, consume: (lines: AsyncIterable<Difference>) => Promise<void>): Promise<ComparisonSummary & { rows: number }> {
    const placePrefix = this.jurisdiction(command.actor, options.countyCode);
    // The heads' names whole only for the household's own county office and admins (DOMAIN.md).
    const showNames = maySeeHeadName(command.actor, { countyCode: placePrefix });
    return this.database.bulkTransaction(async (tx, load) => {
      const staged = await this.stage(tx, load, file, placePrefix);
      await tx.execute(compareStaging(placePrefix));
      const [summary] = await rowsIn<{ only_in_file: number; only_in_platform: number; households_differing: number; fields_differing: number }>(tx, comparisonSummary);
      await consume(differences(tx, staged.errors, showNames));
      return {
        rows: staged.rows,
        fileErrors: staged.errors.length,
        onlyInFile: summary?.only_in_file ?? 0,
        onlyInPlatform: summary?.only_in_platform ?? 0,
        householdsDiffering: summary?.households_differing ?? 0,
        fieldsDiffering: summary?.fields_differing ?? 0,
      };
    });
  }

  /** Streams the file into the staging table and checks it (staged-file.ts): a row at a time in memory. */
  private stage(tx: Drizzle, load: BulkLoad, file: ImportFile, placePrefix: string): Promise<Staged> {
    const hasher = this.hasher;
    return stageFile(tx, load, file, {
      header: HEADER,
      table: STAGING_TABLE,
      columns: STAGED_COLUMNS,
      create: createStaging,
      checkRow(row) {
        const checked = checkRow(row, placePrefix, hasher);
        return checked.staged ? { errors: checked.errors, values: stagedValues(checked.staged) } : { errors: checked.errors };
      },
      checkStaged: (tx, limit) => stagingErrors(tx, placePrefix, limit),
    }, this.settings);
  }

  private async planned(tx: Drizzle): Promise<{ inserted: number; updated: number }> {
    const [counts] = await rowsIn<{ inserted: number; updated: number }>(tx, plannedCounts(householdDiffers("h", "s")));
    return { inserted: counts?.inserted ?? 0, updated: counts?.updated ?? 0 };
  }

  /**
   * The one merge. A head's ID number that another transaction registered since the checks ran makes
   * the unique index refuse it: the merge is undone (to its savepoint) and the check, run again, names
   * the row, so the caller gets a line rather than a database error.
   */
  private async merge(tx: Drizzle, placePrefix: string): Promise<{ inserted: number; updated: number } | { errors: ImportError[] }> {
    try {
      return await tx.transaction(async (savepoint) => {
        const [counts] = await rowsIn<{ inserted: number; updated: number }>(savepoint, mergeHouseholdsFrom(staging));
        return { inserted: counts?.inserted ?? 0, updated: counts?.updated ?? 0 };
      });
    } catch (error) {
      if (pgErrorCode(error) !== PgCode.uniqueViolation || pgConstraint(error) !== "households_head_id_hash_key") throw error;
      const errors = await stagingErrors(tx, placePrefix, this.settings.maxReportedErrors);
      if (errors.length === 0) throw error;
      return { errors: errors.sort(inFileOrder) };
    }
  }
}
