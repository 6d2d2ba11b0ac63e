import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { Node } from "../../graphql/node.js";
import { ConnectionType } from "../../graphql/connection.js";

export const DivisionLevel = {
  PREFECTURE: "PREFECTURE",
  COUNTY: "COUNTY",
  TOWNSHIP: "TOWNSHIP",
  VILLAGE: "VILLAGE",
} as const;

registerEnumType(DivisionLevel, {
  name: "DivisionLevel",
  description: "行政区划级别",
  valuesConfig: {
    PREFECTURE: { description: "州 (湘西土家族苗族自治州)" },
    COUNTY: { description: "县市" },
    TOWNSHIP: { description: "乡镇" },
    VILLAGE: { description: "村" },
  },
});

@ObjectType({ implements: Node, description: "行政区划: the prefecture, a county, a town or a village.", simpleResolvers: true })
export class Division extends Node {
  @Field(() => String, { description: "Statistical division code: 433100, 433124, 433124103, 12 digits for villages." })
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => DivisionLevel)
  level!: keyof typeof DivisionLevel;

  @Field(() => Boolean, { description: "贫困村: a registered poor village." })
  isPoorVillage!: boolean;

  @Field(() => Int, { nullable: true, description: "出列年份: the year a poor village exited poverty." })
  exitYear!: number | null;
}

export const DivisionConnection = ConnectionType(Division, "Division");
