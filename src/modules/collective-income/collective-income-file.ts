import { type SQL, sql } from "drizzle-orm";
import { type Command, actorIds } from "../../actor.js";
import type { BulkValue } from "../../db/bulk-load.js";
import { type Drizzle, rowsIn } from "../../db/client.js";
import { labelOf } from "../../graphql/enums.js";
import { MONEY_CEILING } from "../../graphql/money.js";
import { yuanToFen } from "../../money.js";
import { insertAuditEntries } from "../audit/index.js";
import { divisions } from "../geography/index.js";
import { type FileLayout, type ImportError, type FileRow, rowCells } from "../household-import/index.js";
import { collectiveIncomes } from "./collective-income.schema.js";
import { CollectiveIncomeSource } from "./collective-income.types.js";

/**
 * 村级集体经济收入导入: the file's fixed header, in this order. One row per village, year and source,
 * the key `recordCollectiveIncome` stores by: a row for a key already recorded revises its amount and note.
 * 行政村名称 may be left empty; when given it must be the village's registered name (a typo in a code
 * then names the wrong village and is caught).
 */
export const HEADER = ["行政村代码", "行政村名称", "年度", "收入来源", "金额（元）", "备注"] as const;
export type ColumnName = (typeof HEADER)[number];
type RowError = ImportError<ColumnName>;

type Source = keyof typeof CollectiveIncomeSource;
/** 收入来源 as the file writes it: the Chinese label (光伏扶贫电站收益 …) or the API's value (PHOTOVOLTAIC …). */
const sourceByText = new Map<string, Source>(
  (Object.keys(CollectiveIncomeSource) as Source[]).flatMap((source) => [
    [labelOf(CollectiveIncomeSource, source)!, source],
    [source, source],
  ]),
);
const sourceLabels = (Object.keys(CollectiveIncomeSource) as Source[]).map((source) => labelOf(CollectiveIncomeSource, source)!);

export const STAGING_TABLE = "collective_income_import_rows";
const staging = sql.raw(STAGING_TABLE);
export const STAGED_COLUMNS = ["line", "village_code", "village_name", "year", "source", "amount", "note"] as const;

export const createStaging = sql`create temporary table ${staging} (
    line integer not null,
    village_code varchar(12) not null,
    village_name varchar(50),
    year smallint not null,
    source collective_income_source not null,
    amount numeric(14, 2) not null,
    note text
  ) on commit drop`;

const MAX_NOTE = 500;
const MAX_NAME = 50;
const FIRST_YEAR = 2015;

/**
 * Checks one data row on its own, with the rules of `recordCollectiveIncome` (collective-income.inputs.ts
 * and the service): a 12-digit village code in the caller's jurisdiction (`placePrefix`), a year from
 * 2015 that has begun (China time, `currentYear`), a known source, yuan with at most two decimals, not
 * negative, at most 9,999,999,999.99, a note of at most 500 characters.
 */
export function checkRow(row: FileRow, placePrefix: string, currentYear: number): { values?: BulkValue[]; errors: RowError[] } {
  const { line } = row;
  const errors: RowError[] = [];
  const fail = (column: ColumnName | null, message: string) => errors.push({ line, column, message });
  const shaped = rowCells(row, HEADER.length);
  if ("error" in shaped) return { errors: [shaped.error] };
  const { cell } = shaped;

  const villageCode = cell(0);
  if (!/^[0-9]{12}$/.test(villageCode)) fail("行政村代码", villageCode ? "行政村代码应为 12 位数字" : "行政村代码不能为空");
  else if (!villageCode.startsWith(placePrefix)) fail("行政村代码", `行政村 ${villageCode} 不在本单位辖区（${placePrefix.padEnd(6, "0")}）内`);

  const villageName = cell(1);
  if ([...villageName].length > MAX_NAME) fail("行政村名称", `行政村名称不能超过 ${MAX_NAME} 个字`);

  const yearText = cell(2);
  const year = /^[0-9]{4}$/.test(yearText) ? Number(yearText) : NaN;
  if (!(year >= FIRST_YEAR && year <= 2100)) fail("年度", yearText ? `年度应为 ${FIRST_YEAR} 年以后的四位年份（实际为“${yearText.slice(0, 10)}”）` : "年度不能为空");
  else if (year > currentYear) fail("年度", `${year} 年尚未开始（按北京时间）`);

  const source = sourceByText.get(cell(3));
  if (!source) fail("收入来源", `收入来源应为 ${sourceLabels.join("、")} 之一`);

  const amountText = cell(4);
  let amount: string | undefined;
  if (!amountText) fail("金额（元）", "金额不能为空");
  else if (/^-\d+(\.\d{1,2})?$/.test(amountText)) fail("金额（元）", "金额不能为负数");
  else if (!/^\d{1,13}(\.\d{1,2})?$/.test(amountText)) fail("金额（元）", `金额应为元，最多两位小数，如 52000.50（实际为“${amountText.slice(0, 20)}”）`);
  else if (yuanToFen(amountText) > yuanToFen(MONEY_CEILING.total)) fail("金额（元）", `金额不能超过 ${MONEY_CEILING.total} 元`);
  else amount = amountText;

  const note = cell(5);
  if ([...note].length > MAX_NOTE) fail("备注", `备注不能超过 ${MAX_NOTE} 个字`);

  if (errors.length > 0 || !source || amount === undefined) return { errors };
  return { errors, values: [line, villageCode, villageName || null, year, source, amount, note || null] };
}

/**
 * The checks that need the database or the whole file, each one set-based statement over the staging
 * table, at most `limit` errors each: the village exists (a VILLAGE of the divisions), its name (when
 * given) is the registered one, and a village, year and source appear once in the file.
 */
export async function stagingErrors(tx: Drizzle, limit: number): Promise<RowError[]> {
  const unknownVillages = await rowsIn<{ line: number; village_code: string }>(tx, sql`select s.line, s.village_code from ${staging} s
      where not exists (select 1 from ${divisions} d where d.code = s.village_code and d.level = 'VILLAGE')
      order by s.line limit ${limit}`);
  const otherNames = await rowsIn<{ line: number; village_name: string; village_code: string; registered: string }>(tx, sql`select s.line, s.village_name, s.village_code, d.name as registered
      from ${staging} s join ${divisions} d on d.code = s.village_code and d.level = 'VILLAGE'
      where s.village_name is not null and s.village_name <> d.name
      order by s.line limit ${limit}`);
  const repeated = await rowsIn<{ line: number; first_line: number }>(tx, sql`select line, first_line from (
        select line, min(line) over (partition by village_code, year, source) as first_line from ${staging}) x
      where line <> first_line order by line limit ${limit}`);
  return [
    ...unknownVillages.map((r): RowError => ({ line: r.line, column: "行政村代码", message: `行政村代码 ${r.village_code} 不是湘西州已登记的行政村` })),
    ...otherNames.map((r): RowError => ({ line: r.line, column: "行政村名称", message: `行政村代码 ${r.village_code} 登记的名称是“${r.registered}”，不是“${r.village_name}”` })),
    ...repeated.map((r): RowError => ({ line: r.line, column: "收入来源", message: `同一行政村、年度和收入来源已在第 ${r.first_line} 行出现（每村每年每个来源一行）` })),
  ];
}

const sameKey = sql`(c.village_code, c.year, c.source) = (s.village_code, s.year, s.source)`;
const differs = (c: string, s: string) => sql.raw(`(${c}.amount <> ${s}.amount or ${c}.note is distinct from ${s}.note)`);

/** What a dry run would do: records the merge would insert, and those it would revise. */
export const plannedCounts = sql`select
    (count(*) filter (where c.id is null))::int as inserted,
    (count(*) filter (where c.id is not null and ${differs("c", "s")}))::int as updated
  from ${staging} s left join ${collectiveIncomes} c on ${sameKey}`;

/** One audit entry per record written, in the shape `recordCollectiveIncome`'s entries have (changed fields only). */
function changes(): SQL {
  const pair = (field: string, before: string, after: string) => `jsonb_build_object('${field}', jsonb_build_object('before', ${before}, 'after', ${after}))`;
  return sql.raw(`case when b.id is null then
      ${pair("villageCode", "null", "m.village_code")} || ${pair("year", "null", "m.year")} || ${pair("source", "null", "m.source")}
      || ${pair("amount", "null", "m.amount::text")}
      || case when m.note is null then '{}'::jsonb else ${pair("note", "null", "m.note")} end
    else
      case when b.amount <> m.amount then ${pair("amount", "b.amount::text", "m.amount::text")} else '{}'::jsonb end
      || case when b.note is distinct from m.note then ${pair("note", "b.note", "m.note")} else '{}'::jsonb end
    end`);
}

/**
 * Locks the records the file names that exist already (in key order), so the merge's statement, which
 * reads their values before it writes, reads the last committed ones. (A row the merge itself updates
 * cannot be locked by that same statement: PostgreSQL skips rows modified by the current command.)
 */
export const lockRecorded = sql`select c.id from ${collectiveIncomes} c join ${staging} s on ${sameKey}
  order by c.village_code, c.year, c.source for update of c`;

/**
 * The one merge (after lockRecorded): inserts the new records and revises those whose amount or note differ (the others are
 * not touched: a second run of the same file writes nothing), each written record audited in the same
 * statement with its values before and after. Rows in key order, so two imports lock in the same order.
 */
export function mergeStaged(command: Command): SQL {
  const { actorUserId } = actorIds(command.actor);
  return sql`with before as (select c.id, c.amount, c.note from ${collectiveIncomes} c join ${staging} s on ${sameKey}),
    merged as (
      insert into ${collectiveIncomes} as c (village_code, year, source, amount, note, recorded_by)
      select village_code, year, source, amount, note, ${actorUserId}::uuid from ${staging} order by village_code, year, source
      on conflict (village_code, year, source) do update
        set amount = excluded.amount, note = excluded.note, recorded_by = excluded.recorded_by, updated_at = now()
        where ${differs("c", "excluded")}
      returning c.id, c.village_code, c.year, c.source, c.amount, c.note, (xmax = 0) as inserted),
    audited as (${insertAuditEntries(command, {
      operation: "importCollectiveIncomes",
      entityType: "CollectiveIncome",
      rows: sql`merged m left join before b on b.id = m.id`,
      entityId: sql`m.id::text`,
      changes: changes(),
    })})
    select (count(*) filter (where inserted))::int as inserted, (count(*) filter (where not inserted))::int as updated from merged`;
}

/** The layout stageFile reads the file with. */
export function collectiveIncomeLayout(placePrefix: string, currentYear: number): FileLayout<ColumnName> {
  return {
    header: HEADER,
    table: STAGING_TABLE,
    columns: STAGED_COLUMNS,
    create: createStaging,
    checkRow: (row) => checkRow(row, placePrefix, currentYear),
    checkStaged: stagingErrors,
  };
}
