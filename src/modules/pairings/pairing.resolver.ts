import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { connectionOf } from "../../graphql/connection.js";
import { type RequestContext, commandOf } from "../../graphql/context.js";
import { toGlobalId } from "../../graphql/global-id.js";
import { parseArgument, parseInput } from "../../graphql/inputs.js";
import { PageArguments } from "../../graphql/page-args.js";
import { mutationPayload } from "../../graphql/payload.js";
import { Enterprise } from "../enterprises/index.js";
import { Division, countyScope } from "../geography/index.js";
import { CreatePairingInput, EndPairingInput, PairingFilter, createPairingSchema, endPairingSchema, pairingFilterSchema } from "./pairing.inputs.js";
import type { PairingRow } from "./pairing.schema.js";
import { CreatePairingPayload, EndPairingPayload, Pairing, PairingConnection } from "./pairing.types.js";

@Resolver(() => Pairing)
export class PairingResolver {
  @Query(() => PairingConnection, { description: "千企帮千村 pairings, newest first (public: no personal data)." })
  async pairings(
    @Arg("filter", () => PairingFilter, { nullable: true }) filter: PairingFilter | undefined,
    @Args(() => PageArguments) page: PageArguments,
    @Ctx() { services, loaders, actor }: RequestContext,
  ) {
    const parsed = parseArgument(pairingFilterSchema, filter ?? {}, "filter");
    parsed.countyCode = await countyScope(parsed.countyCode, loaders.divisionByCode, "filter.countyCode");
    return connectionOf(page, (p) => services.pairings.page(actor, parsed, p), () => services.pairings.count(actor, parsed));
  }

  @Authorized("ENTERPRISE", "REVIEWER", "ADMIN")
  @Mutation(() => CreatePairingPayload)
  createPairing(@Arg("input", () => CreatePairingInput) input: CreatePairingInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => ({
      pairing: await context.services.pairings.create(commandOf(context), await parseInput(createPairingSchema, input, context)),
    }));
  }

  @Authorized("ENTERPRISE", "REVIEWER", "ADMIN")
  @Mutation(() => EndPairingPayload)
  endPairing(@Arg("input", () => EndPairingInput) input: EndPairingInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const { pairingId, endDate, reason } = await parseInput(endPairingSchema, input, context);
      return { pairing: await context.services.pairings.end(commandOf(context), pairingId, endDate, reason) };
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
