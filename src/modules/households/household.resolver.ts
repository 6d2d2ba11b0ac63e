import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { connectionOf } from "../../graphql/connection.js";
import { asSeenBy } from "../../actor.js";
import { type RequestContext, commandOf } from "../../graphql/context.js";
import { toGlobalId } from "../../graphql/global-id.js";
import { parseArgument, parseInput } from "../../graphql/inputs.js";
import { PageArguments } from "../../graphql/page-args.js";
import { mutationPayload } from "../../graphql/payload.js";
import { Division, countyScope } from "../geography/index.js";
import { maskName } from "./id-number.js";
import {
  CreateHouseholdInput,
  HouseholdFilter,
  UpdateHouseholdInput,
  createHouseholdSchema,
  householdFilterSchema,
  updateHouseholdSchema,
} from "./household.inputs.js";
import { householdPolicy, maySeeHeadName } from "./household.policy.js";
import type { HouseholdRow } from "./household.schema.js";
import { CreateHouseholdPayload, Household, HouseholdConnection, UpdateHouseholdPayload } from "./household.types.js";

@Resolver(() => Household)
export class HouseholdResolver {
  @Authorized("REVIEWER", "ADMIN")
  @Query(() => HouseholdConnection, { description: "建档立卡户 of the reviewer's jurisdiction (admins: all); personal data masked." })
  async households(
    @Arg("filter", () => HouseholdFilter, { nullable: true }) filter: HouseholdFilter | undefined,
    @Args(() => PageArguments) page: PageArguments,
    @Ctx() { services, loaders, actor }: RequestContext,
  ) {
    const parsed = parseArgument(householdFilterSchema, filter ?? {}, "filter");
    parsed.countyCode = await countyScope(parsed.countyCode, loaders.divisionByCode, "filter.countyCode");
    return connectionOf(page, (p) => services.households.page(actor, parsed, p), () => services.households.count(actor, parsed));
  }

  @Authorized("REVIEWER", "ADMIN")
  @Mutation(() => CreateHouseholdPayload)
  createHousehold(@Arg("input", () => CreateHouseholdInput) input: CreateHouseholdInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const household = await context.services.households.create(commandOf(context), await parseInput(createHouseholdSchema, input, context));
      return { household: await asSeenBy(householdPolicy, context.actor, household) };
    });
  }

  @Authorized("REVIEWER", "ADMIN")
  @Mutation(() => UpdateHouseholdPayload, { description: "Status and monitoring flags (防止返贫监测) and other facts of a household." })
  updateHousehold(@Arg("input", () => UpdateHouseholdInput) input: UpdateHouseholdInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const { householdId, changes } = await parseInput(updateHouseholdSchema, input, context);
      const household = await context.services.households.update(commandOf(context), householdId, changes);
      return { household: await asSeenBy(householdPolicy, context.actor, household) };
    });
  }

  @FieldResolver(() => ID)
  id(@Root() row: HouseholdRow) {
    return toGlobalId("Household", row.id);
  }

  @FieldResolver(() => String, { description: "户主姓名: masked (张*) except for the household's own county office and admins." })
  headName(@Root() row: HouseholdRow, @Ctx() { actor }: RequestContext) {
    return maySeeHeadName(actor, row) ? row.headName : maskName(row.headName);
  }

  @FieldResolver(() => String, { description: "户主身份证号, always masked (4331**********1234); the whole number is never returned." })
  headIdNumber(@Root() row: HouseholdRow) {
    return row.headIdMasked;
  }

  @FieldResolver(() => Division)
  village(@Root() row: HouseholdRow, @Ctx() { loaders }: RequestContext) {
    return loaders.divisionByCode.load(row.villageCode);
  }
}
