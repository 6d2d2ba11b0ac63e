import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { ConnectionType } from "../../graphql/connection.js";
import { Node } from "../../graphql/node.js";
import { PayloadType } from "../../graphql/payload.js";
import { DateTimeScalar } from "../../graphql/scalars.js";
import { DATA_QUALITY_RULES } from "./data-quality.rules.js";

export const DataQualityRule = Object.fromEntries(DATA_QUALITY_RULES.map((rule) => [rule, rule])) as {
  [K in (typeof DATA_QUALITY_RULES)[number]]: K;
};

registerEnumType(DataQualityRule, {
  name: "DataQualityRule",
  description: "疑似问题数据规则: each one SQL statement over the live records.",
  valuesConfig: {
    DUPLICATE_HEAD_ID: { description: "一个户主身份证号出现在多户 One head ID number in several households" },
    LINK_YEAR_OUTSIDE_DATES: { description: "联结年度不在起止日期内 A link's year outside its dates" },
    LINK_INCOME_OUT_OF_RANGE: { description: "联结收益为零或超过上限 Link income 0 or above the ceiling (DATA_QUALITY_MAX_LINK_INCOME)" },
    HOUSEHOLD_MEMBERS_OUT_OF_RANGE: { description: "家庭人口为0或超过20 Household members 0 or over 20" },
    ABLE_WILLING_WITHOUT_LINK: { description: "有劳动能力和发展意愿但今日无有效联结 Able and willing, no active link today" },
    LINK_OF_UNVERIFIED_ENTERPRISE: { description: "未认定经营主体的联结 A link (not ended) of an enterprise that is not VERIFIED" },
    PAIRING_OF_UNVERIFIED_ENTERPRISE: { description: "未认定经营主体的结对 A pairing (not ended) of an enterprise that is not VERIFIED" },
    DELIVERED_WITHOUT_SHIPMENT: { description: "已验收但无发货记录 A delivered order with no shipment" },
    RESERVED_ABOVE_CANTEEN_TOTAL: { description: "预留份额超过食堂总额 A reserved share above the canteen total" },
    LISTED_PAST_VALIDITY: { description: "过期仍在目录 A product listed past its validity" },
  },
});

export const DataQualityIssueStatus = { OPEN: "OPEN", CORRECTED: "CORRECTED", CONFIRMED_VALID: "CONFIRMED_VALID" } as const;
registerEnumType(DataQualityIssueStatus, {
  name: "DataQualityIssueStatus",
  valuesConfig: {
    OPEN: { description: "待核实: the rule fires and nobody has confirmed this version of the record" },
    CORRECTED: { description: "已更正: resolved as corrected; the rule no longer fires" },
    CONFIRMED_VALID: { description: "核实无误: confirmed valid; silent until the record changes" },
  },
});

export const DataQualityResolution = { CORRECTED: "CORRECTED", CONFIRMED_VALID: "CONFIRMED_VALID" } as const;
registerEnumType(DataQualityResolution, { name: "DataQualityResolution" });

@ObjectType({ description: "The last resolution of an issue." })
export class DataQualityIssueResolution {
  @Field(() => DataQualityResolution)
  resolution!: string;

  @Field(() => String)
  comment!: string;

  @Field(() => DateTimeScalar)
  resolvedAt!: Date;
}

@ObjectType({ implements: Node, description: "疑似问题数据: a rule and the record it fires on. Its ID is stable per (rule, record)." })
export class DataQualityIssue extends Node {
  @Field(() => DataQualityRule)
  rule!: string;

  @Field(() => ID, { description: "The global ID of the affected record (fetch it with `node(id:)`, which applies that type's visibility)." })
  recordId!: string;

  @Field(() => String, { description: "The affected record's type: Household, BenefitLink, Pairing, Order, Quota or Product." })
  recordType!: string;

  @Field(() => String, { description: "What is suspicious (no personal data)." })
  detail!: string;

  @Field(() => DataQualityIssueStatus)
  status!: string;
}

export const DataQualityIssueConnection = ConnectionType(DataQualityIssue, "DataQualityIssue");

@ObjectType({ description: "Open issues of one rule in one county." })
export class DataQualityCount {
  @Field(() => DataQualityRule)
  rule!: string;

  @Field(() => String)
  countyCode!: string;

  @Field(() => Int)
  open!: number;
}

export const ResolveDataQualityIssuePayload = PayloadType("ResolveDataQualityIssuePayload", { issue: { type: () => DataQualityIssue } });
