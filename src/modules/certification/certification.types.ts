import { Field, ObjectType, registerEnumType } from "type-graphql";
import { PayloadType } from "../../graphql/payload.js";
import { DateTimeScalar, DecimalScalar } from "../../graphql/scalars.js";
import { Role, User } from "../accounts/index.js";
import { Product, ProductStatus } from "../catalog/index.js";

export const CertificationEventKind = { STATUS_CHANGED: "STATUS_CHANGED", PRICE_CHANGED: "PRICE_CHANGED" } as const;
registerEnumType(CertificationEventKind, {
  name: "CertificationEventKind",
  valuesConfig: {
    STATUS_CHANGED: { description: "状态变更: a step of the workflow (申报, 认定, 驳回, 入录, 撤销, 重新认定)" },
    PRICE_CHANGED: { description: "价格变动: the price of a certified or listed product moved within the review band; the status stays" },
  },
});

@ObjectType({
  description:
    "Who took a certification step. Everyone sees the role and a reviewer's office; the username only staff (admins, reviewers, officers), the person itself and its own enterprise's users.",
})
export class CertificationActor {
  @Field(() => Role)
  role!: string;

  @Field(() => String, { nullable: true, description: "Null unless you may know who it was." })
  username!: string | null;

  /** read by the `office` field resolver */
  officeCode!: string | null;
}

@ObjectType({ description: "One entry of a product's certification history: a step (申报, 认定, 驳回, 入录, 撤销) or a price change." })
export class CertificationEvent {
  @Field(() => CertificationEventKind)
  kind!: string;

  @Field(() => ProductStatus)
  fromStatus!: string;

  @Field(() => ProductStatus)
  toStatus!: string;

  @Field(() => User, { nullable: true, description: "The account that took the step: shown to admins and to the person itself (others: `performedBy`)." })
  actor!: unknown;

  @Field(() => CertificationActor, { nullable: true, description: "Who took the step, as far as you may know it (null for a step taken by no person)." })
  performedBy!: unknown;

  @Field(() => String, { nullable: true })
  comment!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: "The unit price before, when the entry records a price change (a PRICE_CHANGED entry, or a step back to review it caused)." })
  oldUnitPrice!: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: "The unit price after, when the entry records a price change." })
  newUnitPrice!: string | null;

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
