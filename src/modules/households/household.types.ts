import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { ConnectionType } from "../../graphql/connection.js";
import { UserError } from "../../graphql/errors.js";
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

@InputType()
export class HouseholdFilter {
  @Field(() => String, { nullable: true })
  countyCode?: string;

  @Field(() => String, { nullable: true })
  villageCode?: string;

  @Field(() => HouseholdStatus, { nullable: true })
  status?: keyof typeof HouseholdStatus;

  @Field(() => Boolean, { nullable: true, description: "Only households able and willing to work (true), or the others (false)." })
  laborCapacityAndWillingness?: boolean;
}

@InputType()
export class CreateHouseholdInput {
  @Field(() => String)
  householdNo!: string;

  @Field(() => String, { description: "A VILLAGE division code (12 digits)." })
  villageCode!: string;

  @Field(() => String)
  headName!: string;

  @Field(() => String, { description: "户主身份证号 (GB 11643); stored only as a keyed hash and a masked form." })
  headIdNumber!: string;

  @Field(() => Int)
  members!: number;

  @Field(() => Boolean)
  laborCapacity!: boolean;

  @Field(() => Boolean)
  developmentWillingness!: boolean;

  @Field(() => HouseholdStatus)
  status!: keyof typeof HouseholdStatus;

  @Field(() => String, { nullable: true })
  monitoringReason?: string;

  @Field(() => Int, { nullable: true })
  exitYear?: number;
}

@InputType()
export class UpdateHouseholdInput {
  @Field(() => ID)
  householdId!: string;

  @Field(() => String, { nullable: true })
  headName?: string;

  @Field(() => Int, { nullable: true })
  members?: number;

  @Field(() => Boolean, { nullable: true })
  laborCapacity?: boolean;

  @Field(() => Boolean, { nullable: true })
  developmentWillingness?: boolean;

  @Field(() => HouseholdStatus, { nullable: true })
  status?: keyof typeof HouseholdStatus;

  @Field(() => String, { nullable: true })
  monitoringReason?: string;

  @Field(() => Int, { nullable: true })
  exitYear?: number;
}

@ObjectType()
export class HouseholdPayload {
  @Field(() => Household, { nullable: true })
  household?: unknown;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class CreateHouseholdPayload extends HouseholdPayload {}

@ObjectType()
export class UpdateHouseholdPayload extends HouseholdPayload {}
