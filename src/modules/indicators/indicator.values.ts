import type { DivisionRow, GeographyService } from "../geography/index.js";
import type { Coverage, IndicatorsService } from "./indicators.service.js";

/** A target as a fraction, so `met` compares integers: 0.6 = 3/5. */
export type Target = [numerator: number, denominator: number];

/** One county's share of an indicator, as `Indicator.byCounty` answers it. */
export interface CountyIndicatorValue {
  county: DivisionRow;
  numerator: number;
  denominator: number;
  rate: number;
  met: boolean;
}

/** An indicator as the API answers it (GraphQL `Indicator`, and the indicators export). */
export interface IndicatorValue {
  key: string;
  title: string;
  numerator: number;
  denominator: number;
  rate: number;
  target: number;
  met: boolean;
  byCounty: CountyIndicatorValue[];
}

const rate = (n: number, d: number) => (d === 0 ? 0 : n / d);
const met = (n: number, d: number, [tn, td]: Target) => d > 0 && n * td >= tn * d;

/** Target and met of a computed coverage; every county appears (of `county`, if given), with 0 of 0 where it has none. */
export async function indicatorValue(
  geography: GeographyService,
  key: string,
  title: string,
  target: Target,
  coverage: Coverage,
  county: string | undefined,
): Promise<IndicatorValue> {
  const counties = (await geography.counties()).filter((c) => !county || c.code === county);
  const byCode = new Map(coverage.byCounty.map((c) => [c.countyCode, c]));
  return {
    key,
    title,
    numerator: coverage.numerator,
    denominator: coverage.denominator,
    rate: rate(coverage.numerator, coverage.denominator),
    target: target[0] / target[1],
    met: met(coverage.numerator, coverage.denominator, target),
    byCounty: counties.map((division) => {
      const c = byCode.get(division.code) ?? { numerator: 0, denominator: 0 };
      return { county: division, numerator: c.numerator, denominator: c.denominator, rate: rate(c.numerator, c.denominator), met: met(c.numerator, c.denominator, target) };
    }),
  };
}

/** The plan's indicators the API computes: key, title and target, one list for the resolver and the export. */
export const planIndicators = {
  pairingCoverage: { title: "千企帮千村覆盖率", target: [3, 5] as Target },
  householdLinkCoverage: { title: "有劳动能力和发展意愿贫困户利益联结覆盖率", target: [1, 1] as Target },
  villageLinkCoverage: { title: "贫困村利益联结覆盖率", target: [1, 1] as Target },
  /** counted for the year of the day (the plan's 村级集体经济收入 5 万元以上) */
  collectiveIncomeCoverage: { title: "贫困村集体经济收入5万元以上覆盖率", target: [1, 1] as Target },
} as const;

export type PlanIndicatorKey = keyof typeof planIndicators;

/** One of the plan's indicators on a day, for the prefecture or one county (already checked to be one). */
export function computeIndicator(
  services: { indicators: IndicatorsService; geography: GeographyService },
  key: PlanIndicatorKey,
  county: string | undefined,
  day: string,
): Promise<IndicatorValue> {
  const coverage = services.indicators[key](county ?? null, day);
  const { title, target } = planIndicators[key];
  return coverage.then((c) => indicatorValue(services.geography, key, title, target, c, county));
}
