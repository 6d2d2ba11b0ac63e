import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { connectionOf } from "../../graphql/connection.js";
import { type RequestContext, commandOf } from "../../graphql/context.js";
import { toGlobalId } from "../../graphql/global-id.js";
import { parseInput } from "../../graphql/inputs.js";
import { PageArguments } from "../../graphql/page-args.js";
import { mutationPayload } from "../../graphql/payload.js";
import { Division } from "../geography/index.js";
import {
  BudgetUnitFilter,
  CreateBudgetUnitInput,
  UpdateBudgetUnitInput,
  createBudgetUnitSchema,
  parseBudgetUnitFilter,
  updateBudgetUnitSchema,
} from "./procurement.inputs.js";
import { asSeenBy } from "../../actor.js";
import { budgetUnitPolicy } from "./procurement.policy.js";
import type { BudgetUnitRow } from "./procurement.schema.js";
import { BudgetUnit, BudgetUnitConnection, CreateBudgetUnitPayload, UpdateBudgetUnitPayload } from "./procurement.types.js";

@Resolver(() => BudgetUnit)
export class BudgetUnitResolver {
  @Authorized()
  @Query(() => BudgetUnitConnection, { description: "预算单位, ordered by code." })
  async budgetUnits(
    @Arg("filter", () => BudgetUnitFilter, { nullable: true }) filter: BudgetUnitFilter | undefined,
    @Args(() => PageArguments) page: PageArguments,
    @Ctx() context: RequestContext,
  ) {
    const { services, actor } = context;
    const parsed = await parseBudgetUnitFilter(filter, context);
    return connectionOf(page, (p) => services.budgetUnits.unitsPage(actor, parsed, p), () => services.budgetUnits.unitsCount(actor, parsed));
  }

  @Authorized("ADMIN")
  @Mutation(() => CreateBudgetUnitPayload)
  createBudgetUnit(@Arg("input", () => CreateBudgetUnitInput) input: CreateBudgetUnitInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const fields = await parseInput(createBudgetUnitSchema, input, context);
      const unit = await context.services.budgetUnits.createUnit(commandOf(context), fields);
      return { budgetUnit: await asSeenBy(budgetUnitPolicy, context.actor, unit) };
    });
  }

  @Authorized("ADMIN")
  @Mutation(() => UpdateBudgetUnitPayload)
  updateBudgetUnit(@Arg("input", () => UpdateBudgetUnitInput) input: UpdateBudgetUnitInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const update = await parseInput(updateBudgetUnitSchema, input, context);
      const unit = await context.services.budgetUnits.updateUnit(commandOf(context), update);
      return { budgetUnit: await asSeenBy(budgetUnitPolicy, context.actor, unit) };
    });
  }

  @FieldResolver(() => ID)
  id(@Root() unit: BudgetUnitRow) {
    return toGlobalId("BudgetUnit", unit.id);
  }

  @FieldResolver(() => BudgetUnit, { nullable: true, description: "主管预算单位" })
  parent(@Root() unit: BudgetUnitRow, @Ctx() { loaders }: RequestContext) {
    return unit.parentId ? loaders.budgetUnitById.load(unit.parentId) : null;
  }

  @FieldResolver(() => [BudgetUnit], { description: "Units directly below, ordered by code." })
  children(@Root() unit: BudgetUnitRow, @Ctx() { loaders }: RequestContext) {
    return loaders.budgetUnitChildren.load(unit.id);
  }

  @FieldResolver(() => Division, { nullable: true })
  county(@Root() unit: BudgetUnitRow, @Ctx() { loaders }: RequestContext) {
    return unit.countyCode ? loaders.divisionByCode.load(unit.countyCode) : null;
  }
}
