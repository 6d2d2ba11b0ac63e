import { type GraphQLResolveInfo, Kind } from "graphql";
import { Arg, Authorized, Ctx, FieldResolver, Info, Int, Query, Resolver, Root } from "type-graphql";
import { maybeAwaited } from "../../graphql/dataloader.js";
import type { RequestContext } from "../../graphql/context.js";
import { parseArgument } from "../../graphql/inputs.js";
import { z } from "zod";
import { VillageCollectiveIncome } from "../collective-income/index.js";
import { countyScope } from "../geography/index.js";
import { type IndicatorValue, computeIndicator } from "./indicator.values.js";
import { Indicator } from "./indicator.types.js";

const yearSchema = z.number().int().min(2015, "must be 2015 or later").max(2100, "must be 2100 or earlier");

/** An indicator that can list the villages below its line (collectiveIncomeCoverage's). */
interface WithVillagesBelow extends IndicatorValue {
  villagesBelow?: () => Promise<{ villageCode: string; year: number; income: string; met: boolean; village: unknown }[]>;
}

/** Whether the query selects `villagesBelowLine` on this field (then its statement starts at once, beside the indicator's). */
const selectsVillagesBelow = (info: GraphQLResolveInfo) =>
  info.fieldNodes.some((node) => node.selectionSet?.selections.some((s) => s.kind === Kind.FIELD && s.name.value === "villagesBelowLine"));

@Resolver(() => Indicator)
export class CollectiveIncomeCoverageResolver {
  @Authorized()
  @Query(() => Indicator, {
    description: "村级集体经济收入 5 万元以上: poor villages whose collective income that year is ≥ 50,000 yuan ÷ poor villages (target 100 %); `villagesBelowLine` lists the others.",
  })
  async collectiveIncomeCoverage(
    @Arg("year", () => Int) yearArg: number,
    @Arg("countyCode", () => String, { nullable: true }) countyCode: string | undefined,
    @Ctx() context: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<WithVillagesBelow> {
    const year = parseArgument(yearSchema, yearArg, "year");
    const county = await countyScope(countyCode, context.loaders.divisionByCode, "countyCode");
    let below: Promise<{ villageCode: string; year: number; income: string; met: boolean; village: unknown }[]> | undefined;
    const villagesBelow = () =>
      (below ??= maybeAwaited(context.services.indicators.villagesBelowCollectiveIncomeLine(county ?? null, year).then((rows) => rows.map((v) => ({ ...v, year, met: false })))));
    if (selectsVillagesBelow(info)) void villagesBelow();
    const indicator = await computeIndicator(context.services, "collectiveIncomeCoverage", county, `${year}-12-31`);
    return { ...indicator, villagesBelow };
  }

  @FieldResolver(() => [VillageCollectiveIncome], {
    nullable: true,
    description: "collectiveIncomeCoverage only: the poor villages below the line, by code, with their income (null for other indicators).",
  })
  villagesBelowLine(@Root() indicator: WithVillagesBelow) {
    return indicator.villagesBelow ? indicator.villagesBelow() : null;
  }
}
