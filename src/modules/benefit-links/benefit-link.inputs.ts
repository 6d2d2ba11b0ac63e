import { Field, ID, InputType, Int } from "type-graphql";
import { z } from "zod";
import { businessToday } from "../../clock.js";
import { idOf, optional } from "../../graphql/inputs.js";
import { MONEY_CEILING, money } from "../../graphql/money.js";
import { DateScalar, DecimalScalar } from "../../graphql/scalars.js";
import { BenefitMechanism } from "./benefit-link.types.js";
import type { BenefitLinkFilter as BenefitLinkFilterArgs, HouseholdReference, NewBenefitLink } from "./benefit-links.service.js";

const mechanism = z.enum(["ORDER_PURCHASE", "EMPLOYMENT", "LAND_RENT", "EQUITY_DIVIDEND", "ASSET_INCOME", "TRUSTEESHIP", "OTHER"]);
const villageCode = z.string().regex(/^[0-9]{12}$/, "must be a 12-digit village code");
/** The Date scalar has already checked the calendar date. */
const day = z.string();

@InputType()
export class BenefitLinkFilter {
  @Field(() => String, { nullable: true })
  countyCode?: string;

  @Field(() => String, { nullable: true })
  villageCode?: string;

  @Field(() => ID, { nullable: true })
  enterpriseId?: string;

  @Field(() => ID, { nullable: true })
  householdId?: string;

  @Field(() => ID, { nullable: true })
  productId?: string;

  @Field(() => BenefitMechanism, { nullable: true })
  mechanism?: keyof typeof BenefitMechanism;

  @Field(() => Boolean, { nullable: true, description: "Only links active on `asOf` (default today)." })
  active?: boolean;

  @Field(() => DateScalar, { nullable: true })
  asOf?: string;
}

/** `countyCode` is only shaped here: whether it names a county is the geography face's `countyScope`. */
export const benefitLinkFilterSchema = z
  .object({
    countyCode: optional(z.string()),
    villageCode: optional(villageCode),
    enterpriseId: optional(idOf("Enterprise")),
    householdId: optional(idOf("Household")),
    productId: optional(idOf("Product")),
    mechanism: optional(mechanism),
    active: optional(z.boolean()),
    asOf: optional(day),
  })
  .transform(({ active, asOf, ...rest }): BenefitLinkFilterArgs => ({ ...rest, activeOn: active ? (asOf ?? businessToday()) : undefined }));

@InputType({ description: "Offices name the household by `householdId`; enterprises by `householdNo` plus `headIdNumber`, as on their contract." })
export class CreateBenefitLinkInput {
  @Field(() => ID, { nullable: true })
  householdId?: string;

  @Field(() => String, { nullable: true })
  householdNo?: string;

  @Field(() => String, { nullable: true, description: "户主身份证号, used once to match and never stored or returned." })
  headIdNumber?: string;

  @Field(() => ID, { nullable: true, description: "Enterprise users link to their own enterprise." })
  enterpriseId?: string;

  @Field(() => ID, { nullable: true })
  productId?: string;

  @Field(() => ID, { nullable: true })
  pairingId?: string;

  @Field(() => BenefitMechanism)
  mechanism!: keyof typeof BenefitMechanism;

  @Field(() => Int)
  year!: number;

  @Field(() => DecimalScalar, { defaultValue: "0" })
  income!: string;

  @Field(() => String, { nullable: true })
  contractRef?: string;

  @Field(() => DateScalar)
  startDate!: string;

  @Field(() => DateScalar, { nullable: true })
  endDate?: string;
}

/**
 * The enterprise, product and pairing IDs are checked to exist (and be visible) by `parseInput`.
 * The household is not: it becomes a `household` reference the service resolves, because an
 * enterprise naming a household by ID is FORBIDDEN before anything is looked up, and a number plus
 * ID number that match nothing must give one answer whichever part was wrong.
 */
export const createBenefitLinkSchema = z
  .object({
    householdId: optional(idOf("Household")),
    householdNo: optional(z.string().trim().min(1, "must not be empty").max(32)),
    headIdNumber: optional(z.string().trim().min(1, "must not be empty").max(30)),
    enterpriseId: optional(idOf("Enterprise")),
    productId: optional(idOf("Product")),
    pairingId: optional(idOf("Pairing")),
    mechanism,
    year: z.number().int().min(2013, "must be 2013 or later").max(2100),
    income: money(MONEY_CEILING.income),
    contractRef: optional(z.string().trim().max(100)),
    startDate: day,
    endDate: optional(day),
  })
  .transform(({ householdId, householdNo, headIdNumber, ...rest }, ctx): NewBenefitLink => {
    let household: HouseholdReference;
    if (householdId) household = { householdId };
    else if (householdNo && headIdNumber) household = { householdNo, headIdNumber };
    else {
      ctx.addIssue({ code: "custom", message: "Name the household: householdId, or householdNo with headIdNumber", path: ["householdId"] });
      return z.NEVER;
    }
    return { ...rest, household };
  });

@InputType()
export class EndBenefitLinkInput {
  @Field(() => ID)
  benefitLinkId!: string;

  @Field(() => DateScalar)
  endDate!: string;

  @Field(() => String, { nullable: true })
  reason?: string;
}

export const endBenefitLinkSchema = z.object({
  benefitLinkId: idOf("BenefitLink"),
  endDate: day,
  reason: optional(z.string().trim()).transform((v) => v || null),
});
