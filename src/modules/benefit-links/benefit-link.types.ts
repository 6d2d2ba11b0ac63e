import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { ConnectionType } from "../../graphql/connection.js";
import { UserError } from "../../graphql/errors.js";
import { Node } from "../../graphql/node.js";
import { DateScalar, DecimalScalar } from "../../graphql/scalars.js";

export const BenefitMechanism = {
  ORDER_PURCHASE: "ORDER_PURCHASE",
  EMPLOYMENT: "EMPLOYMENT",
  LAND_RENT: "LAND_RENT",
  EQUITY_DIVIDEND: "EQUITY_DIVIDEND",
  ASSET_INCOME: "ASSET_INCOME",
  TRUSTEESHIP: "TRUSTEESHIP",
  OTHER: "OTHER",
} as const;

registerEnumType(BenefitMechanism, {
  name: "BenefitMechanism",
  valuesConfig: {
    ORDER_PURCHASE: { description: "订单收购 / 保底收购" },
    EMPLOYMENT: { description: "务工就业" },
    LAND_RENT: { description: "土地流转" },
    EQUITY_DIVIDEND: { description: "入股分红 / 资金折股量化" },
    ASSET_INCOME: { description: "资产收益" },
    TRUSTEESHIP: { description: "生产托管 / 托管代养" },
    OTHER: { description: "其他" },
  },
});

@ObjectType({ implements: Node, description: "利益联结: a household tied to an enterprise by a mechanism." })
export class BenefitLink extends Node {
  @Field(() => BenefitMechanism)
  mechanism!: string;

  @Field(() => Int)
  year!: number;

  @Field(() => DecimalScalar, { description: "Income paid to the household that year." })
  income!: string;

  @Field(() => String, { nullable: true })
  contractRef!: string | null;

  @Field(() => DateScalar)
  startDate!: string;

  @Field(() => DateScalar, { nullable: true })
  endDate!: string | null;
}

export const BenefitLinkConnection = ConnectionType(BenefitLink, "BenefitLink");

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

@InputType()
export class EndBenefitLinkInput {
  @Field(() => ID)
  benefitLinkId!: string;

  @Field(() => DateScalar)
  endDate!: string;

  @Field(() => String, { nullable: true })
  reason?: string;
}

@ObjectType()
export class BenefitLinkPayload {
  @Field(() => BenefitLink, { nullable: true })
  benefitLink?: unknown;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class CreateBenefitLinkPayload extends BenefitLinkPayload {}

@ObjectType()
export class EndBenefitLinkPayload extends BenefitLinkPayload {}
