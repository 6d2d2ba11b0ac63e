import type { BulkValue } from "../../db/bulk-load.js";
import { type ImportError as FileError, rowCells } from "./staged-file.js";
import { type HouseholdRow, type IdNumberHasher, householdFieldSchemas, maskIdNumber, validateIdNumber } from "../households/index.js";

/** The fixed header (API.md "Second round"), in this order. */
export const HEADER = ["户编号", "行政村代码", "户主姓名", "户主证件号码", "家庭人口数", "劳动能力", "发展意愿", "户状态", "监测原因"] as const;
export type ColumnName = (typeof HEADER)[number];

/** 户状态 as the national system writes it, and back. */
export const statusByLabel: Record<string, HouseholdRow["status"]> = {
  已脱贫: "OUT_OF_POVERTY",
  未脱贫: "IN_POVERTY",
  脱贫不稳定户: "MONITORED_UNSTABLE",
  边缘易致贫户: "MONITORED_EDGE",
};
export const labelOfStatus = Object.fromEntries(Object.entries(statusByLabel).map(([label, status]) => [status, label])) as Record<HouseholdRow["status"], string>;
export const yesNo = (value: boolean) => (value ? "有" : "无");

export const MAX_MEMBERS = 20;

/** A problem with the file, where an office finds it: the spreadsheet row and the column's header. */
export type ImportError = FileError<ColumnName>;

/** A row as it is staged: the ID number only as its keyed hash and masked form, never whole. */
export interface StagedHousehold {
  line: number;
  householdNo: string;
  villageCode: string;
  headName: string;
  headIdHash: string;
  headIdMasked: string;
  members: number;
  laborCapacity: boolean;
  developmentWillingness: boolean;
  status: HouseholdRow["status"];
  monitoringReason: string | null;
}

/** The staging table's columns, in the order `stagedValues` gives them. */
export const STAGED_COLUMNS = [
  "line",
  "household_no",
  "village_code",
  "head_name",
  "head_id_hash",
  "head_id_masked",
  "members",
  "labor_capacity",
  "development_willingness",
  "status",
  "monitoring_reason",
] as const;

export function stagedValues(row: StagedHousehold): BulkValue[] {
  return [row.line, row.householdNo, row.villageCode, row.headName, row.headIdHash, row.headIdMasked, row.members, row.laborCapacity, row.developmentWillingness, row.status, row.monitoringReason];
}

/** 有 or 无 (a few spellings offices use for the same answer are not guessed at: the file must say 有 or 无). */
function presence(value: string): boolean | undefined {
  if (value === "有") return true;
  if (value === "无") return false;
  return undefined;
}

/**
 * Checks one data row on its own (what the database need not be asked about): shapes, enums, member
 * count, the ID number's checksum, and that the village code lies in the caller's jurisdiction
 * (`placePrefix`, e.g. 433124 or 4331). Hashes the ID number with the households module's hasher.
 */
export function checkRow(row: { line: number; cells: readonly string[] }, placePrefix: string, hasher: IdNumberHasher): { staged?: StagedHousehold; errors: ImportError[] } {
  const { line } = row;
  const errors: ImportError[] = [];
  const fail = (column: ColumnName | null, message: string) => errors.push({ line, column, message });
  const shaped = rowCells(row, HEADER.length);
  if ("error" in shaped) return { errors: [shaped.error] };
  const { cell } = shaped;

  const householdNo = householdFieldSchemas.householdNo.safeParse(cell(0));
  if (!householdNo.success) fail("户编号", cell(0) ? "户编号应为 6–32 位数字、字母或“-”" : "户编号不能为空");

  const villageCode = cell(1);
  if (!/^[0-9]{12}$/.test(villageCode)) fail("行政村代码", villageCode ? "行政村代码应为 12 位数字" : "行政村代码不能为空");
  else if (!villageCode.startsWith(placePrefix)) fail("行政村代码", `行政村 ${villageCode} 不在本单位辖区（${placePrefix.padEnd(6, "0")}）内`);

  const headName = householdFieldSchemas.headName.safeParse(cell(2));
  if (!headName.success) fail("户主姓名", cell(2) ? "户主姓名不能超过 50 个字" : "户主姓名不能为空");

  let identity: { headIdHash: string; headIdMasked: string } | undefined;
  if (!cell(3)) fail("户主证件号码", "户主证件号码不能为空");
  else {
    const id = validateIdNumber(cell(3));
    if (id.ok) identity = { headIdHash: hasher.hash(id.normalized), headIdMasked: maskIdNumber(id.normalized) };
    else fail("户主证件号码", id.reason);
  }

  const membersText = cell(4);
  const members = /^[0-9]{1,3}$/.test(membersText) ? Number(membersText) : NaN;
  if (!(members >= 1 && members <= MAX_MEMBERS)) fail("家庭人口数", `家庭人口数应为 1–${MAX_MEMBERS} 的整数${membersText ? `（实际为“${membersText.slice(0, 10)}”）` : ""}`);

  const laborCapacity = presence(cell(5));
  if (laborCapacity === undefined) fail("劳动能力", "劳动能力应为“有”或“无”");
  const developmentWillingness = presence(cell(6));
  if (developmentWillingness === undefined) fail("发展意愿", "发展意愿应为“有”或“无”");

  const status = statusByLabel[cell(7)];
  if (!status) fail("户状态", `户状态应为 ${Object.keys(statusByLabel).join("、")} 之一`);

  const reason = householdFieldSchemas.monitoringReason.safeParse(cell(8));
  if (!reason.success) fail("监测原因", "监测原因不能超过 500 个字");

  if (errors.length > 0 || !identity || !status || laborCapacity === undefined || developmentWillingness === undefined) return { errors };
  return {
    errors,
    staged: {
      line,
      householdNo: householdNo.data!,
      villageCode,
      headName: headName.data!,
      ...identity,
      members,
      laborCapacity,
      developmentWillingness,
      status,
      monitoringReason: reason.data ? reason.data : null,
    },
  };
}
