import { type CountyIndicatorValue, type IndicatorValue, type PlanIndicatorKey, computeIndicator, planIndicators } from "../indicators/index.js";
import { type ExportBuilder, authorized, yesNo } from "./export.types.js";
import { type Column, onePage } from "./table.js";

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

/**
 * The plan's indicators (GraphQL `pairingCoverage`, `benefitLinkCoverage`) on `asOf` (default today,
 * China time), for any logged-in user like the queries: one workbook, a sheet per indicator with its
 * counties, the total, the target and whether it is met; rates as percentages.
 */
export const indicatorsExport: ExportBuilder = async (context, params) => {
  authorized(context);
  params.only("asOf", "countyCode");
  const day = params.asOf();
  const countyCode = await params.countyCode(context);
  const keys = Object.keys(planIndicators) as PlanIndicatorKey[];
  const indicators = await Promise.all(keys.map((key) => computeIndicator(context.services, key, countyCode, day)));
  const county = countyCode ? await context.loaders.divisionByCode.load(countyCode) : null;
  return {
    asciiName: `indicators-${day}${countyCode ? `-${countyCode}` : ""}`,
    name: `扶贫指标-${day}${county ? `-${county.name}` : ""}`,
    tables: indicators.map((indicator, i) => ({
      name: indicator.title.slice(0, 31),
      columns: columns(keys[i]!),
      pages: onePage(lines(indicator, countyCode)),
    })),
  };
};
