import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { ConnectionType } from "../../graphql/connection.js";
import { UserError } from "../../graphql/errors.js";
import { Node } from "../../graphql/node.js";
import { DateScalar, DecimalScalar } from "../../graphql/scalars.js";

export const PairingMode = { INDUSTRY: "INDUSTRY", EMPLOYMENT: "EMPLOYMENT", COMMERCE: "COMMERCE", SKILLS: "SKILLS", PUBLIC_WELFARE: "PUBLIC_WELFARE" } as const;
registerEnumType(PairingMode, {
  name: "PairingMode",
  valuesConfig: {
    INDUSTRY: { description: "产业帮扶" },
    EMPLOYMENT: { description: "就业帮扶" },
    COMMERCE: { description: "商贸/消费帮扶" },
    SKILLS: { description: "智力帮扶" },
    PUBLIC_WELFARE: { description: "公益帮扶" },
  },
});

@ObjectType({ implements: Node, description: "千企帮千村: an enterprise paired with a village." })
export class Pairing extends Node {
  @Field(() => PairingMode)
  mode!: string;

  @Field(() => DateScalar)
  startDate!: string;

  @Field(() => DateScalar, { nullable: true })
  endDate!: string | null;

  @Field(() => DecimalScalar, { description: "产业投入" })
  industrialInvestment!: string;

  @Field(() => DecimalScalar, { description: "公益投入" })
  welfareInvestment!: string;

  @Field(() => Int)
  jobsProvided!: number;

  @Field(() => Int)
  peopleTrained!: number;
}

export const PairingConnection = ConnectionType(Pairing, "Pairing");

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

@InputType()
export class EndPairingInput {
  @Field(() => ID)
  pairingId!: string;

  @Field(() => DateScalar)
  endDate!: string;

  @Field(() => String, { nullable: true })
  reason?: string;
}

@ObjectType()
export class PairingPayload {
  @Field(() => Pairing, { nullable: true })
  pairing?: unknown;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class CreatePairingPayload extends PairingPayload {}

@ObjectType()
export class EndPairingPayload extends PairingPayload {}
