import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { ConnectionType } from "../../graphql/connection.js";
import { PayloadType } from "../../graphql/payload.js";
import { Node } from "../../graphql/node.js";

export const HouseholdStatus = {
  OUT_OF_POVERTY: "OUT_OF_POVERTY",
  IN_POVERTY: "IN_POVERTY",
  MONITORED_UNSTABLE: "MONITORED_UNSTABLE",
  MONITORED_EDGE: "MONITORED_EDGE",
} as const;

registerEnumType(HouseholdStatus, {
  name: "HouseholdStatus",
  valuesConfig: {
    OUT_OF_POVERTY: { description: "已脱贫" },
    IN_POVERTY: { description: "未脱贫" },
    MONITORED_UNSTABLE: { description: "脱贫不稳定户 (监测)" },
    MONITORED_EDGE: { description: "边缘易致贫户 (监测)" },
  },
});

@ObjectType({ implements: Node, description: "建档立卡户. Personal data is masked unless the viewer may see it (DOMAIN.md)." })
export class Household extends Node {
  @Field(() => String)
  householdNo!: string;

  @Field(() => Int)
  members!: number;

  @Field(() => Boolean, { description: "有劳动能力" })
  laborCapacity!: boolean;

  @Field(() => Boolean, { description: "有发展意愿" })
  developmentWillingness!: boolean;

  @Field(() => HouseholdStatus)
  status!: string;

  @Field(() => String, { nullable: true, description: "防止返贫监测: why the household is monitored" })
  monitoringReason!: string | null;

  @Field(() => Int, { nullable: true })
  exitYear!: number | null;
}

export const HouseholdConnection = ConnectionType(Household, "Household");

export const CreateHouseholdPayload = PayloadType("CreateHouseholdPayload", { household: { type: () => Household } });

export const UpdateHouseholdPayload = PayloadType("UpdateHouseholdPayload", { household: { type: () => Household } });
