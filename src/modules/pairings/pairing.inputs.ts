import { Field, ID, InputType, Int } from "type-graphql";
import { z } from "zod";
import { businessToday } from "../../clock.js";
import { idOf, optional } from "../../graphql/inputs.js";
import { MONEY_CEILING, money } from "../../graphql/money.js";
import { DateScalar, DecimalScalar } from "../../graphql/scalars.js";
import { PairingMode } from "./pairing.types.js";
import type { NewPairing, PairingFilter as PairingFilterArgs } from "./pairings.service.js";

const amount = money(MONEY_CEILING.total);
const count = z.number().int().min(0, "must not be negative").max(10_000_000);
const villageCode = z.string().regex(/^[0-9]{12}$/, "must be a 12-digit village code");
const mode = z.enum(["INDUSTRY", "EMPLOYMENT", "COMMERCE", "SKILLS", "PUBLIC_WELFARE"]);
/** The Date scalar has already checked the calendar date. */
const day = z.string();

@InputType()
export class PairingFilter {
  @Field(() => String, { nullable: true })
  countyCode?: string;

  @Field(() => String, { nullable: true })
  villageCode?: string;

  @Field(() => ID, { nullable: true })
  enterpriseId?: string;

  @Field(() => PairingMode, { nullable: true })
  mode?: keyof typeof PairingMode;

  @Field(() => Boolean, { nullable: true, description: "Only pairings active on `asOf` (default today)." })
  active?: boolean;

  @Field(() => DateScalar, { nullable: true })
  asOf?: string;
}

/** `countyCode` is only shaped here: whether it names a county is the geography face's `countyScope`. */
export const pairingFilterSchema = z
  .object({
    countyCode: optional(z.string()),
    villageCode: optional(villageCode),
    enterpriseId: optional(idOf("Enterprise")),
    mode: optional(mode),
    active: optional(z.boolean()),
    asOf: optional(day),
  })
  .transform(({ active, asOf, ...rest }): PairingFilterArgs => ({ ...rest, activeOn: active ? (asOf ?? businessToday()) : undefined }));

@InputType()
export class CreatePairingInput {
  @Field(() => ID, { nullable: true, description: "Enterprise users pair their own enterprise; offices name it." })
  enterpriseId?: string;

  @Field(() => String)
  villageCode!: string;

  @Field(() => PairingMode)
  mode!: keyof typeof PairingMode;

  @Field(() => DateScalar)
  startDate!: string;

  @Field(() => DateScalar, { nullable: true })
  endDate?: string;

  @Field(() => DecimalScalar, { defaultValue: "0" })
  industrialInvestment!: string;

  @Field(() => DecimalScalar, { defaultValue: "0" })
  welfareInvestment!: string;

  @Field(() => Int, { defaultValue: 0 })
  jobsProvided!: number;

  @Field(() => Int, { defaultValue: 0 })
  peopleTrained!: number;
}

export const createPairingSchema = z.object({
  enterpriseId: optional(idOf("Enterprise")),
  villageCode,
  mode,
  startDate: day,
  endDate: optional(day),
  industrialInvestment: amount,
  welfareInvestment: amount,
  jobsProvided: count,
  peopleTrained: count,
}) satisfies z.ZodType<NewPairing>;

@InputType()
export class EndPairingInput {
  @Field(() => ID)
  pairingId!: string;

  @Field(() => DateScalar)
  endDate!: string;

  @Field(() => String, { nullable: true })
  reason?: string;
}

export const endPairingSchema = z.object({
  pairingId: idOf("Pairing"),
  endDate: day,
  reason: optional(z.string().trim()).transform((v) => v || null),
});
