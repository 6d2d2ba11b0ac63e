import type { RequestContext } from "../../graphql/context.js";
import { labelOf } from "../../graphql/enums.js";
import { ProductCategory } from "../catalog/index.js";
import type { DivisionRow } from "../geography/index.js";
import { type BudgetUnitRow, type ProgressFigures, progressRow } from "../procurement/index.js";
import { type ExportBuilder, authorized, yesNo } from "./export.types.js";
import { percentOfFraction } from "./params.js";
import { type Column, type Table, onePage } from "./table.js";

/** One row's figures, as consumptionProgress has them (amounts exact decimals, rate a 4-place fraction; met and declared as the API decides them). */
interface Figures {
  reserved: string;
  delivered: string;
  open: string;
  rate: string | null;
  met: boolean;
  declared: boolean;
}

function figuresOf(r: ProgressFigures, isUnit: boolean): Figures {
  const { met, declared } = progressRow(r, isUnit);
  return { reserved: r.reserved, delivered: r.delivered, open: r.open, rate: r.rate, met, declared };
}

interface UnitLine extends Figures {
  unit: BudgetUnitRow | null;
  county: DivisionRow | null;
}

interface CountyLine extends Figures {
  code: string;
  name: string;
}

const figures = <Row extends Figures>(): Column<Row>[] => [
  { header: "预留份额（元）", kind: "money", value: (r) => r.reserved, width: 16 },
  { header: "已验收金额（元）", kind: "money", value: (r) => r.delivered, width: 16 },
  { header: "在途金额（元）", kind: "money", value: (r) => r.open, width: 16 },
  { header: "完成率（%）", kind: "percent", value: (r) => percentOfFraction(r.rate) },
  { header: "是否达标", value: (r) => yesNo(r.met) },
  { header: "已申报", value: (r) => yesNo(r.declared) },
];

const unitColumns: Column<UnitLine>[] = [
  { header: "预算单位编码", value: (r) => r.unit?.code, width: 16 },
  { header: "预算单位名称", value: (r) => r.unit?.name, width: 30 },
  { header: "所在县市", value: (r) => r.county?.name },
  ...figures<UnitLine>(),
];

const countyColumns: Column<CountyLine>[] = [
  { header: "县市代码", value: (r) => r.code },
  { header: "县市", value: (r) => r.name, width: 24 },
  ...figures<CountyLine>(),
];

interface DeliveredLine {
  key: string;
  label: string | null;
  amount: string;
}

/** A delivered breakdown's sheet (the dashboard's 交付金额 charts): key, its label, the amount. */
const deliveredColumns = (keyHeader: string | null, labelHeader: string): Column<DeliveredLine>[] => [
  ...(keyHeader ? [{ header: keyHeader, value: (r: DeliveredLine) => r.key, width: 16 }] : []),
  { header: labelHeader, value: (r) => r.label, width: 30 },
  { header: "已验收金额（元）", kind: "money", value: (r) => r.amount, width: 18 },
];

/**
 * consumptionProgress' delivered breakdowns, labelled as the query labels them: by month (every month
 * of the year; 2021年1月 for a delivery in the next year), origin county, category, and enterprise
 * (largest first; the name through the enterprise policy, as `deliveredByEnterprise`).
 */
type Amounts = readonly { key: string; label?: string | null; amount: string }[];
async function deliveredTables(context: RequestContext, year: number, progress: { byMonth: Amounts; byOriginCounty: Amounts; byCategory: Amounts; byEnterprise: Amounts }): Promise<Table[]> {
  const enterprises = await context.loaders.enterpriseById.loadMany(progress.byEnterprise.map((r) => r.key));
  const line = (r: Amounts[number], label: string | null): DeliveredLine => ({ key: r.key, label, amount: r.amount });
  const month = (key: string) => `${key.startsWith(`${year}-`) ? "" : `${key.slice(0, 4)}年`}${Number(key.slice(5))}月`;
  return [
    { name: "交付金额（按月）", columns: deliveredColumns("月份", "月"), pages: onePage(progress.byMonth.map((r) => line(r, month(r.key)))) },
    { name: "交付金额（按产地县市）", columns: deliveredColumns("县市代码", "产地县市"), pages: onePage(progress.byOriginCounty.map((r) => line(r, r.label ?? null))) },
    { name: "交付金额（按产品类别）", columns: deliveredColumns(null, "产品类别"), pages: onePage(progress.byCategory.map((r) => line(r, labelOf(ProductCategory, r.key)))) },
    {
      name: "交付金额（按供货企业）",
      columns: deliveredColumns(null, "供货企业"),
      pages: onePage(
        progress.byEnterprise.map((r, i) => {
          const enterprise = enterprises[i];
          return line(r, enterprise && !(enterprise instanceof Error) ? enterprise.name : null);
        }),
      ),
    },
  ];
}

const levels = ["unit", "supervising", "county"] as const;
type Level = (typeof levels)[number];
const sheetNames: Record<Level, string> = { unit: "预算单位", supervising: "主管预算单位", county: "县市" };

/** Unit rows with their units and counties (through the request's loaders, as `UnitProgress.budgetUnit`), by unit code. */
async function unitLines(context: RequestContext, rows: readonly (ProgressFigures & { unit_id: string })[], isUnit: boolean): Promise<UnitLine[]> {
  const { loaders } = context;
  const lines = await Promise.all(
    rows.map(async (r) => {
      const unit = await loaders.budgetUnitById.load(r.unit_id);
      const county = unit?.countyCode ? await loaders.divisionByCode.load(unit.countyCode) : null;
      return { ...figuresOf(r, isUnit), unit, county };
    }),
  );
  return lines.sort((a, b) => (a.unit?.code ?? "").localeCompare(b.unit?.code ?? "", "en"));
}

/**
 * 采购执行进度 (GraphQL `consumptionProgress`), for the same audience through the same service: per
 * unit, per supervising unit (an officer: its subtree's, as the query), and per county (each county's
 * units together, the units of no county, and the total, like the query's `totals`). XLSX: a sheet
 * each, and the delivered amounts by month, origin county, category and enterprise (the query's
 * `deliveredBy*`, the dashboard's charts); CSV: one of the levels, `level=unit|supervising|county` (default unit).
 */
export const consumptionExport: ExportBuilder = async (context, params, format) => {
  authorized(context, "ADMIN", "REVIEWER", "OFFICER");
  params.only("year", "countyCode", ...(format === "csv" ? ["level"] : []));
  const year = params.year("current");
  const chosen: readonly Level[] = format === "csv" ? [params.oneOf("level", levels, "unit")] : levels;
  const countyCode = await params.countyCode(context);
  const { services, actor, loaders } = context;
  const needsUnits = chosen.includes("unit") || chosen.includes("supervising");
  const [progress, countyRows] = await Promise.all([
    needsUnits ? services.consumption.progressFor(actor, year, countyCode ?? null) : undefined,
    chosen.includes("county") ? services.consumption.countyTotalsFor(actor, year, countyCode ?? null) : undefined,
  ]);
  const tables: Table[] = [];
  for (const level of chosen) {
    if (level === "county") {
      const counties = new Map((await services.geography.counties()).map((d) => [d.code, d.name]));
      const lines: CountyLine[] = countyRows!.map((r) => ({
        ...figuresOf(r, false),
        code: r.kind === "total" ? (countyCode ?? "433100") : (r.county_code ?? ""),
        name: r.kind === "total" ? "合计" : r.county_code ? (counties.get(r.county_code) ?? r.county_code) : "州直及中央省直驻州单位",
      }));
      tables.push({ name: sheetNames.county, columns: countyColumns, pages: onePage(lines) });
    } else {
      const rows = level === "unit" ? progress!.units : progress!.supervisingUnits;
      tables.push({ name: sheetNames[level], columns: unitColumns, pages: onePage(await unitLines(context, rows, level === "unit")) });
    }
  }
  if (format === "xlsx") tables.push(...(await deliveredTables(context, year, progress!)));
  const county = countyCode ? await loaders.divisionByCode.load(countyCode) : null;
  const suffix = format === "csv" ? `-${sheetNames[chosen[0]!]}` : "";
  return {
    asciiName: `consumption-progress-${year}${countyCode ? `-${countyCode}` : ""}${format === "csv" ? `-${chosen[0]}` : ""}`,
    name: `采购执行进度-${year}${county ? `-${county.name}` : ""}${suffix}`,
    tables,
  };
};
