import { Field, ID, InputType, Int } from "type-graphql";
import { z } from "zod";
import type { RequestContext } from "../../graphql/context.js";
import { idCheckedByService, idOf, optional, parseArgument } from "../../graphql/inputs.js";
import { MONEY_CEILING, money } from "../../graphql/money.js";
import { DecimalScalar } from "../../graphql/scalars.js";
import { countyScope } from "../geography/index.js";
import type { BudgetUnitFields, BudgetUnitFilter as BudgetUnitQuery, BudgetUnitUpdate } from "./budget-units.service.js";
import type { DeliveryReceipt, OrderFilter as OrderQuery, Reservation } from "./orders.service.js";
import type { QuotaDeclaration, QuotaFilter as QuotaQuery } from "./quotas.service.js";
import { BudgetUnitLevel, OrderChannel, OrderStatus } from "./procurement.types.js";

/**
 * The procurement inputs, each next to its zod schema. Global IDs are decoded here (malformed or
 * another type's → BAD_USER_INPUT); explicit null equals absent unless a field says otherwise; each
 * schema outputs exactly what its service method takes.
 */

/** 2015–2100, as the quotas table's CHECK. */
export const yearSchema = z.number().int().min(2015, "must be 2015 or later").max(2100, "must be 2100 or earlier");
const amount = money(MONEY_CEILING.total);
const levels = z.enum(["PREFECTURE_DIRECT", "COUNTY", "CENTRAL_PROVINCIAL"]);
const statuses = z.enum(["RESERVED", "SHIPPED", "DELIVERED", "CANCELLED", "REJECTED"]);
const channels = z.enum(["CANTEEN", "TRADE_UNION"]);
const unitName = z.string().trim().min(2, "must be at least 2 characters").max(200);

// ---- budget units ----

@InputType()
export class BudgetUnitFilter {
  @Field(() => ID, { nullable: true })
  parentId?: string;

  @Field(() => String, { nullable: true })
  countyCode?: string;

  @Field(() => BudgetUnitLevel, { nullable: true })
  level?: keyof typeof BudgetUnitLevel;
}

const budgetUnitFilterSchema = z.object({ parentId: optional(idOf("BudgetUnit")), countyCode: optional(z.string()), level: optional(levels) });

/** `budgetUnits(filter:)`; the county must be a county of the prefecture (433100 means all). */
export async function parseBudgetUnitFilter(filter: BudgetUnitFilter | undefined, { loaders }: RequestContext): Promise<BudgetUnitQuery> {
  const parsed = parseArgument(budgetUnitFilterSchema, filter ?? {}, "filter");
  return { ...parsed, countyCode: await countyScope(parsed.countyCode, loaders.divisionByCode, "filter.countyCode") };
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

export const createBudgetUnitSchema = z.object({
  code: z.string().trim().regex(/^[A-Za-z0-9-]{2,32}$/, "2–32 letters, digits or -"),
  name: unitName,
  level: levels,
  countyCode: optional(z.string().regex(/^[0-9]{6}$/, "must be a 6-digit county code")).transform((v) => v ?? null),
  parentId: optional(idOf("BudgetUnit")).transform((v) => v ?? null),
  hasCanteen: z.boolean(),
}) satisfies z.ZodType<BudgetUnitFields>;

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

/** `parentId: null` has always made the unit top-level (a supervising unit), so null is kept there. */
export const updateBudgetUnitSchema = z.object({
  budgetUnitId: idOf("BudgetUnit"),
  name: optional(unitName),
  parentId: idOf("BudgetUnit").nullish(),
  hasCanteen: optional(z.boolean()),
}) satisfies z.ZodType<BudgetUnitUpdate>;

// ---- quotas ----

@InputType()
export class QuotaFilter {
  @Field(() => Int, { nullable: true })
  year?: number;

  @Field(() => ID, { nullable: true })
  budgetUnitId?: string;
}

export const quotaFilterSchema = z.object({ year: optional(yearSchema), budgetUnitId: optional(idOf("BudgetUnit")) }) satisfies z.ZodType<QuotaQuery>;

@InputType()
export class DeclareQuotaInput {
  @Field(() => ID)
  budgetUnitId!: string;

  @Field(() => Int)
  year!: number;

  @Field(() => DecimalScalar, { description: "食堂食材采购总额 (0 for a unit without canteen)" })
  canteenFoodTotal!: string;

  @Field(() => DecimalScalar, { description: "预留份额: at least the year's ratio × canteen total, at most the canteen total (0 for a unit without canteen)" })
  reservedAmount!: string;

  @Field(() => Boolean, { defaultValue: false, description: "无食堂: no quota to meet (reserved share and canteen total 0)" })
  noCanteen!: boolean;
}

export const declareQuotaSchema = z.object({
  budgetUnitId: idOf("BudgetUnit"),
  year: yearSchema,
  canteenFoodTotal: amount,
  reservedAmount: amount,
  noCanteen: z.boolean(),
}) satisfies z.ZodType<QuotaDeclaration>;

// ---- orders ----

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

export const orderFilterSchema = z.object({
  budgetUnitId: optional(idOf("BudgetUnit")),
  productId: optional(idOf("Product")),
  status: optional(statuses),
  year: optional(yearSchema),
}) satisfies z.ZodType<OrderQuery>;

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

const reservePurchaseSchemas = new Map<number, ReturnType<typeof buildReservePurchaseSchema>>();

/**
 * The largest quantity per order is configuration (ORDER_MAX_QUANTITY), hence a schema per limit,
 * built once per limit: zod compiles an object schema on its first parse, which costs more than the
 * parse itself, and reservations are the hottest mutation.
 */
export function reservePurchaseSchema(maxQuantity: number) {
  let schema = reservePurchaseSchemas.get(maxQuantity);
  if (!schema) reservePurchaseSchemas.set(maxQuantity, (schema = buildReservePurchaseSchema(maxQuantity)));
  return schema;
}

function buildReservePurchaseSchema(maxQuantity: number) {
  return z.object({
    // Both looked up by the service, and only when the reservation fails (the hot path stays one
    // statement plus the replay check): NOT_FOUND for an ID of nothing, FORBIDDEN for another unit,
    // NOT_CERTIFIED for a product that has left the catalog (which an officer may no longer see).
    budgetUnitId: idCheckedByService("BudgetUnit"),
    productId: idCheckedByService("Product"),
    quantity: z.number().int().min(1, "must be at least 1").max(maxQuantity, `must be at most ${maxQuantity}`),
    idempotencyKey: z.string().trim().regex(/^[A-Za-z0-9._:-]{8,100}$/, "8–100 letters, digits or . _ : -"),
    channel: channels,
  }) satisfies z.ZodType<Reservation>;
}

@InputType()
export class OrderActionInput {
  @Field(() => ID)
  orderId!: string;
}

/** Free text of a person (a reason, a note): trimmed; blank is none. */
const note = (max: number) =>
  optional(z.string().trim().max(max, `must be at most ${max} characters`)).transform((v) => (v ? v : null));

@InputType()
export class CancelReservationInput extends OrderActionInput {
  @Field(() => String, { nullable: true, description: "Why the unit cancels (kept on the order as `cancelReason`); up to 500 characters." })
  reason?: string;
}

export const cancelReservationSchema = z.object({ orderId: idCheckedByService("Order"), reason: note(500) });

@InputType()
export class MarkShippedInput extends OrderActionInput {}

@InputType()
export class ConfirmDeliveryInput extends OrderActionInput {
  @Field(() => String, {
    nullable: true,
    description:
      "发票号码 of the invoice accepted with the goods (up to 64 letters, digits or -). Optional only so that first-round clients keep " +
      "working; send it: an order confirmed without one shows `invoiceNo: null`.",
  })
  invoiceNo?: string;

  @Field(() => String, { nullable: true, description: "验收说明: the unit's note on the goods received (送货单, quantities checked …); up to 1,000 characters." })
  deliveryNote?: string;
}

export const confirmDeliverySchema = z.object({
  orderId: idCheckedByService("Order"),
  invoiceNo: optional(z.string().trim().regex(/^[A-Za-z0-9-]{1,64}$/, "1–64 letters, digits or -")).transform((v) => v ?? null),
  deliveryNote: note(1000),
}) satisfies z.ZodType<DeliveryReceipt & { orderId: string }>;

@InputType()
export class RejectDeliveryInput extends OrderActionInput {
  @Field(() => String, { description: "Why the unit refuses the goods (拒收原因), 2–500 characters; kept on the order as `rejectionReason`." })
  reason!: string;
}

export const rejectDeliverySchema = z.object({
  orderId: idCheckedByService("Order"),
  reason: z.string().trim().min(2, "must be at least 2 characters").max(500, "must be at most 500 characters"),
});

/**
 * The order's row is the service's to find: NOT_FOUND for an ID of nothing, FORBIDDEN for an order
 * the caller may not act on (the authorization matrix relies on FORBIDDEN, not NOT_FOUND, there).
 */
export const orderActionSchema = z.object({ orderId: idCheckedByService("Order") });
