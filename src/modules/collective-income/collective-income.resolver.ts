import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import { type RequestContext, commandOf } from "../../graphql/context.js";
import { parseInput } from "../../graphql/inputs.js";
import { mutationPayload } from "../../graphql/payload.js";
import { Division } from "../geography/index.js";
import { RecordCollectiveIncomeInput, recordCollectiveIncomeSchema } from "./collective-income.inputs.js";
import { CollectiveIncome, RecordCollectiveIncomePayload, VillageCollectiveIncome } from "./collective-income.types.js";

@Resolver(() => CollectiveIncome)
export class CollectiveIncomeResolver {
  @Authorized("ADMIN", "REVIEWER")
  @Mutation(() => RecordCollectiveIncomePayload, {
    description: "村级集体经济收入: the county office of the village (or an admin) records a year's income from one source; again: revises it. Audited.",
  })
  recordCollectiveIncome(@Arg("input", () => RecordCollectiveIncomeInput) input: RecordCollectiveIncomeInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => context.services.collectiveIncome.record(commandOf(context), await parseInput(recordCollectiveIncomeSchema, input)));
  }
}

@Resolver(() => VillageCollectiveIncome)
export class VillageCollectiveIncomeResolver {
  /** Divisions are public: a row the statement already read is the answer, else the loader's. */
  @FieldResolver(() => Division, { nullable: true })
  village(@Root() row: { villageCode: string; village?: unknown }, @Ctx() { loaders }: RequestContext) {
    return row.village ?? loaders.divisionByCode.load(row.villageCode);
  }
}
