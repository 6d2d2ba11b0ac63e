import { sql } from "drizzle-orm";
import {
  check,
  date,
  index,
  integer,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import { enterprises } from "../enterprises/index.js";
import { divisions } from "../geography/index.js";
import { productCategory, productStatus } from "./product.enums.js";

export { productCategory, productStatus };

/** 扶贫产品: one record per product and specification, from draft to catalog entry. */
export const products = pgTable(
  "products",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: varchar("name", { length: 200 }).notNull(),
    brand: varchar("brand", { length: 100 }),
    category: productCategory("category").notNull(),
    /** 规格, e.g. 250克/罐 */
    spec: varchar("spec", { length: 100 }).notNull(),
    /** sales unit, e.g. 罐, 箱, 斤 */
    unit: varchar("unit", { length: 20 }).notNull(),
    /** yuan per sales unit */
    unitPrice: numeric("unit_price", { precision: 12, scale: 2 }).notNull(),
    /** the unit price when last certified (认定); a listed price may move within a band of it */
    certifiedUnitPrice: numeric("certified_unit_price", { precision: 12, scale: 2 }),
    enterpriseId: uuid("enterprise_id")
      .notNull()
      .references(() => enterprises.id),
    originCountyCode: varchar("origin_county_code", { length: 12 })
      .notNull()
      .references(() => divisions.code),
    originVillageCode: varchar("origin_village_code", { length: 12 }).references(() => divisions.code),
    status: productStatus("status").notNull().default("DRAFT"),
    /** 目录编号, e.g. 433124-2020-000017; set when listed (入录) */
    catalogNo: varchar("catalog_no", { length: 32 }),
    /** 入录批次 */
    batch: varchar("batch", { length: 50 }),
    validFrom: date("valid_from", { mode: "string" }),
    validUntil: date("valid_until", { mode: "string" }),
    annualSupplyCapacity: integer("annual_supply_capacity").notNull().default(0),
    availableSupply: integer("available_supply").notNull().default(0),
    description: text("description"),
    imageUrls: text("image_urls").array().notNull().default(sql`'{}'::text[]`),
    createdAt: timestamp("created_at", { precision: 3, withTimezone: true, mode: "date" }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { precision: 3, withTimezone: true, mode: "date" }).notNull().defaultNow(),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    uniqueIndex("products_catalog_no_key").on(t.catalogNo),
    index("products_enterprise_idx").on(t.enterpriseId, t.id),
    index("products_origin_county_idx").on(t.originCountyCode),
    index("products_origin_village_idx").on(t.originVillageCode),
    index("products_status_idx").on(t.status),
    // The catalog shows LISTED rows only: its filters and sorts get partial indexes.
    index("catalog_category_idx").on(t.category, t.validUntil).where(sql`${t.status} = 'LISTED'`),
    index("catalog_name_idx").on(sql`${t.name} collate "C"`, t.id).where(sql`${t.status} = 'LISTED'`),
    index("catalog_unit_price_idx").on(t.unitPrice, t.id).where(sql`${t.status} = 'LISTED'`),
    index("catalog_updated_at_idx").on(t.updatedAt, t.id).where(sql`${t.status} = 'LISTED'`),
    index("catalog_valid_until_idx").on(t.validUntil).where(sql`${t.status} = 'LISTED'`),
    check("products_unit_price_nonnegative", sql`${t.unitPrice} >= 0`),
    check("products_available_supply_nonnegative", sql`${t.availableSupply} >= 0`),
    check("products_annual_supply_nonnegative", sql`${t.annualSupplyCapacity} >= 0`),
    check("products_validity_order", sql`${t.validUntil} is null or ${t.validFrom} is null or ${t.validUntil} >= ${t.validFrom}`),
    check(
      "products_listed_has_catalog_entry",
      sql`${t.status} <> 'LISTED' or (${t.catalogNo} is not null and ${t.validFrom} is not null and ${t.validUntil} is not null)`,
    ),
  ],
);

export type ProductRow = typeof products.$inferSelect;
