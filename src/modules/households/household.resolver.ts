import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { z } from "zod";
import { validatePageArgs } from "../../db/keyset.js";
import { toConnection } from "../../graphql/connection.js";
import { type RequestContext, commandOf } from "../../graphql/context.js";
import { toGlobalId } from "../../graphql/global-id.js";
import { PageArguments } from "../../graphql/page-args.js";
import { mutationPayload } from "../../graphql/payload.js";
import { inputId, parseArgument, parseInput } from "../../graphql/validation.js";
import { countyScope } from "../geography/index.js";
import { Division } from "../geography/index.js";
import type { HouseholdRow } from "./household.schema.js";
import {
  CreateHouseholdInput,
  CreateHouseholdPayload,
  Household,
  HouseholdConnection,
  HouseholdFilter,
  UpdateHouseholdInput,
  UpdateHouseholdPayload,
} from "./household.types.js";
import { maySeeHeadName } from "./households.service.js";
import { maskName } from "./id-number.js";

const fields = z.object({
  householdNo: z.string().trim().regex(/^[0-9A-Za-z-]{6,32}$/, "6–32 digits, letters or -"),
  villageCode: z.string().regex(/^[0-9]{12}$/, "must be a 12-digit village code"),
  headName: z.string().trim().min(1, "is required").max(50),
  headIdNumber: z.string().trim().min(1, "is required").max(30),
  members: z.number().int().min(1, "at least 1").max(30, "at most 30"),
  laborCapacity: z.boolean(),
  developmentWillingness: z.boolean(),
  status: z.enum(["OUT_OF_POVERTY", "IN_POVERTY", "MONITORED_UNSTABLE", "MONITORED_EDGE"]),
  monitoringReason: z.string().trim().max(500).nullable(),
  exitYear: z.number().int().min(2013).max(2100).nullable(),
});

@Resolver(() => Household)
export class HouseholdResolver {
  @Authorized("REVIEWER", "ADMIN")
  @Query(() => HouseholdConnection, { description: "建档立卡户 of the reviewer's jurisdiction (admins: all); personal data masked." })
  async households(
    @Arg("filter", () => HouseholdFilter, { nullable: true }) filter: HouseholdFilter | undefined,
    @Args(() => PageArguments) page: PageArguments,
    @Ctx() { services, loaders, actor }: RequestContext,
  ) {
    validatePageArgs(page);
    const parsed = {
      countyCode: await countyScope(filter?.countyCode, loaders.divisionByCode, "filter.countyCode"),
      villageCode: filter?.villageCode ? parseArgument(fields.shape.villageCode, filter.villageCode, "filter.villageCode") : undefined,
      status: filter?.status,
      laborCapacityAndWillingness: filter?.laborCapacityAndWillingness,
    };
    const result = await services.households.page(actor, parsed, page);
    return toConnection(result, () => services.households.count(actor, parsed));
  }

  @Authorized("REVIEWER", "ADMIN")
  @Mutation(() => CreateHouseholdPayload)
  createHousehold(@Arg("input", () => CreateHouseholdInput) input: CreateHouseholdInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const parsed = parseInput(fields, { monitoringReason: null, exitYear: null, ...input });
      return { household: await context.services.households.create(commandOf(context), parsed) };
    });
  }

  @Authorized("REVIEWER", "ADMIN")
  @Mutation(() => UpdateHouseholdPayload, { description: "Status and monitoring flags (防止返贫监测) and other facts of a household." })
  updateHousehold(@Arg("input", () => UpdateHouseholdInput) input: UpdateHouseholdInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const { householdId, ...rest } = input;
      const changes = parseInput(
        fields.pick({ headName: true, members: true, laborCapacity: true, developmentWillingness: true, status: true, monitoringReason: true, exitYear: true }).partial(),
        Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
      );
      const id = inputId("Household", householdId, "householdId");
      return { household: await context.services.households.update(commandOf(context), id, changes) };
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
