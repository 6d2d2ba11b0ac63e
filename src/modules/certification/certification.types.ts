import { Field, ObjectType, registerEnumType } from "type-graphql";
import { PayloadType } from "../../graphql/payload.js";
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

export const SubmitProductForCertificationPayload = PayloadType("SubmitProductForCertificationPayload", { product: { type: () => Product } });

export const ReviewProductPayload = PayloadType("ReviewProductPayload", { product: { type: () => Product } });

export const RevokeCertificationPayload = PayloadType("RevokeCertificationPayload", { product: { type: () => Product } });

export const ListProductsPayload = PayloadType("ListProductsPayload", { products: { type: () => [Product] } });
