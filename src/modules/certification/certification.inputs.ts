import { Field, ID, InputType } from "type-graphql";
import { z } from "zod";
import { idCheckedByService, optional } from "../../graphql/inputs.js";
import type { ReviewDecision as ReviewDecisionValue } from "./certification.service.js";
import { ReviewDecision } from "./certification.types.js";

/**
 * The certification inputs, each next to its zod schema. Product IDs are decoded here and looked up
 * by the service, under the row lock of the transition: it answers FORBIDDEN for a product outside
 * the caller's remit and NOT_FOUND for an ID of nothing. Each schema outputs the service's arguments.
 */

const comment = z.string().trim().max(2000, "must be at most 2000 characters");

@InputType()
export class SubmitProductForCertificationInput {
  @Field(() => ID)
  productId!: string;
}

export const submitSchema = z.object({ productId: idCheckedByService("Product") });

@InputType()
export class ReviewProductInput {
  @Field(() => ID)
  productId!: string;

  @Field(() => ReviewDecision)
  decision!: keyof typeof ReviewDecision;

  @Field(() => String, { nullable: true, description: "Required when rejecting." })
  comment?: string;
}

export const reviewSchema = z.object({
  productId: idCheckedByService("Product"),
  decision: z.enum(["APPROVE", "REJECT"]) satisfies z.ZodType<ReviewDecisionValue>,
  // An empty comment is no comment (a rejection then asks for one).
  comment: optional(comment).transform((text) => text || null),
});

@InputType()
export class ListProductsInput {
  @Field(() => [ID])
  productIds!: string[];

  @Field(() => String, { description: "入录批次, e.g. 2020年第三批" })
  batch!: string;
}

export const listSchema = z.object({
  productIds: z.array(idCheckedByService("Product")).min(1, "needs at least one product").max(100, "at most 100 products per batch"),
  batch: z.string().trim().min(1, "is required").max(50),
});

@InputType()
export class RevokeCertificationInput {
  @Field(() => ID)
  productId!: string;

  @Field(() => String, { description: "撤销理由: quality or food-safety failure, fraud, broken benefit mechanism …" })
  reason!: string;
}

export const revokeSchema = z.object({ productId: idCheckedByService("Product"), reason: comment.min(1, "is required") });
