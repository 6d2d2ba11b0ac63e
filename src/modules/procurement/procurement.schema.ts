import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  numeric,
  pgEnum,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import { users } from "../accounts/index.js";
import { products } from "../catalog/index.js";
import { divisions } from "../geography/index.js";

export const budgetUnitLevel = pgEnum("budget_unit_level", ["PREFECTURE_DIRECT", "COUNTY", "CENTRAL_PROVINCIAL"]);

/** 预算单位: a tree of supervising units (主管预算单位) over their subordinate units. */
export const budgetUnits = pgTable(
  "budget_units",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    code: varchar("code", { length: 32 }).notNull(),
    name: varchar("name", { length: 200 }).notNull(),
    level: budgetUnitLevel("level").notNull(),
    /** the county of a county-level unit */
    countyCode: varchar("county_code", { length: 12 }).references(() => divisions.code),
    parentId: uuid("parent_id").references((): any => budgetUnits.id),
    hasCanteen: boolean("has_canteen").notNull().default(true),
    createdAt: timestamp("created_at", { precision: 3, withTimezone: true, mode: "date" }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { precision: 3, withTimezone: true, mode: "date" }).notNull().defaultNow(),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    uniqueIndex("budget_units_code_key").on(t.code),
    index("budget_units_parent_idx").on(t.parentId),
    index("budget_units_county_idx").on(t.countyCode),
    check("budget_units_county_level", sql`${t.level} <> 'COUNTY' or ${t.countyCode} is not null`),
    check("budget_units_not_own_parent", sql`${t.parentId} is null or ${t.parentId} <> ${t.id}`),
  ],
);

export type BudgetUnitRow = typeof budgetUnits.$inferSelect;

/**
 * 预留份额: a unit's declaration for a year (one per unit and year; a revision replaces it, and every
 * declaration is kept in quota_revisions). The share lies within [ratio × canteen total, canteen
 * total]; the ratio is configuration per year (QUOTA_MIN_RATIOS), so only the upper bound and 无食堂
 * are constraints here.
 */
export const quotas = pgTable(
  "quotas",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    budgetUnitId: uuid("budget_unit_id")
      .notNull()
      .references(() => budgetUnits.id),
    year: smallint("year").notNull(),
    /** 食堂食材采购总额 */
    canteenFoodTotal: numeric("canteen_food_total", { precision: 14, scale: 2 }).notNull(),
    /** 预留份额 */
    reservedAmount: numeric("reserved_amount", { precision: 14, scale: 2 }).notNull(),
    noCanteen: boolean("no_canteen").notNull().default(false),
    declaredAt: timestamp("declared_at", { precision: 3, withTimezone: true, mode: "date" }).notNull().defaultNow(),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    uniqueIndex("quotas_unit_year_key").on(t.budgetUnitId, t.year),
    index("quotas_year_idx").on(t.year),
    check("quotas_amounts_nonnegative", sql`${t.canteenFoodTotal} >= 0 and ${t.reservedAmount} >= 0`),
    check("quotas_year_range", sql`${t.year} between 2015 and 2100`),
    check("quotas_reserved_within_total", sql`${t.reservedAmount} <= ${t.canteenFoodTotal}`),
    check("quotas_no_canteen_is_zero", sql`not ${t.noCanteen} or (${t.reservedAmount} = 0 and ${t.canteenFoodTotal} = 0)`),
  ],
);

export type QuotaRow = typeof quotas.$inferSelect;

/** Every declaration of a quota (its revisions), written in the declaration's transaction. */
export const quotaRevisions = pgTable(
  "quota_revisions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    quotaId: uuid("quota_id")
      .notNull()
      .references(() => quotas.id),
    canteenFoodTotal: numeric("canteen_food_total", { precision: 14, scale: 2 }).notNull(),
    reservedAmount: numeric("reserved_amount", { precision: 14, scale: 2 }).notNull(),
    noCanteen: boolean("no_canteen").notNull(),
    /** null for revisions from before the table existed (backfilled) and for API-key callers */
    actorUserId: uuid("actor_user_id").references(() => users.id),
    at: timestamp("at", { precision: 3, withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [index("quota_revisions_quota_idx").on(t.quotaId, t.at)],
);

export type QuotaRevisionRow = typeof quotaRevisions.$inferSelect;

export const orderStatus = pgEnum("order_status", ["RESERVED", "SHIPPED", "DELIVERED", "CANCELLED", "REJECTED"]);
export const orderChannel = pgEnum("order_channel", ["CANTEEN", "TRADE_UNION"]);

/** A purchase of a listed product by a budget unit, at the unit price of the moment it was reserved. */
export const orders = pgTable(
  "orders",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    budgetUnitId: uuid("budget_unit_id")
      .notNull()
      .references(() => budgetUnits.id),
    productId: uuid("product_id")
      .notNull()
      .references(() => products.id),
    year: smallint("year").notNull(),
    quantity: integer("quantity").notNull(),
    unitPrice: numeric("unit_price", { precision: 12, scale: 2 }).notNull(),
    amount: numeric("amount", { precision: 14, scale: 2 }).notNull(),
    status: orderStatus("status").notNull().default("RESERVED"),
    channel: orderChannel("channel").notNull(),
    idempotencyKey: varchar("idempotency_key", { length: 100 }).notNull(),
    /** sha256 of the request, to tell a replay from a different request under the same key */
    requestHash: varchar("request_hash", { length: 64 }).notNull(),
    createdBy: uuid("created_by"),
    createdAt: timestamp("created_at", { precision: 3, withTimezone: true, mode: "date" }).notNull().defaultNow(),
    shippedAt: timestamp("shipped_at", { precision: 3, withTimezone: true, mode: "date" }),
    deliveredAt: timestamp("delivered_at", { precision: 3, withTimezone: true, mode: "date" }),
    cancelledAt: timestamp("cancelled_at", { precision: 3, withTimezone: true, mode: "date" }),
    /** 拒收: a SHIPPED order the unit refused (REJECTED) */
    rejectedAt: timestamp("rejected_at", { precision: 3, withTimezone: true, mode: "date" }),
    /** 发票号码, recorded when the delivery is accepted */
    invoiceNo: varchar("invoice_no", { length: 64 }),
    /** 验收说明 / 送货单, recorded when the delivery is accepted */
    deliveryNote: text("delivery_note"),
    cancelReason: text("cancel_reason"),
    rejectionReason: text("rejection_reason"),
  },
  (t) => [
    uniqueIndex("orders_unit_idempotency_key").on(t.budgetUnitId, t.idempotencyKey),
    index("orders_unit_year_idx").on(t.budgetUnitId, t.year, t.status),
    index("orders_product_idx").on(t.productId),
    index("orders_year_status_idx").on(t.year, t.status),
    index("orders_created_idx").on(t.createdAt, t.id),
    check("orders_quantity_positive", sql`${t.quantity} > 0`),
    check("orders_amount_is_price_times_quantity", sql`${t.amount} = ${t.unitPrice} * ${t.quantity}`),
  ],
);

export type OrderRow = typeof orders.$inferSelect;
