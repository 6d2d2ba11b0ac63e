import { Arg, Authorized, Ctx, FieldResolver, Float, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { z } from "zod";
import { type RequestContext, commandOf } from "../../graphql/context.js";
import { fromGlobalIdOf, toGlobalId } from "../../graphql/global-id.js";
import { mutationPayload } from "../../graphql/payload.js";
import { inputId, parseArgument, parseInput } from "../../graphql/validation.js";
import { DecimalScalar } from "../../graphql/scalars.js";
import type { QuotaRow } from "./procurement.schema.js";
import { BudgetUnit, DeclareQuotaInput, DeclareQuotaPayload, Quota, QuotaFilter } from "./procurement.types.js";

const amount = z.string().refine((v) => !v.startsWith("-"), "must not be negative");
export const year = z.number().int().min(2015, "must be 2015 or later").max(2100, "must be 2100 or earlier");

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

