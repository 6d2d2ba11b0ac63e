import { Field, ID, InputType, ObjectType, registerEnumType } from "type-graphql";
import { UserError } from "../../graphql/errors.js";
import { DateTimeScalar } from "../../graphql/scalars.js";
import { User } from "../accounts/index.js";
import { Product, ProductStatus } from "../catalog/index.js";

@ObjectType({ description: "One step of a product's certification (申报, 认定, 驳回, 入录, 撤销)." })
export class CertificationEvent {
  @Field(() => ProductStatus)
  fromStatus!: string;

  @Field(() => ProductStatus)
  toStatus!: string;

  @Field(() => User, { nullable: true })
  actor!: unknown;

  @Field(() => String, { nullable: true })
  comment!: string | null;

  @Field(() => DateTimeScalar)
  at!: Date;
}

export const ReviewDecision = { APPROVE: "APPROVE", REJECT: "REJECT" } as const;
registerEnumType(ReviewDecision, {
  name: "ReviewDecision",
  valuesConfig: { APPROVE: { description: "认定 certify" }, REJECT: { description: "驳回 reject (comment required)" } },
});

@InputType()
export class SubmitProductForCertificationInput {
  @Field(() => ID)
  productId!: string;
}

@InputType()
export class ReviewProductInput {
  @Field(() => ID)
  productId!: string;

  @Field(() => ReviewDecision)
  decision!: keyof typeof ReviewDecision;

  @Field(() => String, { nullable: true, description: "Required when rejecting." })
  comment?: string;
}

@InputType()
export class ListProductsInput {
  @Field(() => [ID])
  productIds!: string[];

  @Field(() => String, { description: "入录批次, e.g. 2020年第三批" })
  batch!: string;
}

@InputType()
export class RevokeCertificationInput {
  @Field(() => ID)
  productId!: string;

  @Field(() => String, { description: "撤销理由: quality or food-safety failure, fraud, broken benefit mechanism …" })
  reason!: string;
}

@ObjectType()
export class ProductPayload {
  @Field(() => Product, { nullable: true })
  product?: unknown;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class SubmitProductForCertificationPayload extends ProductPayload {}

@ObjectType()
export class ReviewProductPayload extends ProductPayload {}

@ObjectType()
export class RevokeCertificationPayload extends ProductPayload {}

@ObjectType()
export class ListProductsPayload {
  @Field(() => [Product], { nullable: true })
  products?: unknown[];

  @Field(() => [UserError])
  userErrors!: UserError[];
}
