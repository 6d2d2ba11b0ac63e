import { Field, ID, Int, ObjectType } from "type-graphql";
import { ConnectionType } from "../../graphql/connection.js";
import { defineEnum } from "../../graphql/enums.js";
import { UserError } from "../../graphql/errors.js";
import { Node } from "../../graphql/node.js";
import { DateScalar, DateTimeScalar, DecimalScalar } from "../../graphql/scalars.js";
import { Division } from "../geography/index.js";
import { Enterprise } from "../enterprises/index.js";
import { Product } from "../catalog/index.js";

/** The channels a partner or an office reports (the budget units' channels are their orders'). */
export const SalesChannel = defineEnum("SalesChannel", "销售渠道 of a reported sale", {
  E_COMMERCE: { label: "电商销售", description: "电商扶贫 (互联网+): sold on a partner's e-commerce site" },
  EAST_WEST_COOPERATION: { label: "东西部协作", description: "东西部扶贫协作: bought in or for the paired eastern city (济南市)" },
  PAIRED_ASSISTANCE: { label: "定点帮扶/对口帮扶", description: "定点帮扶、对口帮扶: bought by paired or assisting units" },
  FAIR: { label: "展销会", description: "农博会、展销会: sold at a fair, online or offline (offices report these too)" },
  OTHER: { label: "其他渠道", description: "其他渠道" },
});

/** Every channel of the plan's consumption total: budget units' orders and the reported ones. */
/** Who sees consumptionSales and its records (and their sheets of the indicators workbook): admins, offices, officers. */
export const CONSUMPTION_AUDIENCE = ["ADMIN", "REVIEWER", "OFFICER"];

export const ConsumptionChannel = defineEnum("ConsumptionChannel", "消费扶贫渠道: every channel of the plan's consumption total", {
  CANTEEN: { label: "预算单位食堂采购", description: "预算单位食堂采购: budget units' delivered canteen orders" },
  TRADE_UNION: { label: "工会以购代捐", description: "工会以购代捐: budget units' delivered trade-union orders" },
  E_COMMERCE: { label: "电商销售", description: "电商扶贫: reported by partners" },
  EAST_WEST_COOPERATION: { label: "东西部协作", description: "东西部扶贫协作 (济南市): reported" },
  PAIRED_ASSISTANCE: { label: "定点帮扶/对口帮扶", description: "定点帮扶、对口帮扶: reported" },
  FAIR: { label: "展销会", description: "农博会、展销会: reported by partners and offices" },
  OTHER: { label: "其他渠道", description: "其他渠道: reported" },
});

export const SalesReportStatus = defineEnum("SalesReportStatus", "Whether a sales report counts", {
  ACTIVE: { label: "有效", description: "有效: its lines count in consumptionSales" },
  SUPERSEDED: { label: "已更正", description: "已更正: a later report corrected it; its lines count nowhere" },
});

export const ConsumptionRecordSource = defineEnum("ConsumptionRecordSource", "Where a consumption record comes from", {
  ORDER: { label: "预算单位订单", description: "a budget unit's delivered order (`recordId` is the Order's ID)" },
  SALES_REPORT: { label: "销售报送", description: "a line of a sales report (`recordId` is the SalesReport's ID, `lineNo` the line)" },
});

@ObjectType({ implements: Node, description: "销售报送: sales of catalog products reported by a partner (or by an office, for fairs)." })
export class SalesReport extends Node {
  @Field(() => String, { description: "The reporter's own key: the same key returns this report again." })
  idempotencyKey!: string;

  @Field(() => String, { description: "The partner (an API key's partner name) or the office (its division code) that reported." })
  reporterName!: string;

  @Field(() => SalesReportStatus)
  status!: string;

  @Field(() => Int)
  lineCount!: number;

  @Field(() => DecimalScalar)
  totalAmount!: string;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true })
  supersededAt!: Date | null;
}

@ObjectType()
export class ReportSalesPayload {
  @Field(() => SalesReport, { nullable: true })
  salesReport?: unknown;

  @Field(() => Boolean, { nullable: true, description: "true when this idempotency key had already made the report: nothing new was written." })
  replayed?: boolean;

  @Field(() => [UserError], { description: "All problems at once; a line's problem names its index: [\"input\", \"lines\", \"17\", \"amount\"]." })
  userErrors!: UserError[];
}

@ObjectType({ description: "An amount and the records it adds up (list them with `consumptionSalesRecords`)." })
export class SalesFigure {
  @Field(() => DecimalScalar)
  amount!: string;

  @Field(() => Int, { description: "delivered orders and report lines counted" })
  records!: number;
}

@ObjectType({ description: "One row of a consumption breakdown." })
export class SalesBreakdownRow {
  @Field(() => String, { description: "the channel, origin county code, category or month (YYYY-MM)" })
  key!: string;

  @Field(() => String, { nullable: true, description: "Chinese label: the channel's, the county's or the category's name" })
  label!: string | null;

  @Field(() => DecimalScalar)
  amount!: string;

  @Field(() => Int, { description: "records counted (0 for a zero-filled row)" })
  records!: number;
}

@ObjectType({ description: "One county's consumption." })
export class CountySales extends SalesBreakdownRow {
  @Field(() => Division, { nullable: true })
  county!: unknown;
}

@ObjectType({ description: "One enterprise's consumption (its products' sales)." })
export class EnterpriseSales {
  @Field(() => Enterprise, { nullable: true, description: "null when the caller may not see it" })
  enterprise!: unknown;

  @Field(() => DecimalScalar)
  amount!: string;

  @Field(() => Int)
  records!: number;
}

@ObjectType({ description: "消费扶贫总额: the plan's consumption from every channel, by the day each sale happened (China time)." })
export class ConsumptionSales {
  @Field(() => Int)
  year!: number;

  @Field(() => String, { nullable: true, description: "the origin county of the products counted; null: the prefecture" })
  countyCode!: string | null;

  @Field(() => SalesFigure)
  total!: SalesFigure;

  @Field(() => [SalesBreakdownRow], { description: "Every channel, zero-filled." })
  byChannel!: SalesBreakdownRow[];

  @Field(() => [CountySales], { description: "Every county (of `countyCode`), zero-filled." })
  byOriginCounty!: CountySales[];

  @Field(() => [SalesBreakdownRow], { description: "Every product category, zero-filled, in ProductCategory's declared order (TEA, FRUIT, VEGETABLE, …)." })
  byCategory!: SalesBreakdownRow[];

  @Field(() => [EnterpriseSales], { description: "Enterprises with sales, largest first." })
  byEnterprise!: EnterpriseSales[];

  @Field(() => [SalesBreakdownRow], { description: "All 12 months (YYYY-MM), zero-filled." })
  byMonth!: SalesBreakdownRow[];
}

@ObjectType({ description: "One record behind consumptionSales: a delivered order or a line of a sales report." })
export class ConsumptionSalesRecord {
  @Field(() => ConsumptionRecordSource)
  source!: string;

  @Field(() => ID, { description: "The global ID of the Order or of the SalesReport (fetch with `node`, which applies that type's visibility)." })
  recordId!: string;

  @Field(() => Int, { nullable: true, description: "the line's index in its report; null for an order" })
  lineNo!: number | null;

  @Field(() => ConsumptionChannel)
  channel!: string;

  @Field(() => Product, { nullable: true })
  product!: unknown;

  @Field(() => Int)
  quantity!: number;

  @Field(() => DecimalScalar)
  amount!: string;

  @Field(() => DateScalar, { description: "the business day of the sale (an order's: its delivery)" })
  soldOn!: string;
}

export const ConsumptionSalesRecordConnection = ConnectionType(ConsumptionSalesRecord, "ConsumptionSalesRecord");
export const SalesReportConnection = ConnectionType(SalesReport, "SalesReport");
