import { Arg, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../graphql/context.js";
import { maybeAwaited } from "../../graphql/dataloader.js";
import { DateScalar } from "../../graphql/scalars.js";
import { businessToday } from "../../clock.js";
import { labelOf } from "../../graphql/enums.js";
import { Product, ProductCategory, ProductStatus } from "../catalog/index.js";
import { countyScope } from "../geography/index.js";
import { computeIndicator } from "./indicator.values.js";
import { BenefitLinkCoverage, CertificationPipeline, ExpiringListing, Indicator } from "./indicator.types.js";

@Resolver()
export class IndicatorResolver {
  @Authorized()
  @Query(() => Indicator, { description: "千企帮千村: poor villages with an active pairing by a leading or scale enterprise ÷ poor villages (target 60 %)." })
  async pairingCoverage(
    @Arg("countyCode", () => String, { nullable: true }) countyCode: string | undefined,
    @Arg("asOf", () => DateScalar, { nullable: true }) asOf: string | undefined,
    @Ctx() context: RequestContext,
  ) {
    const county = await countyScope(countyCode, context.loaders.divisionByCode, "countyCode");
    return computeIndicator(context.services, "pairingCoverage", county, asOf ?? businessToday());
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
      computeIndicator(context.services, "householdLinkCoverage", county, day),
      computeIndicator(context.services, "villageLinkCoverage", county, day),
    ]);
    return { households, villages };
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
        label: r.status === "EXPIRED" ? "已过期" : (labelOf(ProductStatus, r.status) ?? r.status),
      })),
      listedByCategory: pipeline.listedByCategory.map((r) => ({ ...r, label: labelOf(ProductCategory, r.category) ?? r.category })),
      expiringListings: pipeline.expiringListings.map((r) => ({ ...r, county: countyByCode.get(r.countyCode) ?? maybeAwaited(context.loaders.divisionByCode.load(r.countyCode)) })),
    };
  }
}

@Resolver(() => ExpiringListing)
export class ExpiringListingResolver {
  /** Through the guarded loader: the product as the caller may see it (one batch for the list). */
  @FieldResolver(() => Product, { nullable: true })
  product(@Root() row: { productId: string }, @Ctx() { loaders }: RequestContext) {
    return loaders.productById.load(row.productId);
  }
}
