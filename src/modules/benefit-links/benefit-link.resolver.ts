import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { connectionOf } from "../../graphql/connection.js";
import { asSeenBy } from "../../actor.js";
import { type RequestContext, commandOf } from "../../graphql/context.js";
import { toGlobalId } from "../../graphql/global-id.js";
import { parseArgument, parseInput } from "../../graphql/inputs.js";
import { PageArguments } from "../../graphql/page-args.js";
import { mutationPayload } from "../../graphql/payload.js";
import { Product, type ProductRow } from "../catalog/index.js";
import { Enterprise } from "../enterprises/index.js";
import { countyScope } from "../geography/index.js";
import { Household } from "../households/index.js";
import { Pairing } from "../pairings/index.js";
import {
  BenefitLinkFilter,
  CreateBenefitLinkInput,
  EndBenefitLinkInput,
  benefitLinkFilterSchema,
  createBenefitLinkSchema,
  endBenefitLinkSchema,
} from "./benefit-link.inputs.js";
import { benefitLinkPolicy } from "./benefit-link.policy.js";
import type { BenefitLinkRow } from "./benefit-link.schema.js";
import { BenefitLink, BenefitLinkConnection, CreateBenefitLinkPayload, EndBenefitLinkPayload } from "./benefit-link.types.js";

@Resolver(() => BenefitLink)
export class BenefitLinkResolver {
  @Authorized("ENTERPRISE", "REVIEWER", "ADMIN")
  @Query(() => BenefitLinkConnection, { description: "利益联结: an enterprise its own, an office its jurisdiction's, admins all." })
  async benefitLinks(
    @Arg("filter", () => BenefitLinkFilter, { nullable: true }) filter: BenefitLinkFilter | undefined,
    @Args(() => PageArguments) page: PageArguments,
    @Ctx() { services, loaders, actor }: RequestContext,
  ) {
    const parsed = parseArgument(benefitLinkFilterSchema, filter ?? {}, "filter");
    parsed.countyCode = await countyScope(parsed.countyCode, loaders.divisionByCode, "filter.countyCode");
    return connectionOf(page, (p) => services.benefitLinks.page(actor, parsed, p), () => services.benefitLinks.count(actor, parsed));
  }

  @Authorized("ENTERPRISE", "REVIEWER", "ADMIN")
  @Mutation(() => CreateBenefitLinkPayload)
  createBenefitLink(@Arg("input", () => CreateBenefitLinkInput) input: CreateBenefitLinkInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const link = await context.services.benefitLinks.create(commandOf(context), await parseInput(createBenefitLinkSchema, input, context));
      return { benefitLink: await asSeenBy(benefitLinkPolicy, context.actor, link) };
    });
  }

  @Authorized("ENTERPRISE", "REVIEWER", "ADMIN")
  @Mutation(() => EndBenefitLinkPayload)
  endBenefitLink(@Arg("input", () => EndBenefitLinkInput) input: EndBenefitLinkInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const { benefitLinkId, endDate, reason } = await parseInput(endBenefitLinkSchema, input, context);
      const link = await context.services.benefitLinks.end(commandOf(context), benefitLinkId, endDate, reason);
      return { benefitLink: await asSeenBy(benefitLinkPolicy, context.actor, link) };
    });
  }

  @FieldResolver(() => ID)
  id(@Root() row: BenefitLinkRow) {
    return toGlobalId("BenefitLink", row.id);
  }

  // Each relation loads through its owner's policy-guarded loader, as `node(id:)` does.

  @FieldResolver(() => Household, { nullable: true, description: "Null unless the viewer may see households (offices of its jurisdiction, admins)." })
  household(@Root() row: BenefitLinkRow, @Ctx() { loaders }: RequestContext) {
    return loaders.householdById.load(row.householdId);
  }

  @FieldResolver(() => Enterprise)
  enterprise(@Root() row: BenefitLinkRow, @Ctx() { loaders }: RequestContext) {
    return loaders.enterpriseById.load(row.enterpriseId);
  }

  @FieldResolver(() => Product, { nullable: true })
  product(@Root() row: BenefitLinkRow, @Ctx() { loaders }: RequestContext) {
    return row.productId ? loaders.productById.load(row.productId) : null;
  }

  @FieldResolver(() => Pairing, { nullable: true })
  pairing(@Root() row: BenefitLinkRow, @Ctx() { loaders }: RequestContext) {
    return row.pairingId ? loaders.pairingById.load(row.pairingId) : null;
  }
}

@Resolver(() => Product)
export class ProductBeneficiariesResolver {
  @FieldResolver(() => Int, { description: "带贫人数: distinct households with an active benefit link to this product (derived, never typed in)." })
  beneficiaryHouseholdCount(@Root() product: ProductRow, @Ctx() { loaders }: RequestContext) {
    return loaders.beneficiaryHouseholdCount.load(product.id);
  }
}
