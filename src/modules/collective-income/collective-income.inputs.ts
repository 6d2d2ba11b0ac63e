import { Field, InputType, Int } from "type-graphql";
import { z } from "zod";
import { optional } from "../../graphql/inputs.js";
import { MONEY_CEILING, money } from "../../graphql/money.js";
import { DecimalScalar } from "../../graphql/scalars.js";
import { CollectiveIncomeSource } from "./collective-income.types.js";
import type { NewCollectiveIncome } from "./collective-income.service.js";

@InputType()
export class RecordCollectiveIncomeInput {
  @Field(() => String, { description: "The village's 12-digit code (行政村代码)." })
  villageCode!: string;

  @Field(() => Int)
  year!: number;

  @Field(() => CollectiveIncomeSource)
  source!: string;

  @Field(() => DecimalScalar, { description: "Yuan; 0 or more. Recording the same village, year and source again replaces the amount." })
  amount!: string;

  @Field(() => String, { nullable: true })
  note?: string | null;
}

export const recordCollectiveIncomeSchema = z.object({
  villageCode: z.string().trim().regex(/^[0-9]{12}$/, "must be a village's 12-digit code"),
  year: z.number().int().min(2015, "must be 2015 or later").max(2100, "must be 2100 or earlier"),
  source: z.enum(Object.keys(CollectiveIncomeSource) as [keyof typeof CollectiveIncomeSource]),
  amount: money(MONEY_CEILING.total),
  note: optional(z.string().trim().max(500, "must be at most 500 characters")).transform((v) => (v ? v : undefined)),
}) satisfies z.ZodType<NewCollectiveIncome, unknown>;
