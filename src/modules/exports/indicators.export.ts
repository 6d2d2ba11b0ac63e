import type { RequestContext } from "../../graphql/context.js";
import { ForbiddenError, UnauthenticatedError } from "../../errors.js";
import { type CountyIndicatorValue, type IndicatorValue, type PlanIndicatorKey, computeIndicator, planIndicators } from "../indicators/index.js";
import { CONSUMPTION_AUDIENCE, type ConsumptionSalesAnswer, consumptionSalesAnswer } from "../sales/index.js";
import { type ExportBuilder, authorized, yesNo } from "./export.types.js";
import { type Column, type Table, onePage } from "./table.js";

interface IndicatorLine {
  code: string;
  name: string;
  numerator: number;
  denominator: number;
  rate: number;
  target: number;
  met: boolean;
}

/** What each indicator counts (the sheet's numerator and denominator headers). */
const counted: Record<PlanIndicatorKey, [numerator: string, denominator: string]> = {
  pairingCoverage: ["已结对贫困村数", "贫困村数"],
  householdLinkCoverage: ["已联结户数", "有劳动能力和发展意愿户数"],
  villageLinkCoverage: ["有联结户的贫困村数", "贫困村数"],
  collectiveIncomeCoverage: ["集体经济收入5万元以上的贫困村数", "贫困村数"],
};

/** A rate (a fraction) as a percentage number; the API's rate, times 100, is the only arithmetic. */
const percent = (rate: number) => rate * 100;

function columns(key: PlanIndicatorKey): Column<IndicatorLine>[] {
  const [numerator, denominator] = counted[key];
  return [
    { header: "县市代码", value: (r) => r.code },
    { header: "县市", value: (r) => r.name, width: 16 },
    { header: numerator, kind: "integer", value: (r) => r.numerator },
    { header: denominator, kind: "integer", value: (r) => r.denominator },
    { header: "覆盖率（%）", kind: "percent", value: (r) => percent(r.rate) },
    { header: "目标（%）", kind: "percent", value: (r) => percent(r.target) },
    { header: "是否达标", value: (r) => yesNo(r.met) },
  ];
}

function lines(indicator: IndicatorValue, countyCode: string | undefined): IndicatorLine[] {
  const county = (c: CountyIndicatorValue): IndicatorLine => ({ code: c.county.code, name: c.county.name, ...c, target: indicator.target });
  const { numerator, denominator, rate, target, met } = indicator;
  return [...indicator.byCounty.map(county), { code: countyCode ?? "433100", name: "合计", numerator, denominator, rate, target, met }];
}

interface SalesLine {
  key: string;
  label: string | null;
  amount: string;
  records: number;
}

const salesColumns = (keyHeader: string, labelHeader: string | null): Column<SalesLine>[] => [
  { header: keyHeader, value: (r) => r.key, width: 14 },
  ...(labelHeader ? [{ header: labelHeader, value: (r: SalesLine) => r.label, width: 18 }] : []),
  { header: "金额（元）", kind: "money", value: (r) => r.amount, width: 18 },
  { header: "记录数", kind: "integer", value: (r) => r.records },
];

/** 消费扶贫总额 (GraphQL `consumptionSales` of the year): by channel, by origin county and by month, each with its total. */
function salesTables(sales: ConsumptionSalesAnswer): Table[] {
  const total: SalesLine = { key: "合计", label: null, ...sales.total };
  const withTotal = (rows: SalesLine[]) => onePage([...rows, total]);
  return [
    { name: "消费扶贫总额（按渠道）", columns: salesColumns("渠道代码", "渠道"), pages: withTotal(sales.byChannel) },
    { name: "消费扶贫总额（按产地县市）", columns: salesColumns("县市代码", "县市"), pages: withTotal(sales.byOriginCounty) },
    { name: "消费扶贫总额（按月）", columns: salesColumns("月份", null), pages: withTotal(sales.byMonth) },
  ];
}

/** Whether the caller may read consumptionSales (its audience: admins, offices, officers), by the same checker. */
function seesConsumptionSales(context: RequestContext): boolean {
  try {
    authorized(context, ...CONSUMPTION_AUDIENCE);
    return true;
  } catch (error) {
    if (error instanceof ForbiddenError || error instanceof UnauthenticatedError) return false;
    throw error;
  }
}

/**
 * The plan's indicators (GraphQL `pairingCoverage`, `benefitLinkCoverage`, `collectiveIncomeCoverage`)
 * on `asOf` (default today, China time), for any logged-in user like the queries: one workbook, a sheet
 * per indicator with its counties, the total, the target and whether it is met; rates as percentages.
 * For consumptionSales' audience, three more sheets: 消费扶贫总额 of the year of `asOf`.
 */
export const indicatorsExport: ExportBuilder = async (context, params) => {
  authorized(context);
  params.only("asOf", "countyCode");
  const day = params.asOf();
  const countyCode = await params.countyCode(context);
  const keys = Object.keys(planIndicators) as PlanIndicatorKey[];
  const [indicators, sales] = await Promise.all([
    Promise.all(keys.map((key) => computeIndicator(context.services, key, countyCode, day))),
    seesConsumptionSales(context) ? consumptionSalesAnswer(context.services, Number(day.slice(0, 4)), countyCode ?? null) : null,
  ]);
  const county = countyCode ? await context.loaders.divisionByCode.load(countyCode) : null;
  return {
    asciiName: `indicators-${day}${countyCode ? `-${countyCode}` : ""}`,
    name: `扶贫指标-${day}${county ? `-${county.name}` : ""}`,
    tables: [
      ...indicators.map((indicator, i) => ({
        name: indicator.title.slice(0, 31),
        columns: columns(keys[i]!),
        pages: onePage(lines(indicator, countyCode)),
      })),
      ...(sales ? salesTables(sales) : []),
    ],
  };
};
