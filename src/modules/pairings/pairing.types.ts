import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { ConnectionType } from "../../graphql/connection.js";
import { PayloadType } from "../../graphql/payload.js";
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

export const CreatePairingPayload = PayloadType("CreatePairingPayload", { pairing: { type: () => Pairing } });

export const EndPairingPayload = PayloadType("EndPairingPayload", { pairing: { type: () => Pairing } });
