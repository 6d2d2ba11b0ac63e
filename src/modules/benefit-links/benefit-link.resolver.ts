import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { z } from "zod";
import { validatePageArgs } from "../../db/keyset.js";
import { UserErrorCode, UserFacingError } from "../../errors.js";
import { toConnection } from "../../graphql/connection.js";
import { type RequestContext, commandOf } from "../../graphql/context.js";
import { fromGlobalIdOf, toGlobalId } from "../../graphql/global-id.js";
import { PageArguments } from "../../graphql/page-args.js";
import { mutationPayload } from "../../graphql/payload.js";
import { inputId, parseInput } from "../../graphql/validation.js";
import type { ProductRow } from "../catalog/index.js";
import { Product } from "../catalog/index.js";
import { todayUtc } from "../../clock.js";
import { Enterprise } from "../enterprises/index.js";
import { countyScope } from "../geography/index.js";
import { Household } from "../households/index.js";
import { Pairing } from "../pairings/index.js";
import type { BenefitLinkRow } from "./benefit-link.schema.js";
import type { HouseholdReference } from "./benefit-links.service.js";
import { BenefitLink, BenefitLinkConnection, BenefitLinkFilter, CreateBenefitLinkInput, CreateBenefitLinkPayload, EndBenefitLinkInput, EndBenefitLinkPayload } from "./benefit-link.types.js";

const linkSchema = z.object({
  year: z.number().int().min(2013, "must be 2013 or later").max(2100),
  income: z.string().refine((v) => !v.startsWith("-"), "must not be negative"),
  contractRef: z.string().trim().max(100).nullable(),
});

@Resolver(() => BenefitLink)
export class BenefitLinkResolver {
  @Authorized("ENTERPRISE", "REVIEWER", "ADMIN")
  @Query(() => BenefitLinkConnection, { description: "利益联结: an enterprise its own, an office its jurisdiction's, admins all." })
  async benefitLinks(
    @Arg("filter", () => BenefitLinkFilter, { nullable: true }) filter: BenefitLinkFilter | undefined,
    @Args(() => PageArguments) page: PageArguments,
    @Ctx() { services, loaders, actor }: RequestContext,
  ) {
    validatePageArgs(page);
    const parsed = {
      countyCode: await countyScope(filter?.countyCode, loaders.divisionByCode, "filter.countyCode"),
      villageCode: filter?.villageCode,
      enterpriseId: filter?.enterpriseId ? fromGlobalIdOf("Enterprise", filter.enterpriseId, "filter.enterpriseId") : undefined,
      householdId: filter?.householdId ? fromGlobalIdOf("Household", filter.householdId, "filter.householdId") : undefined,
      productId: filter?.productId ? fromGlobalIdOf("Product", filter.productId, "filter.productId") : undefined,
      mechanism: filter?.mechanism,
      activeOn: filter?.active ? (filter.asOf ?? todayUtc()) : undefined,
    };
    const result = await services.benefitLinks.page(actor, parsed, page);
    return toConnection(result, () => services.benefitLinks.count(actor, parsed));
  }

  @Authorized("ENTERPRISE", "REVIEWER", "ADMIN")
  @Mutation(() => CreateBenefitLinkPayload)
  createBenefitLink(@Arg("input", () => CreateBenefitLinkInput) input: CreateBenefitLinkInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const parsed = parseInput(linkSchema, { contractRef: null, ...input });
      let household: HouseholdReference;
      if (input.householdId) household = { householdId: inputId("Household", input.householdId, "householdId") };
      else if (input.householdNo && input.headIdNumber) household = { householdNo: input.householdNo.trim(), headIdNumber: input.headIdNumber };
      else throw new UserFacingError(UserErrorCode.INVALID, "Name the household: householdId, or householdNo with headIdNumber", ["input", "householdId"]);
      const actor = context.actor;
      const own = actor.kind === "user" && actor.role === "ENTERPRISE" ? actor.enterpriseId : null;
      const enterpriseId = input.enterpriseId ? inputId("Enterprise", input.enterpriseId, "enterpriseId") : own;
      if (!enterpriseId) throw new UserFacingError(UserErrorCode.INVALID, "enterpriseId is required", ["input", "enterpriseId"]);
      const link = await context.services.benefitLinks.create(commandOf(context), {
        ...parsed,
        household,
        enterpriseId,
        productId: input.productId ? inputId("Product", input.productId, "productId") : null,
        pairingId: input.pairingId ? inputId("Pairing", input.pairingId, "pairingId") : null,
        mechanism: input.mechanism,
        startDate: input.startDate,
        endDate: input.endDate ?? null,
      });
      return { benefitLink: link };
    });
  }

  @Authorized("ENTERPRISE", "REVIEWER", "ADMIN")
  @Mutation(() => EndBenefitLinkPayload)
  endBenefitLink(@Arg("input", () => EndBenefitLinkInput) input: EndBenefitLinkInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const id = inputId("BenefitLink", input.benefitLinkId, "benefitLinkId");
      return { benefitLink: await context.services.benefitLinks.end(commandOf(context), id, input.endDate, input.reason?.trim() || null) };
    });
  }

  @FieldResolver(() => ID)
  id(@Root() row: BenefitLinkRow) {
    return toGlobalId("BenefitLink", row.id);
  }

  @FieldResolver(() => Household, { nullable: true, description: "Null unless the viewer may see households (offices of its jurisdiction, admins)." })
  async household(@Root() row: BenefitLinkRow, @Ctx() { loaders, services, actor }: RequestContext) {
    const household = await loaders.householdById.load(row.householdId);
    return household && services.households.mayRead(actor, household) ? household : null;
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
