import { type SQL, sql } from "drizzle-orm";
import { type Drizzle, rowsIn } from "../../db/client.js";
import { divisions } from "../geography/index.js";
import { households } from "../households/index.js";
import type { ImportError } from "./household-row.js";

/**
 * The staging table of one import: a temporary table of the import's own transaction (dropped at its
 * end), filled by COPY, checked set-based, then merged in one statement.
 */
export const STAGING_TABLE = "household_import_rows";
export const staging = sql.raw(STAGING_TABLE);

export const createStaging = sql`create temporary table ${staging} (
    line integer not null,
    household_no varchar(32) not null,
    village_code varchar(12) not null,
    head_name varchar(50) not null,
    head_id_hash varchar(64) not null,
    head_id_masked varchar(18) not null,
    members smallint not null,
    labor_capacity boolean not null,
    development_willingness boolean not null,
    status household_status not null,
    monitoring_reason text
  ) on commit drop`;

const like = (placePrefix: string) => `${placePrefix}%`;

/**
 * The checks that need the database or the whole file, each one set-based statement over the staging
 * table, at most `limit` errors each (in line order):
 * - the village exists (a VILLAGE of the divisions);
 * - a household number, or a head's ID number, appears once in the file;
 * - the head does not already head another household (one person heads one household); that
 *   household is named only when it lies in the caller's jurisdiction;
 * - a household number already registered lies in the caller's jurisdiction (an office changes its own).
 */
export async function stagingErrors(tx: Drizzle, placePrefix: string, limit: number): Promise<ImportError[]> {
  const unknownVillages = await rowsIn<{ line: number; village_code: string }>(tx, sql`select s.line, s.village_code from ${staging} s
      where not exists (select 1 from ${divisions} d where d.code = s.village_code and d.level = 'VILLAGE')
      order by s.line limit ${limit}`);
  const repeatedNumbers = await rowsIn<{ line: number; first_line: number; household_no: string }>(tx, sql`select line, first_line, household_no from (
        select line, household_no, min(line) over (partition by household_no) as first_line from ${staging}) x
      where line <> first_line order by line limit ${limit}`);
  const repeatedHeads = await rowsIn<{ line: number; first_line: number }>(tx, sql`select line, first_line from (
        select line, min(line) over (partition by head_id_hash) as first_line from ${staging}) x
      where line <> first_line order by line limit ${limit}`);
  const headsElsewhere = await rowsIn<{ line: number; household_no: string | null }>(tx, sql`select s.line,
        case when h.county_code like ${like(placePrefix)} then h.household_no end as household_no
      from ${staging} s join ${households} h on h.head_id_hash = s.head_id_hash and h.household_no <> s.household_no
      order by s.line limit ${limit}`);
  const numbersElsewhere = await rowsIn<{ line: number; household_no: string }>(tx, sql`select s.line, s.household_no from ${staging} s
      join ${households} h on h.household_no = s.household_no
      where h.county_code not like ${like(placePrefix)}
      order by s.line limit ${limit}`);

  return [
    ...unknownVillages.map((r): ImportError => ({ line: r.line, column: "行政村代码", message: `行政村代码 ${r.village_code} 不是湘西州已登记的行政村` })),
    ...repeatedNumbers.map((r): ImportError => ({ line: r.line, column: "户编号", message: `户编号 ${r.household_no} 与第 ${r.first_line} 行重复` })),
    ...repeatedHeads.map((r): ImportError => ({ line: r.line, column: "户主证件号码", message: `户主证件号码与第 ${r.first_line} 行相同（一人只能是一户的户主）` })),
    ...headsElsewhere.map(
      (r): ImportError => ({
        line: r.line,
        column: "户主证件号码",
        message: r.household_no ? `该户主已是户 ${r.household_no} 的户主（一人只能是一户的户主）` : "该户主已是另一户的户主（一人只能是一户的户主）",
      }),
    ),
    ...numbersElsewhere.map((r): ImportError => ({ line: r.line, column: "户编号", message: `户编号 ${r.household_no} 已在本单位辖区以外登记，只能由所在县的扶贫办修改` })),
  ];
}

/** What a dry run would do: households the merge would insert, and those it would update. */
export const plannedCounts = (differs: SQL) => sql`select
    (count(*) filter (where h.id is null))::int as inserted,
    (count(*) filter (where h.id is not null and ${differs}))::int as updated
  from ${staging} s left join ${households} h on h.household_no = s.household_no`;
