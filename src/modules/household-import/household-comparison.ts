import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { stringify } from "csv-stringify";
import { type SQL, sql } from "drizzle-orm";
import { type Drizzle, rowsIn } from "../../db/client.js";
import { households, maskName } from "../households/index.js";
import { labelOfStatus } from "./household-row.js";
import type { ImportError } from "./staged-file.js";
import { staging } from "./household-staging.js";

/**
 * 常态化比对: a file against the platform's households of the caller's jurisdiction, changing nothing.
 * Three kinds of difference: a household only in the file, only in the platform, and each field that
 * differs. Computed set-based into a temporary table of the comparison's transaction, then read out
 * in keyset pages, so a prefecture-sized comparison never sits in memory.
 */
export const COMPARISON_TABLE = sql.raw("household_comparison");

export type DifferenceKind = "FILE_ERROR" | "ONLY_IN_FILE" | "ONLY_IN_PLATFORM" | "FIELD_DIFFERS";

const kindLabels: Record<DifferenceKind, string> = {
  FILE_ERROR: "文件有误",
  ONLY_IN_FILE: "仅在文件中",
  ONLY_IN_PLATFORM: "仅在平台中",
  FIELD_DIFFERS: "字段不同",
};

/** One line of the report. Names and ID numbers come masked as the caller may see them (never whole ID numbers). */
export interface Difference {
  kind: DifferenceKind;
  line: number | null;
  householdNo: string | null;
  villageCode: string | null;
  headName: string | null;
  headIdMasked: string | null;
  field: string | null;
  fileValue: string | null;
  platformValue: string | null;
  note: string | null;
}

export interface ComparisonSummary {
  fileErrors: number;
  onlyInFile: number;
  onlyInPlatform: number;
  /** households present on both sides with at least one field that differs */
  householdsDiffering: number;
  fieldsDiffering: number;
}

const statusLabel = (column: string) =>
  sql.raw(`case ${column} ${Object.entries(labelOfStatus).map(([status, label]) => `when '${status}' then '${label}'`).join(" ")} end`);
const presence = (column: string) => sql.raw(`case when ${column} then '有' else '无' end`);

/** Per compared field: its header, the file's and the platform's value as text, and whether they differ. */
const fields: SQL[] = [
  sql`(1, '行政村代码', s.village_code::text, h.village_code::text, s.village_code <> h.village_code)`,
  sql`(2, '户主姓名', s.head_name::text, h.head_name::text, s.head_name <> h.head_name)`,
  sql`(3, '户主证件号码', s.head_id_masked::text, h.head_id_masked::text, s.head_id_hash <> h.head_id_hash)`,
  sql`(4, '家庭人口数', s.members::text, h.members::text, s.members <> h.members)`,
  sql`(5, '劳动能力', ${presence("s.labor_capacity")}, ${presence("h.labor_capacity")}, s.labor_capacity <> h.labor_capacity)`,
  sql`(6, '发展意愿', ${presence("s.development_willingness")}, ${presence("h.development_willingness")}, s.development_willingness <> h.development_willingness)`,
  sql`(7, '户状态', ${statusLabel("s.status")}, ${statusLabel("h.status")}, s.status <> h.status)`,
  sql`(8, '监测原因', s.monitoring_reason, h.monitoring_reason, s.monitoring_reason is distinct from h.monitoring_reason)`,
];

/** Fills the comparison table from the staging table: one row per difference, numbered in report order. */
export function compareStaging(placePrefix: string): SQL {
  const inScope = sql`h.county_code like ${`${placePrefix}%`}`;
  return sql`create temporary table ${COMPARISON_TABLE} on commit drop as
    select row_number() over (order by household_no, kind, field_order)::int as n, * from (
      select 'ONLY_IN_FILE' as kind, 0 as field_order, s.line, s.household_no, s.village_code, s.head_name, s.head_id_masked,
        null::text as field, null::text as file_value, null::text as platform_value, null::text as note
      from ${staging} s
      where not exists (select 1 from ${households} h where h.household_no = s.household_no and ${inScope})
      union all
      select 'ONLY_IN_PLATFORM', 0, null, h.household_no, h.village_code, h.head_name, h.head_id_masked, null, null, null, null
      from ${households} h
      where ${inScope} and not exists (select 1 from ${staging} s where s.household_no = h.household_no)
      union all
      select 'FIELD_DIFFERS', f.field_order, s.line, s.household_no, s.village_code, s.head_name, s.head_id_masked,
        f.field, f.file_value, f.platform_value,
        case when f.field = '户主证件号码' and f.file_value = f.platform_value then '证件号码中间位不同' end
      from ${staging} s join ${households} h on h.household_no = s.household_no and ${inScope}
      cross join lateral (values ${sql.join(fields, sql`, `)}) f(field_order, field, file_value, platform_value, differs)
      where f.differs
    ) d`;
}

export const comparisonSummary = sql`select
    (count(*) filter (where kind = 'ONLY_IN_FILE'))::int as only_in_file,
    (count(*) filter (where kind = 'ONLY_IN_PLATFORM'))::int as only_in_platform,
    (count(distinct household_no) filter (where kind = 'FIELD_DIFFERS'))::int as households_differing,
    (count(*) filter (where kind = 'FIELD_DIFFERS'))::int as fields_differing
  from ${COMPARISON_TABLE}`;

interface ComparisonRow extends Record<string, unknown> {
  n: number;
  kind: DifferenceKind;
  line: number | null;
  household_no: string;
  village_code: string;
  head_name: string;
  head_id_masked: string;
  field: string | null;
  file_value: string | null;
  platform_value: string | null;
  note: string | null;
}

/**
 * The report's lines: the file's errors first (their rows could not be compared), then the
 * differences in household-number order, a page of `pageSize` at a time. `showNames`: whether the
 * caller may see heads' names whole (its own county, or an admin); otherwise they are masked (张*).
 */
export async function* differences(tx: Drizzle, errors: readonly ImportError[], showNames: boolean, pageSize = 5000): AsyncIterable<Difference> {
  for (const error of errors) {
    yield { kind: "FILE_ERROR", line: error.line, householdNo: null, villageCode: null, headName: null, headIdMasked: null, field: error.column, fileValue: null, platformValue: null, note: error.message };
  }
  const name = (value: string | null) => (value == null || showNames ? value : maskName(value));
  for (let after = 0; ; ) {
    const page = await rowsIn<ComparisonRow>(tx, sql`select * from ${COMPARISON_TABLE} where n > ${after} order by n limit ${pageSize}`);
    for (const r of page) {
      const isName = r.field === "户主姓名";
      yield {
        kind: r.kind,
        line: r.line,
        householdNo: r.household_no,
        villageCode: r.village_code,
        headName: name(r.head_name),
        headIdMasked: r.head_id_masked,
        field: r.field,
        fileValue: isName ? name(r.file_value) : r.file_value,
        platformValue: isName ? name(r.platform_value) : r.platform_value,
        note: r.note,
      };
    }
    if (page.length < pageSize) return;
    after = page[page.length - 1]!.n;
  }
}

export const REPORT_HEADER = ["差异类型", "文件行号", "户编号", "行政村代码", "户主姓名", "户主证件号码（脱敏）", "字段", "文件中的值", "平台中的值", "说明"];

/** Writes the report as CSV (csv-stringify; UTF-8 BOM so Excel reads the Chinese headers). */
export async function writeComparisonCsv(lines: AsyncIterable<Difference>, out: Writable): Promise<void> {
  async function* records() {
    yield REPORT_HEADER;
    for await (const d of lines) {
      yield [kindLabels[d.kind], d.line ?? "", d.householdNo ?? "", d.villageCode ?? "", d.headName ?? "", d.headIdMasked ?? "", d.field ?? "", d.fileValue ?? "", d.platformValue ?? "", d.note ?? ""];
    }
  }
  await pipeline(Readable.from(records()), stringify({ bom: true, record_delimiter: "windows" }), out);
}
