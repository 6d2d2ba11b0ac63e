import { Arg, Authorized, Ctx, FieldResolver, Float, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { type RequestContext, commandOf } from "../../graphql/context.js";
import { toGlobalId } from "../../graphql/global-id.js";
import { parseArgument, parseInput } from "../../graphql/inputs.js";
import { mutationPayload } from "../../graphql/payload.js";
import { DecimalScalar } from "../../graphql/scalars.js";
import { DeclareQuotaInput, QuotaFilter, declareQuotaSchema, quotaFilterSchema } from "./procurement.inputs.js";
import { asSeenBy } from "../../actor.js";
import type { QuotaRow } from "./procurement.schema.js";
import { BudgetUnit, DeclareQuotaPayload, Quota } from "./procurement.types.js";

@Resolver(() => Quota)
export class QuotaResolver {
  @Authorized()
  @Query(() => [Quota], { description: "预留份额 declarations: an officer's unit and the units below it; offices and admins all." })
  quotas(@Arg("filter", () => QuotaFilter, { nullable: true }) filter: QuotaFilter | undefined, @Ctx() { services, actor }: RequestContext) {
    return services.quotas.list(actor, parseArgument(quotaFilterSchema, filter ?? {}, "filter"));
  }

  @Authorized("OFFICER", "ADMIN")
  @Mutation(() => DeclareQuotaPayload, { description: "Declares (or revises) the unit's reserved share for a year." })
  declareQuota(@Arg("input", () => DeclareQuotaInput) input: DeclareQuotaInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const declaration = await parseInput(declareQuotaSchema, input, context);
      const quota = await context.services.quotas.declare(commandOf(context), declaration);
      return { quota: await asSeenBy(context.services.quotas.policy, context.actor, quota) };
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
