import { Arg, Authorized, Ctx, Int, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../graphql/context.js";
import { parseArgument } from "../../graphql/validation.js";
import { countyScope } from "../geography/index.js";
import { ConsumptionProgress } from "./procurement.types.js";
import { year } from "./quota.resolver.js";

const categoryNames: Record<string, string> = {
  TEA: "茶叶", FRUIT: "水果", VEGETABLE: "蔬菜", GRAIN_OIL: "粮油", MEAT_POULTRY_EGG: "畜禽肉蛋",
  AQUATIC: "水产", HERBAL: "中药材", PROCESSED_FOOD: "加工食品", HANDICRAFT: "手工艺品", OTHER: "其他",
};

/** 采购执行进度, the procurement indicator. */
@Resolver()
export class ConsumptionProgressResolver {
  @Authorized()
  @Query(() => ConsumptionProgress, { description: "采购执行进度: per unit, per supervising unit, totals; delivered by origin county, category and month." })
  async consumptionProgress(
    @Arg("year", () => Int) yearArg: number,
    @Arg("countyCode", () => String, { nullable: true }) countyCode: string | undefined,
    @Ctx() { services, loaders }: RequestContext,
  ) {
    const y = parseArgument(year, yearArg, "year");
    const county = await countyScope(countyCode, loaders.divisionByCode, "countyCode");
    const progress = await services.consumption.progress(y, county ?? null);
    const row = (r: { unit_id?: string; reserved: string; delivered: string; open: string; rate: string | null }) => ({
      budgetUnit: r.unit_id ? loaders.budgetUnitById.load(r.unit_id) : null,
      reservedAmount: r.reserved,
      deliveredAmount: r.delivered,
      openAmount: r.open,
      completionRate: r.rate === null ? null : Number(r.rate),
      met: r.rate !== null && Number(r.rate) >= 1,
    });
    const counties = new Map((await services.geography.divisionsByCodes(progress.byOriginCounty.map((r) => r.key))).map((d) => [d.code, d.name]));
    return {
      year: y,
      countyCode: county ?? null,
      totals: row(progress.totals),
      units: progress.units.map(row),
      supervisingUnits: progress.supervisingUnits.map(row),
      deliveredByOriginCounty: progress.byOriginCounty.map((r) => ({ ...r, label: counties.get(r.key) ?? null })),
      deliveredByCategory: progress.byCategory.map((r) => ({ ...r, label: categoryNames[r.key] ?? null })),
      deliveredByMonth: progress.byMonth.map((r) => ({ ...r, label: null })),
    };
  }

}
