import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { z } from "zod";
import { validatePageArgs } from "../../db/keyset.js";
import { toConnection } from "../../graphql/connection.js";
import { type RequestContext, commandOf } from "../../graphql/context.js";
import { fromGlobalIdOf, toGlobalId } from "../../graphql/global-id.js";
import { PageArguments } from "../../graphql/page-args.js";
import { mutationPayload } from "../../graphql/payload.js";
import { inputId, parseInput } from "../../graphql/validation.js";
import { countyScope } from "../geography/index.js";
import { Division } from "../geography/index.js";
import type { BudgetUnitRow } from "./procurement.schema.js";
import {
  BudgetUnit,
  BudgetUnitConnection,
  BudgetUnitFilter,
  CreateBudgetUnitInput,
  CreateBudgetUnitPayload,
  UpdateBudgetUnitInput,
  UpdateBudgetUnitPayload,
} from "./procurement.types.js";

const unitSchema = z.object({
  code: z.string().trim().regex(/^[A-Za-z0-9-]{2,32}$/, "2–32 letters, digits or -"),
  name: z.string().trim().min(2, "must be at least 2 characters").max(200),
  level: z.enum(["PREFECTURE_DIRECT", "COUNTY", "CENTRAL_PROVINCIAL"]),
  countyCode: z.string().regex(/^[0-9]{6}$/, "must be a 6-digit county code").nullable(),
  parentId: z.string().nullable(),
  hasCanteen: z.boolean(),
});

@Resolver(() => BudgetUnit)
export class BudgetUnitResolver {
  @Authorized()
  @Query(() => BudgetUnitConnection, { description: "预算单位, ordered by code." })
  async budgetUnits(
    @Arg("filter", () => BudgetUnitFilter, { nullable: true }) filter: BudgetUnitFilter | undefined,
    @Args(() => PageArguments) page: PageArguments,
    @Ctx() { services, loaders }: RequestContext,
  ) {
    validatePageArgs(page);
    const parsed = {
      parentId: filter?.parentId ? fromGlobalIdOf("BudgetUnit", filter.parentId, "filter.parentId") : undefined,
      countyCode: await countyScope(filter?.countyCode, loaders.divisionByCode, "filter.countyCode"),
      level: filter?.level,
    };
    const result = await services.budgetUnits.unitsPage(parsed, page);
    return toConnection(result, () => services.budgetUnits.unitsCount(parsed));
  }

  @Authorized("ADMIN")
  @Mutation(() => CreateBudgetUnitPayload)
  createBudgetUnit(@Arg("input", () => CreateBudgetUnitInput) input: CreateBudgetUnitInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const fields = parseInput(unitSchema, { countyCode: null, parentId: null, ...input });
      const parentId = fields.parentId ? inputId("BudgetUnit", fields.parentId, "parentId") : null;
      return { budgetUnit: await context.services.budgetUnits.createUnit(commandOf(context), { ...fields, parentId }) };
    });
  }

  @Authorized("ADMIN")
  @Mutation(() => UpdateBudgetUnitPayload)
  updateBudgetUnit(@Arg("input", () => UpdateBudgetUnitInput) input: UpdateBudgetUnitInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const { budgetUnitId, ...rest } = input;
      const changes = parseInput(unitSchema.pick({ name: true, parentId: true, hasCanteen: true }).partial(), Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)));
      if (changes.parentId) changes.parentId = inputId("BudgetUnit", changes.parentId, "parentId");
      const id = inputId("BudgetUnit", budgetUnitId, "budgetUnitId");
      return { budgetUnit: await context.services.budgetUnits.updateUnit(commandOf(context), id, changes) };
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
