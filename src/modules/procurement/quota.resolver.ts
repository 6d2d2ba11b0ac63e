import { Arg, Authorized, Ctx, FieldResolver, Float, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { type RequestContext, commandOf } from "../../graphql/context.js";
import { toGlobalId } from "../../graphql/global-id.js";
import { parseArgument, parseInput } from "../../graphql/inputs.js";
import { mutationPayload } from "../../graphql/payload.js";
import { DecimalScalar } from "../../graphql/scalars.js";
import { DeclareQuotaInput, QuotaFilter, declareQuotaSchema, quotaFilterSchema } from "./procurement.inputs.js";
import { asSeenBy } from "../../actor.js";
import { User } from "../accounts/index.js";
import type { QuotaRevisionRow, QuotaRow } from "./procurement.schema.js";
import { BudgetUnit, DeclareQuotaPayload, Quota, QuotaRevision, QuotaStatus, quotaStatusOf } from "./procurement.types.js";

@Resolver(() => Quota)
export class QuotaResolver {
  @Authorized()
  @Query(() => [Quota], { description: "预留份额 declarations: an officer's unit and the units below it; offices and admins all." })
  quotas(@Arg("filter", () => QuotaFilter, { nullable: true }) filter: QuotaFilter | undefined, @Ctx() { services, actor }: RequestContext) {
    return services.quotas.list(actor, parseArgument(quotaFilterSchema, filter ?? {}, "filter"));
  }

  @Authorized("OFFICER", "ADMIN")
  @Mutation(() => DeclareQuotaPayload, {
    description:
      "Declares (or revises) the unit's reserved share for a year; every declaration is kept as a revision (`Quota.revisions`). " +
      "`noCanteen: true` (无食堂) takes a reserved share and canteen total of 0 (anything else: INVALID). Otherwise the share lies " +
      "between the year's minimum ratio × canteen total (rounded up to the fen; the ratio is configured per year, default 10 %) " +
      "and the canteen total (INVALID, on `reservedAmount`). A revision may lower the share, and the revisions show it, but never " +
      "below the amount already delivered against that year (INVALID): the share is the plan the deliveries are measured against, " +
      "and a share lowered under what was delivered only serves to turn the indicator `met`.",
  })
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

  @FieldResolver(() => QuotaStatus, { description: "DECLARED, or NO_CANTEEN (无食堂: declared, with nothing to meet)." })
  status(@Root() quota: QuotaRow) {
    return quotaStatusOf(quota);
  }

  @FieldResolver(() => [QuotaRevision], { description: "Every declaration of this quota, oldest first (the last is the current one)." })
  revisions(@Root() quota: QuotaRow, @Ctx() { loaders }: RequestContext) {
    return loaders.quotaRevisions.load(quota.id);
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

@Resolver(() => QuotaRevision)
export class QuotaRevisionResolver {
  @FieldResolver(() => User, { nullable: true })
  actor(@Root() revision: QuotaRevisionRow, @Ctx() { loaders }: RequestContext) {
    return revision.actorUserId ? loaders.userById.load(revision.actorUserId) : null;
  }
}
