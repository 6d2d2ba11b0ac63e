import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { type Actor, type Command, jurisdictionCovers, jurisdictionPrefix } from "../../actor.js";
import type { BulkLoad, BulkValue } from "../../db/bulk-load.js";
import { type Database, type Drizzle, rowsIn } from "../../db/client.js";
import { PgCode, pgConstraint, pgErrorCode } from "../../db/errors.js";
import { ForbiddenError, UnauthenticatedError } from "../../errors.js";
import type { AuditService } from "../audit/index.js";
import { PREFECTURE_CODE } from "../geography/index.js";
import { type IdNumberHasher, householdDiffers, maySeeHeadName, mergeHouseholdsFrom } from "../households/index.js";
import { type ComparisonSummary, type Difference, compareStaging, comparisonSummary, differences } from "./household-comparison.js";
import { type FileFormat, type FileRow, UnreadableFileError, fileRows } from "./household-file.js";
import { HEADER, type ImportError, STAGED_COLUMNS, checkRow, headerErrors, stagedValues } from "./household-row.js";
import { STAGING_TABLE, analyseStaging, createStaging, plannedCounts, staging, stagingErrors } from "./household-staging.js";

export interface ImportFile {
  path: string;
  format: FileFormat;
}

export interface ImportOptions {
  /** check everything and count what would change, write nothing */
  dryRun: boolean;
  /** a county of the caller's jurisdiction to limit the import (and a comparison) to; absent: all of it */
  countyCode?: string | undefined;
}

/** The answer of an import (API.md "Second round"): all-or-nothing, so with errors nothing was written. */
export interface ImportReport {
  dryRun: boolean;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  errors: ImportError[];
}

export interface HouseholdImportSettings {
  /** statement_timeout inside an import's transaction (the API's default is for requests, not files) */
  statementTimeoutMs: number;
  /** errors listed in a report at most (the rest are counted in a last entry) */
  maxReportedErrors: number;
}

/** What staging a file found: its data rows and the errors of the file, in line order. */
interface Staged {
  rows: number;
  errors: ImportError[];
}

const columnOrder = new Map<string | null, number>(HEADER.map((name, i) => [name, i]));

function byPlace(a: ImportError, b: ImportError): number {
  return (a.line ?? 0) - (b.line ?? 0) || (columnOrder.get(a.column) ?? -1) - (columnOrder.get(b.column) ?? -1);
}

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
    private readonly settings: HouseholdImportSettings,
  ) {}

  /**
   * The code prefix of the places the actor may import into (433124…, or 4331… for the whole
   * prefecture): a county office its county, the prefecture office and admins any county (or the one
   * given). Everyone else is refused, as GraphQL's household mutations refuse them.
   */
  jurisdiction(actor: Actor, countyCode?: string): string {
    if (actor.kind === "anonymous") throw new UnauthenticatedError();
    if (actor.kind !== "user" || !(actor.role === "ADMIN" || (actor.role === "REVIEWER" && actor.divisionCode))) {
      throw new ForbiddenError("只有县市扶贫办、州扶贫办和管理员可以导入或比对建档立卡户 Only poverty offices and admins import households");
    }
    const own = actor.role === "ADMIN" ? PREFECTURE_CODE : actor.divisionCode!;
    if (countyCode && countyCode !== PREFECTURE_CODE) {
      if (!jurisdictionCovers(own, countyCode)) throw new ForbiddenError(`${countyCode} 不在本单位辖区内 The county is outside your jurisdiction`);
      return countyCode;
    }
    return jurisdictionPrefix(own);
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

  /**
   * Streams the file into the staging table, checking each row on the way (rows with errors are not
   * staged), then runs the set-based checks. Memory holds a row at a time and the first errors.
   */
  private async stage(tx: Drizzle, load: BulkLoad, file: ImportFile, placePrefix: string): Promise<Staged> {
    await tx.execute(sql.raw(`set local statement_timeout = ${Math.floor(this.settings.statementTimeoutMs)}`));
    // The checks' window functions and the merge sort the whole file: in memory, not in temporary files.
    await tx.execute(sql.raw("set local work_mem = '64MB'"));
    await tx.execute(createStaging);
    const limit = this.settings.maxReportedErrors;
    const found: ImportError[] = [];
    let errorCount = 0;
    let rows = 0;
    let header = false;
    const note = (error: ImportError) => {
      errorCount += 1;
      if (found.length < limit) found.push(error);
    };
    const hasher = this.hasher;
    async function* checked(source: AsyncIterable<FileRow[]>) {
      try {
        for await (const batch of source) {
          const staged: BulkValue[][] = [];
          for (const row of batch) {
            if (!header) {
              header = true;
              const problems = headerErrors(row.cells);
              problems.forEach(note);
              if (problems.length > 0) return;
              continue;
            }
            rows += 1;
            const checkedRow = checkRow(row, placePrefix, hasher);
            checkedRow.errors.forEach(note);
            if (checkedRow.staged) staged.push(stagedValues(checkedRow.staged));
          }
          yield staged;
        }
      } catch (error) {
        // The staging table keeps what came before; the import is refused with the reason.
        if (!(error instanceof UnreadableFileError)) throw error;
        header = true;
        note({ line: error.line, column: null, message: error.message });
      }
    }
    const stagedRows = await load(STAGING_TABLE, STAGED_COLUMNS, checked(fileRows(file.path, file.format)));
    if (!header) note({ line: null, column: null, message: `文件为空：第一行应为表头“${HEADER.join(",")}”` });
    if (stagedRows > 0) {
      await tx.execute(analyseStaging);
      for (const error of await stagingErrors(tx, placePrefix, limit)) note(error);
    }
    const errors = found.sort(byPlace).slice(0, limit);
    if (errorCount > errors.length) {
      errors.push({ line: null, column: null, message: `另有 ${errorCount - errors.length} 处错误未列出（只列出按行号排序的前 ${limit} 处）` });
    }
    return { rows, errors };
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
      return { errors: errors.sort(byPlace) };
    }
  }
}
