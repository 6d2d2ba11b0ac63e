import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { ConnectionType } from "../../graphql/connection.js";
import { Node } from "../../graphql/node.js";
import { DateTimeScalar } from "../../graphql/scalars.js";

export const EnterpriseKind = {
  LEADING_NATIONAL: "LEADING_NATIONAL",
  LEADING_PROVINCIAL: "LEADING_PROVINCIAL",
  LEADING_PREFECTURE: "LEADING_PREFECTURE",
  SCALE: "SCALE",
  COOPERATIVE: "COOPERATIVE",
  FAMILY_FARM: "FAMILY_FARM",
  VILLAGE_COLLECTIVE: "VILLAGE_COLLECTIVE",
  OTHER: "OTHER",
} as const;

registerEnumType(EnterpriseKind, {
  name: "EnterpriseKind",
  description: "经营主体类型",
  valuesConfig: {
    LEADING_NATIONAL: { description: "国家级农业产业化龙头企业" },
    LEADING_PROVINCIAL: { description: "省级农业产业化龙头企业" },
    LEADING_PREFECTURE: { description: "州级农业产业化龙头企业" },
    SCALE: { description: "规模企业" },
    COOPERATIVE: { description: "农民专业合作社" },
    FAMILY_FARM: { description: "家庭农场" },
    VILLAGE_COLLECTIVE: { description: "村集体经济组织" },
    OTHER: { description: "其他企业" },
  },
});

export const EnterpriseStatus = { PENDING: "PENDING", VERIFIED: "VERIFIED", SUSPENDED: "SUSPENDED" } as const;

registerEnumType(EnterpriseStatus, {
  name: "EnterpriseStatus",
  valuesConfig: {
    PENDING: { description: "待审核: registered, not yet verified" },
    VERIFIED: { description: "已核实" },
    SUSPENDED: { description: "已暂停" },
  },
});

@ObjectType({ implements: Node, description: "经营主体: an enterprise, co-operative, family farm or village collective.", simpleResolvers: true })
export class Enterprise extends Node {
  @Field(() => String)
  name!: string;

  @Field(() => String, { description: "统一社会信用代码 (GB 32100-2015)." })
  uscc!: string;

  @Field(() => EnterpriseKind)
  kind!: keyof typeof EnterpriseKind;

  @Field(() => EnterpriseStatus)
  status!: keyof typeof EnterpriseStatus;

  @Field(() => DateTimeScalar, { description: "Registered." })
  createdAt!: Date;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;

  @Field(() => Int, { description: "Optimistic-concurrency version; grows with every change." })
  version!: number;
}

export const EnterpriseConnection = ConnectionType(Enterprise, "Enterprise");

export const EnterpriseOrderField = { NAME: "NAME", CREATED_AT: "CREATED_AT" } as const;
registerEnumType(EnterpriseOrderField, { name: "EnterpriseOrderField" });

@ObjectType({ description: "One status change of an enterprise: 核实 (with the kind the office confirmed), 暂停 (with its reason) or 恢复." })
export class EnterpriseStatusChange {
  @Field(() => EnterpriseStatus, { description: "The status from this change on." })
  status!: keyof typeof EnterpriseStatus;

  @Field(() => EnterpriseKind, { description: "The kind an office confirmed, in force from this change on (the pairing indicator reads it)." })
  kind!: keyof typeof EnterpriseKind;

  @Field(() => String, { nullable: true, description: "Why it was suspended." })
  reason!: string | null;

  @Field(() => DateTimeScalar)
  at!: Date;
}
