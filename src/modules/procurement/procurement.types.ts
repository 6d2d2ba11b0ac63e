import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { ConnectionType } from "../../graphql/connection.js";
import { UserError } from "../../graphql/errors.js";
import { Node } from "../../graphql/node.js";
import { DateTimeScalar, DecimalScalar } from "../../graphql/scalars.js";
import { Product } from "../catalog/index.js";

export const BudgetUnitLevel = { PREFECTURE_DIRECT: "PREFECTURE_DIRECT", COUNTY: "COUNTY", CENTRAL_PROVINCIAL: "CENTRAL_PROVINCIAL" } as const;
registerEnumType(BudgetUnitLevel, {
  name: "BudgetUnitLevel",
  valuesConfig: {
    PREFECTURE_DIRECT: { description: "州直单位" },
    COUNTY: { description: "县市级单位" },
    CENTRAL_PROVINCIAL: { description: "中央、省直驻州单位" },
  },
});

export const OrderStatus = { RESERVED: "RESERVED", SHIPPED: "SHIPPED", DELIVERED: "DELIVERED", CANCELLED: "CANCELLED" } as const;
registerEnumType(OrderStatus, {
  name: "OrderStatus",
  valuesConfig: {
    RESERVED: { description: "已预订: supply reserved" },
    SHIPPED: { description: "已发货" },
    DELIVERED: { description: "已验收: goods and invoice accepted (验货); counts toward completion" },
    CANCELLED: { description: "已取消: supply returned" },
  },
});

export const OrderChannel = { CANTEEN: "CANTEEN", TRADE_UNION: "TRADE_UNION" } as const;
registerEnumType(OrderChannel, {
  name: "OrderChannel",
  valuesConfig: { CANTEEN: { description: "食堂采购" }, TRADE_UNION: { description: "工会以购代捐 (counts toward the unit's total)" } },
});

@ObjectType({ implements: Node, description: "预算单位" })
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

  @Field(() => DateTimeScalar)
  declaredAt!: Date;
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
}

export const OrderConnection = ConnectionType(Order, "Order");

@InputType()
export class BudgetUnitFilter {
  @Field(() => ID, { nullable: true })
  parentId?: string;

  @Field(() => String, { nullable: true })
  countyCode?: string;

  @Field(() => BudgetUnitLevel, { nullable: true })
  level?: keyof typeof BudgetUnitLevel;
}

@InputType()
export class QuotaFilter {
  @Field(() => Int, { nullable: true })
  year?: number;

  @Field(() => ID, { nullable: true })
  budgetUnitId?: string;
}

@InputType()
export class OrderFilter {
  @Field(() => ID, { nullable: true })
  budgetUnitId?: string;

  @Field(() => ID, { nullable: true })
  productId?: string;

  @Field(() => OrderStatus, { nullable: true })
  status?: keyof typeof OrderStatus;

  @Field(() => Int, { nullable: true })
  year?: number;
}

@InputType()
export class CreateBudgetUnitInput {
  @Field(() => String)
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => BudgetUnitLevel)
  level!: keyof typeof BudgetUnitLevel;

  @Field(() => String, { nullable: true, description: "Required for COUNTY units." })
  countyCode?: string;

  @Field(() => ID, { nullable: true, description: "The supervising unit (主管预算单位)." })
  parentId?: string;

  @Field(() => Boolean, { defaultValue: true })
  hasCanteen!: boolean;
}

@InputType()
export class UpdateBudgetUnitInput {
  @Field(() => ID)
  budgetUnitId!: string;

  @Field(() => String, { nullable: true })
  name?: string;

  @Field(() => ID, { nullable: true })
  parentId?: string;

  @Field(() => Boolean, { nullable: true })
  hasCanteen?: boolean;
}

@ObjectType()
export class BudgetUnitPayload {
  @Field(() => BudgetUnit, { nullable: true })
  budgetUnit?: unknown;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class CreateBudgetUnitPayload extends BudgetUnitPayload {}

@ObjectType()
export class UpdateBudgetUnitPayload extends BudgetUnitPayload {}

@InputType()
export class DeclareQuotaInput {
  @Field(() => ID)
  budgetUnitId!: string;

  @Field(() => Int)
  year!: number;

  @Field(() => DecimalScalar, { description: "食堂食材采购总额 (0 for a unit without canteen)" })
  canteenFoodTotal!: string;

  @Field(() => DecimalScalar, { description: "预留份额: at least the year's ratio × canteen total" })
  reservedAmount!: string;

  @Field(() => Boolean, { defaultValue: false, description: "无食堂: no quota to meet" })
  noCanteen!: boolean;
}

@ObjectType()
export class DeclareQuotaPayload {
  @Field(() => Quota, { nullable: true })
  quota?: unknown;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@InputType()
export class ReservePurchaseInput {
  @Field(() => ID)
  budgetUnitId!: string;

  @Field(() => ID)
  productId!: string;

  @Field(() => Int)
  quantity!: number;

  @Field(() => String, { description: "Unique per unit: replaying the same request returns the same order." })
  idempotencyKey!: string;

  @Field(() => OrderChannel, { defaultValue: "CANTEEN" })
  channel!: keyof typeof OrderChannel;
}

@ObjectType()
export class ReservePurchasePayload {
  @Field(() => Order, { nullable: true })
  order?: unknown;

  @Field(() => Quota, { nullable: true })
  quota?: unknown;

  @Field(() => Product, { nullable: true })
  product?: unknown;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@InputType()
export class OrderActionInput {
  @Field(() => ID)
  orderId!: string;
}

@InputType()
export class CancelReservationInput extends OrderActionInput {}

@InputType()
export class MarkShippedInput extends OrderActionInput {}

@InputType()
export class ConfirmDeliveryInput extends OrderActionInput {}

@ObjectType()
export class OrderPayload {
  @Field(() => Order, { nullable: true })
  order?: unknown;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class CancelReservationPayload extends OrderPayload {}

@ObjectType()
export class MarkShippedPayload extends OrderPayload {}

@ObjectType()
export class ConfirmDeliveryPayload extends OrderPayload {}

@ObjectType({ description: "One unit's (or a supervising unit's subtree's) procurement progress." })
export class UnitProgress {
  @Field(() => BudgetUnit, { nullable: true, description: "null for the totals" })
  budgetUnit!: unknown;

  @Field(() => DecimalScalar)
  reservedAmount!: string;

  @Field(() => DecimalScalar)
  deliveredAmount!: string;

  @Field(() => DecimalScalar, { description: "reserved or shipped, not yet delivered" })
  openAmount!: string;

  @Field(() => Float, { nullable: true, description: "delivered ÷ reserved share (4 decimals); null when nothing is reserved" })
  completionRate!: number | null;

  @Field(() => Boolean, { description: "completion ≥ 100 %" })
  met!: boolean;
}

@ObjectType()
export class AmountByKey {
  @Field(() => String, { description: "county code, category or month (YYYY-MM)" })
  key!: string;

  @Field(() => String, { nullable: true, description: "Chinese name where there is one" })
  label!: string | null;

  @Field(() => DecimalScalar)
  amount!: string;
}

@ObjectType({ description: "采购执行进度 for a year." })
export class ConsumptionProgress {
  @Field(() => Int)
  year!: number;

  @Field(() => String, { nullable: true })
  countyCode!: string | null;

  @Field(() => UnitProgress)
  totals!: UnitProgress;

  @Field(() => [UnitProgress])
  units!: UnitProgress[];

  @Field(() => [UnitProgress], { description: "Each supervising unit with its whole subtree." })
  supervisingUnits!: UnitProgress[];

  @Field(() => [AmountByKey], { description: "Delivered amount by the products' origin county." })
  deliveredByOriginCounty!: AmountByKey[];

  @Field(() => [AmountByKey])
  deliveredByCategory!: AmountByKey[];

  @Field(() => [AmountByKey])
  deliveredByMonth!: AmountByKey[];
}
