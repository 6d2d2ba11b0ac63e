import { Field, Int, ObjectType } from "type-graphql";
import { defineEnum } from "../../graphql/enums.js";
import { PayloadType } from "../../graphql/payload.js";
import { DateTimeScalar, DecimalScalar } from "../../graphql/scalars.js";
import { Division } from "../geography/index.js";

export const CollectiveIncomeSource = defineEnum("CollectiveIncomeSource", "村级集体经济收入来源", {
  PHOTOVOLTAIC: { label: "光伏扶贫电站收益", description: "光伏扶贫: the village's photovoltaic station" },
  RESOURCE_LEASE: { label: "资源发包租赁", description: "集体土地、山林、水面等资源发包、租赁" },
  COOPERATIVE_DIVIDEND: { label: "合作社分红", description: "村集体入股合作社、企业的分红" },
  ASSET_INCOME: { label: "资产收益", description: "集体资产（厂房、门面、设施）收益" },
  SERVICE: { label: "服务创收", description: "村集体经营性服务收入" },
  OTHER: { label: "其他收入" },
});

@ObjectType({ description: "村级集体经济收入: one village's income of a year from one source (recording it again revises it)." })
export class CollectiveIncome {
  @Field(() => String, { description: "行政村代码 (the payload's villageIncome.village is the Division)" })
  villageCode!: string;

  @Field(() => Int)
  year!: number;

  @Field(() => CollectiveIncomeSource)
  source!: string;

  @Field(() => DecimalScalar)
  amount!: string;

  @Field(() => String, { nullable: true })
  note!: string | null;

  @Field(() => DateTimeScalar)
  recordedAt!: Date;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;
}

@ObjectType({ description: "A village's collective income of a year, all sources." })
export class VillageCollectiveIncome {
  @Field(() => Division, { nullable: true })
  village!: unknown;

  @Field(() => Int)
  year!: number;

  @Field(() => DecimalScalar, { description: "the sum over its sources" })
  income!: string;

  @Field(() => Boolean, { description: "income ≥ 50,000 yuan (村级集体经济收入 5 万元以上)" })
  met!: boolean;
}

export const RecordCollectiveIncomePayload = PayloadType("RecordCollectiveIncomePayload", {
  collectiveIncome: { type: () => CollectiveIncome },
  villageIncome: { type: () => VillageCollectiveIncome, description: "The village's income of that year from every source, after this record." },
});
