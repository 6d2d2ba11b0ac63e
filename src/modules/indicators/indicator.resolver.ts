import { Arg, Authorized, Ctx, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../graphql/context.js";
import { maybeAwaited } from "../../graphql/dataloader.js";
import { DateScalar } from "../../graphql/scalars.js";
import { businessToday } from "../../clock.js";
import { countyScope } from "../geography/index.js";
import type { Coverage } from "./indicators.service.js";
import { BenefitLinkCoverage, CertificationPipeline, Indicator } from "./indicator.types.js";

/** A target as a fraction, so `met` compares integers: 0.6 = 3/5. */
type Target = [numerator: number, denominator: number];

const rate = (n: number, d: number) => (d === 0 ? 0 : n / d);
const met = (n: number, d: number, [tn, td]: Target) => d > 0 && n * td >= tn * d;

@Resolver()
export class IndicatorResolver {
  private async indicator(context: RequestContext, key: string, title: string, target: Target, coverage: Coverage, county: string | undefined) {
    // Every county appears, with 0 of 0 where it has none.
    const counties = (await context.services.geography.counties()).filter((c) => !county || c.code === county);
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

  @Authorized()
  @Query(() => Indicator, { description: "千企帮千村: poor villages with an active pairing by a leading or scale enterprise ÷ poor villages (target 60 %)." })
  async pairingCoverage(
    @Arg("countyCode", () => String, { nullable: true }) countyCode: string | undefined,
    @Arg("asOf", () => DateScalar, { nullable: true }) asOf: string | undefined,
    @Ctx() context: RequestContext,
  ) {
    const county = await countyScope(countyCode, context.loaders.divisionByCode, "countyCode");
    const coverage = await context.services.indicators.pairingCoverage(county ?? null, asOf ?? businessToday());
    return this.indicator(context, "pairingCoverage", "千企帮千村覆盖率", [3, 5], coverage, county);
  }

  @Authorized()
  @Query(() => BenefitLinkCoverage, { description: "利益联结覆盖: households able and willing to work with an active link; poor villages with a linked household (target 100 % each)." })
  async benefitLinkCoverage(
    @Arg("countyCode", () => String, { nullable: true }) countyCode: string | undefined,
    @Arg("asOf", () => DateScalar, { nullable: true }) asOf: string | undefined,
    @Ctx() context: RequestContext,
  ) {
    const county = await countyScope(countyCode, context.loaders.divisionByCode, "countyCode");
    const day = asOf ?? businessToday();
    const [households, villages] = await Promise.all([
      context.services.indicators.householdLinkCoverage(county ?? null, day),
      context.services.indicators.villageLinkCoverage(county ?? null, day),
    ]);
    return {
      households: await this.indicator(context, "householdLinkCoverage", "有劳动能力和发展意愿贫困户利益联结覆盖率", [1, 1], households, county),
      villages: await this.indicator(context, "villageLinkCoverage", "贫困村利益联结覆盖率", [1, 1], villages, county),
    };
  }

  @Authorized()
  @Query(() => CertificationPipeline, { description: "认定进度: products per status per county, listed per category, expiring within 60 days." })
  async certificationPipeline(
    @Arg("countyCode", () => String, { nullable: true }) countyCode: string | undefined,
    @Arg("asOf", () => DateScalar, { nullable: true }) asOf: string | undefined,
    @Ctx() context: RequestContext,
  ) {
    const county = await countyScope(countyCode, context.loaders.divisionByCode, "countyCode");
    const [pipeline, counties] = await Promise.all([
      context.services.indicators.certificationPipeline(county ?? null, asOf ?? businessToday()),
      context.services.geography.counties(), // reference data, read once per process (as the other indicators do)
    ]);
    const countyByCode = new Map(counties.map((c) => [c.code, c]));
    return {
      ...pipeline,
      byCountyAndStatus: pipeline.byCountyAndStatus.map((r) => ({
        ...r,
        county: countyByCode.get(r.countyCode) ?? maybeAwaited(context.loaders.divisionByCode.load(r.countyCode)),
      })),
    };
  }
}
