import { Arg, Authorized, Ctx, FieldResolver, Float, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { z } from "zod";
import { type RequestContext, commandOf } from "../../graphql/context.js";
import { fromGlobalIdOf, toGlobalId } from "../../graphql/global-id.js";
import { mutationPayload } from "../../graphql/payload.js";
import { inputId, parseArgument, parseInput } from "../../graphql/validation.js";
import { DecimalScalar } from "../../graphql/scalars.js";
import { countyScope } from "../geography/county-scope.js";
import type { QuotaRow } from "./procurement.schema.js";
import { BudgetUnit, ConsumptionProgress, DeclareQuotaInput, DeclareQuotaPayload, Quota, QuotaFilter } from "./procurement.types.js";

const amount = z.string().refine((v) => !v.startsWith("-"), "must not be negative");
const year = z.number().int().min(2015, "must be 2015 or later").max(2100, "must be 2100 or earlier");
const categoryNames: Record<string, string> = {
  TEA: "茶叶", FRUIT: "水果", VEGETABLE: "蔬菜", GRAIN_OIL: "粮油", MEAT_POULTRY_EGG: "畜禽肉蛋",
  AQUATIC: "水产", HERBAL: "中药材", PROCESSED_FOOD: "加工食品", HANDICRAFT: "手工艺品", OTHER: "其他",
};

@Resolver(() => Quota)
export class QuotaResolver {
  @Authorized()
  @Query(() => [Quota], { description: "预留份额 declarations: an officer's unit and the units below it; offices and admins all." })
  quotas(@Arg("filter", () => QuotaFilter, { nullable: true }) filter: QuotaFilter | undefined, @Ctx() { services, actor }: RequestContext) {
    return services.quotas.list(actor, {
      year: filter?.year == null ? undefined : parseArgument(year, filter.year, "filter.year"),
      budgetUnitId: filter?.budgetUnitId ? fromGlobalIdOf("BudgetUnit", filter.budgetUnitId, "filter.budgetUnitId") : undefined,
    });
  }

  @Authorized("OFFICER", "ADMIN")
  @Mutation(() => DeclareQuotaPayload, { description: "Declares (or revises) the unit's reserved share for a year." })
  declareQuota(@Arg("input", () => DeclareQuotaInput) input: DeclareQuotaInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const parsed = parseInput(z.object({ year, canteenFoodTotal: amount, reservedAmount: amount, noCanteen: z.boolean() }), input);
      const budgetUnitId = inputId("BudgetUnit", input.budgetUnitId, "budgetUnitId");
      return { quota: await context.services.quotas.declare(commandOf(context), { ...parsed, budgetUnitId }) };
    });
  }

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

  @FieldResolver(() => ID)
  id(@Root() quota: QuotaRow) {
    return toGlobalId("Quota", quota.id);
  }

  @FieldResolver(() => BudgetUnit)
  budgetUnit(@Root() quota: QuotaRow, @Ctx() { loaders }: RequestContext) {
    return loaders.budgetUnitById.load(quota.budgetUnitId);
  }

  @FieldResolver(() => DecimalScalar, { description: "Delivered (验收) this year." })
  async deliveredAmount(@Root() quota: QuotaRow, @Ctx() { loaders }: RequestContext) {
    return (await loaders.quotaProgress.load(quota.id)).deliveredAmount;
  }

  @FieldResolver(() => DecimalScalar, { description: "Reserved or shipped, not yet delivered." })
  async openAmount(@Root() quota: QuotaRow, @Ctx() { loaders }: RequestContext) {
    return (await loaders.quotaProgress.load(quota.id)).openAmount;
  }

  @FieldResolver(() => Float, { nullable: true, description: "采购执行进度 = delivered ÷ reserved share (4 decimals); null when nothing is reserved." })
  async completionRate(@Root() quota: QuotaRow, @Ctx() { loaders }: RequestContext) {
    return (await loaders.quotaProgress.load(quota.id)).completionRate;
  }
}

