import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { z } from "zod";
import { validatePageArgs } from "../../db/keyset.js";
import { UserErrorCode, UserFacingError } from "../../errors.js";
import { toConnection } from "../../graphql/connection.js";
import { type RequestContext, commandOf } from "../../graphql/context.js";
import { fromGlobalIdOf, toGlobalId } from "../../graphql/global-id.js";
import { PageArguments } from "../../graphql/page-args.js";
import { mutationPayload } from "../../graphql/payload.js";
import { inputId, parseArgument, parseInput } from "../../graphql/validation.js";
import { todayUtc } from "../../clock.js";
import { Enterprise } from "../enterprises/index.js";
import { countyScope } from "../geography/index.js";
import { Division } from "../geography/index.js";
import type { PairingRow } from "./pairing.schema.js";
import { CreatePairingInput, CreatePairingPayload, EndPairingInput, EndPairingPayload, Pairing, PairingConnection, PairingFilter } from "./pairing.types.js";

const amount = z.string().refine((v) => !v.startsWith("-"), "must not be negative");
const count = z.number().int().min(0, "must not be negative").max(10_000_000);
const villageCode = z.string().regex(/^[0-9]{12}$/, "must be a 12-digit village code");

@Resolver(() => Pairing)
export class PairingResolver {
  @Query(() => PairingConnection, { description: "千企帮千村 pairings, newest first (public: no personal data)." })
  async pairings(
    @Arg("filter", () => PairingFilter, { nullable: true }) filter: PairingFilter | undefined,
    @Args(() => PageArguments) page: PageArguments,
    @Ctx() { services, loaders }: RequestContext,
  ) {
    validatePageArgs(page);
    const parsed = {
      countyCode: await countyScope(filter?.countyCode, loaders.divisionByCode, "filter.countyCode"),
      villageCode: filter?.villageCode ? parseArgument(villageCode, filter.villageCode, "filter.villageCode") : undefined,
      enterpriseId: filter?.enterpriseId ? fromGlobalIdOf("Enterprise", filter.enterpriseId, "filter.enterpriseId") : undefined,
      mode: filter?.mode,
      activeOn: filter?.active ? (filter.asOf ?? todayUtc()) : undefined,
    };
    const result = await services.pairings.page(parsed, page);
    return toConnection(result, () => services.pairings.count(parsed));
  }

  @Authorized("ENTERPRISE", "REVIEWER", "ADMIN")
  @Mutation(() => CreatePairingPayload)
  createPairing(@Arg("input", () => CreatePairingInput) input: CreatePairingInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const parsed = parseInput(
        z.object({ villageCode, industrialInvestment: amount, welfareInvestment: amount, jobsProvided: count, peopleTrained: count }),
        input,
      );
      const actor = context.actor;
      const own = actor.kind === "user" && actor.role === "ENTERPRISE" ? actor.enterpriseId : null;
      const enterpriseId = input.enterpriseId ? inputId("Enterprise", input.enterpriseId, "enterpriseId") : own;
      if (!enterpriseId) throw new UserFacingError(UserErrorCode.INVALID, "enterpriseId is required", ["input", "enterpriseId"]);
      return {
        pairing: await context.services.pairings.create(commandOf(context), { ...parsed, enterpriseId, mode: input.mode, startDate: input.startDate, endDate: input.endDate ?? null }),
      };
    });
  }

  @Authorized("ENTERPRISE", "REVIEWER", "ADMIN")
  @Mutation(() => EndPairingPayload)
  endPairing(@Arg("input", () => EndPairingInput) input: EndPairingInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const id = inputId("Pairing", input.pairingId, "pairingId");
      return { pairing: await context.services.pairings.end(commandOf(context), id, input.endDate, input.reason?.trim() || null) };
    });
  }

  @FieldResolver(() => ID)
  id(@Root() row: PairingRow) {
    return toGlobalId("Pairing", row.id);
  }

  @FieldResolver(() => Enterprise)
  enterprise(@Root() row: PairingRow, @Ctx() { loaders }: RequestContext) {
    return loaders.enterpriseById.load(row.enterpriseId);
  }

  @FieldResolver(() => Division)
  village(@Root() row: PairingRow, @Ctx() { loaders }: RequestContext) {
    return loaders.divisionByCode.load(row.villageCode);
  }
}
