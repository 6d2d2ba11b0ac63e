import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { ConnectionType } from "../../graphql/connection.js";
import { PayloadType } from "../../graphql/payload.js";
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

export const CreateBenefitLinkPayload = PayloadType("CreateBenefitLinkPayload", { benefitLink: { type: () => BenefitLink } });

export const EndBenefitLinkPayload = PayloadType("EndBenefitLinkPayload", { benefitLink: { type: () => BenefitLink } });
