import { Field, Float, Int, ObjectType, registerEnumType } from "type-graphql";
import { ConnectionType } from "../../graphql/connection.js";
import { PayloadType } from "../../graphql/payload.js";
import { Node } from "../../graphql/node.js";
import { DateTimeScalar, DecimalScalar } from "../../graphql/scalars.js";
import { User } from "../accounts/index.js";
import { Product } from "../catalog/index.js";
import { Division } from "../geography/index.js";

export const BudgetUnitLevel = { PREFECTURE_DIRECT: "PREFECTURE_DIRECT", COUNTY: "COUNTY", CENTRAL_PROVINCIAL: "CENTRAL_PROVINCIAL" } as const;
registerEnumType(BudgetUnitLevel, {
  name: "BudgetUnitLevel",
  valuesConfig: {
    PREFECTURE_DIRECT: { description: "州直单位" },
    COUNTY: { description: "县市级单位" },
    CENTRAL_PROVINCIAL: { description: "中央、省直驻州单位" },
  },
});

export const OrderStatus = { RESERVED: "RESERVED", SHIPPED: "SHIPPED", DELIVERED: "DELIVERED", CANCELLED: "CANCELLED", REJECTED: "REJECTED" } as const;
registerEnumType(OrderStatus, {
  name: "OrderStatus",
  valuesConfig: {
    RESERVED: { description: "已预订: supply reserved" },
    SHIPPED: { description: "已发货" },
    DELIVERED: { description: "已验收: goods and invoice accepted (验货); counts toward completion" },
    CANCELLED: { description: "已取消: supply returned" },
    REJECTED: { description: "已拒收: a shipped order the unit refused (rejectDelivery); supply returned; counts nowhere" },
  },
});

export const QuotaStatus = { DECLARED: "DECLARED", NO_CANTEEN: "NO_CANTEEN" } as const;
registerEnumType(QuotaStatus, {
  name: "QuotaStatus",
  valuesConfig: {
    DECLARED: { description: "已申报: a canteen total and a reserved share within [ratio × total, total]" },
    NO_CANTEEN: { description: "无食堂: declared without a canteen; reserved share 0, nothing to meet (not the same as not declared)" },
  },
});

/** A quota row's status. */
export const quotaStatusOf = (row: { noCanteen: boolean }) => (row.noCanteen ? QuotaStatus.NO_CANTEEN : QuotaStatus.DECLARED);

export const OrderChannel = { CANTEEN: "CANTEEN", TRADE_UNION: "TRADE_UNION" } as const;
registerEnumType(OrderChannel, {
  name: "OrderChannel",
  valuesConfig: { CANTEEN: { description: "食堂采购" }, TRADE_UNION: { description: "工会以购代捐 (counts toward the unit's total)" } },
});

@ObjectType({ implements: Node, description: "预算单位", simpleResolvers: true })
export class BudgetUnit extends Node {
  @Field(() => String)
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => BudgetUnitLevel)
  level!: string;

  @Field(() => Boolean, { description: "Has a canteen (无食堂 units have no quota to meet)." })
  hasCanteen!: boolean;
}

export const BudgetUnitConnection = ConnectionType(BudgetUnit, "BudgetUnit");

@ObjectType({ implements: Node, description: "预留份额: a unit's declaration for a year." })
export class Quota extends Node {
  @Field(() => Int)
  year!: number;

  @Field(() => DecimalScalar, { description: "食堂食材采购总额" })
  canteenFoodTotal!: string;

  @Field(() => DecimalScalar, { description: "预留份额" })
  reservedAmount!: string;

  @Field(() => Boolean)
  noCanteen!: boolean;

  @Field(() => DateTimeScalar, { description: "When the current revision was declared." })
  declaredAt!: Date;
}

@ObjectType({ description: "One declaration of a quota (every revision is kept)." })
export class QuotaRevision {
  @Field(() => DecimalScalar, { description: "预留份额 as declared" })
  reservedAmount!: string;

  @Field(() => DecimalScalar, { description: "食堂食材采购总额 as declared" })
  canteenFoodTotal!: string;

  @Field(() => Boolean)
  noCanteen!: boolean;

  @Field(() => DateTimeScalar)
  at!: Date;

  @Field(() => User, { nullable: true, description: "Who declared it, if the caller may see that account; null for declarations from before revisions were kept." })
  actor!: unknown;
}

@ObjectType({ implements: Node, description: "A purchase of a listed product at the unit price of the moment it was reserved." })
export class Order extends Node {
  @Field(() => Int)
  quantity!: number;

  @Field(() => DecimalScalar, { description: "Unit price when reserved (a snapshot)." })
  unitPrice!: string;

  @Field(() => DecimalScalar)
  amount!: string;

  @Field(() => OrderStatus)
  status!: string;

  @Field(() => OrderChannel)
  channel!: string;

  @Field(() => Int)
  year!: number;

  @Field(() => String)
  idempotencyKey!: string;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true })
  shippedAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  deliveredAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  cancelledAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: "When the unit refused the shipped order (REJECTED)." })
  rejectedAt!: Date | null;

  @Field(() => String, { nullable: true, description: "发票号码 accepted with the goods (confirmDelivery); null if none was recorded." })
  invoiceNo!: string | null;

  @Field(() => String, { nullable: true, description: "验收说明: the unit's note on accepting the delivery (confirmDelivery)." })
  deliveryNote!: string | null;

  @Field(() => String, { nullable: true, description: "Why the unit cancelled the reservation (cancelReservation), if it said." })
  cancelReason!: string | null;

  @Field(() => String, { nullable: true, description: "Why the unit refused the delivery (rejectDelivery)." })
  rejectionReason!: string | null;
}

export const OrderConnection = ConnectionType(Order, "Order");

export const CreateBudgetUnitPayload = PayloadType("CreateBudgetUnitPayload", { budgetUnit: { type: () => BudgetUnit } });

export const UpdateBudgetUnitPayload = PayloadType("UpdateBudgetUnitPayload", { budgetUnit: { type: () => BudgetUnit } });

export const DeclareQuotaPayload = PayloadType("DeclareQuotaPayload", { quota: { type: () => Quota } });

export const ReservePurchasePayload = PayloadType("ReservePurchasePayload", { order: { type: () => Order }, quota: { type: () => Quota }, product: { type: () => Product } });

export const CancelReservationPayload = PayloadType("CancelReservationPayload", { order: { type: () => Order } });

export const MarkShippedPayload = PayloadType("MarkShippedPayload", { order: { type: () => Order } });

export const ConfirmDeliveryPayload = PayloadType("ConfirmDeliveryPayload", { order: { type: () => Order } });

export const RejectDeliveryPayload = PayloadType("RejectDeliveryPayload", { order: { type: () => Order } });

@ObjectType({ description: "One unit's (or a supervising unit's subtree's) procurement progress.", simpleResolvers: true })
export class UnitProgress {
  @Field(() => BudgetUnit, { nullable: true, description: "null for the totals" })
  budgetUnit!: unknown;

  @Field(() => DecimalScalar)
  reservedAmount!: string;

  @Field(() => DecimalScalar)
  deliveredAmount!: string;

  @Field(() => DecimalScalar, { description: "reserved or shipped, not yet delivered" })
  openAmount!: string;

  @Field(() => Float, {
    nullable: true,
    description: "delivered ÷ reserved share (4 decimals); null when nothing is reserved (a unit that has not declared, or one without a canteen)",
  })
  completionRate!: number | null;

  @Field(() => Boolean, {
    description:
      "completion ≥ 100 %; also true when there is nothing to meet because every unit of the row declared 无食堂 (status NO_CANTEEN). " +
      "A unit (or a row with a unit) that has not declared is never met.",
  })
  met!: boolean;

  @Field(() => Boolean, {
    description:
      "The unit has declared for the year (DECLARED or NO_CANTEEN: a unit without a canteen has declared). " +
      "For a supervising unit or the totals: every unit of the row has declared.",
  })
  declared!: boolean;

  @Field(() => QuotaStatus, { nullable: true, description: "The unit's quota status; null when it has not declared, and for supervising units and the totals." })
  status!: string | null;

  @Field(() => Int, { description: "Units counted in the row (1 for a unit row)." })
  unitCount!: number;

  @Field(() => Int, { description: "Of them, units that have not declared (无食堂 units have declared and are not counted here)." })
  undeclaredUnits!: number;

  @Field(() => Int, { description: "Of them, units that declared 无食堂 (NO_CANTEEN)." })
  noCanteenUnits!: number;
}

@ObjectType({ simpleResolvers: true })
export class AmountByKey {
  @Field(() => String, { description: "county code, category, month (YYYY-MM) or enterprise ID" })
  key!: string;

  @Field(() => String, { nullable: true, description: "Chinese name where there is one (county, category, 1月…12月, enterprise name)" })
  label!: string | null;

  @Field(() => DecimalScalar)
  amount!: string;
}

@ObjectType({ description: "One county's units together (采购执行进度 by county).", simpleResolvers: true })
export class CountyProgress {
  @Field(() => Division, { nullable: true, description: "null for the units of no county (州直 and 中央省直驻州 units)" })
  county!: unknown;

  @Field(() => String, { description: "the county's name, or 州直及中央省直驻州单位" })
  label!: string;

  @Field(() => UnitProgress, { description: "the county's units' figures together (budgetUnit null)" })
  progress!: unknown;
}

@ObjectType({ description: "采购执行进度 for a year.", simpleResolvers: true })
export class ConsumptionProgress {
  @Field(() => Int)
  year!: number;

  @Field(() => String, { nullable: true })
  countyCode!: string | null;

  @Field(() => UnitProgress)
  totals!: UnitProgress;

  @Field(() => [UnitProgress])
  units!: UnitProgress[];

  @Field(() => [UnitProgress], {
    description:
      "Each supervising unit (主管预算单位: a top-level unit, with no parent) with the figures of its whole subtree at any depth; " +
      "units below the top level are never rows here, and the rows add up to `totals`. With `countyCode`, a row sums the county's " +
      "units in its subtree, and top-level units with none drop out. An officer gets its own unit's row only if that unit is top-level " +
      "(a higher unit's row would show units outside its subtree).",
  })
  supervisingUnits!: UnitProgress[];

  @Field(() => [CountyProgress], {
    description:
      "Each county's units together, and the units of no county together (county null), as the consumption-progress export's " +
      "county sheet; they add up to `totals`. Every county appears (of `countyCode`, if given), with zeros where it has no unit.",
  })
  byCounty!: CountyProgress[];

  @Field(() => [AmountByKey], { description: "Delivered amount by the products' origin county." })
  deliveredByOriginCounty!: AmountByKey[];

  @Field(() => [AmountByKey])
  deliveredByCategory!: AmountByKey[];

  @Field(() => [AmountByKey], { description: "Delivered amount by month (China time) of delivery: all twelve months of the year, 0.00 where none (and any other month in which the year's orders were delivered)." })
  deliveredByMonth!: AmountByKey[];
}
