import { sql } from "drizzle-orm";
import { check, date, index, integer, numeric, pgEnum, pgTable, smallint, text, timestamp, uuid, varchar } from "drizzle-orm/pg-core";
import { products } from "../catalog/index.js";
import { enterprises } from "../enterprises/index.js";
import { households } from "../households/index.js";
import { pairings } from "../pairings/index.js";

export const benefitMechanism = pgEnum("benefit_mechanism", [
  "ORDER_PURCHASE",
  "EMPLOYMENT",
  "LAND_RENT",
  "EQUITY_DIVIDEND",
  "ASSET_INCOME",
  "TRUSTEESHIP",
  "OTHER",
]);

/** 利益联结: a household tied to an enterprise (and maybe a product or pairing) by a mechanism. */
export const benefitLinks = pgTable(
  "benefit_links",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    householdId: uuid("household_id")
      .notNull()
      .references(() => households.id),
    enterpriseId: uuid("enterprise_id")
      .notNull()
      .references(() => enterprises.id),
    productId: uuid("product_id").references(() => products.id),
    pairingId: uuid("pairing_id").references(() => pairings.id),
    /** the household's village and county (copied, for coverage indicators without a join) */
    villageCode: varchar("village_code", { length: 12 }).notNull(),
    countyCode: varchar("county_code", { length: 12 }).notNull(),
    mechanism: benefitMechanism("mechanism").notNull(),
    year: smallint("year").notNull(),
    income: numeric("income", { precision: 12, scale: 2 }).notNull().default("0"),
    contractRef: varchar("contract_ref", { length: 100 }),
    startDate: date("start_date", { mode: "string" }).notNull(),
    endDate: date("end_date", { mode: "string" }),
    endReason: text("end_reason"),
    createdAt: timestamp("created_at", { precision: 3, withTimezone: true, mode: "date" }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { precision: 3, withTimezone: true, mode: "date" }).notNull().defaultNow(),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    // end_date and enterprise_id in the index: the coverage indicator reads the active links in
    // household order (active, enterprise not suspended that day) by an index-only scan.
    index("benefit_links_household_active_idx").on(t.householdId, t.startDate, t.endDate, t.enterpriseId),
    index("benefit_links_product_idx").on(t.productId, t.householdId),
    index("benefit_links_enterprise_idx").on(t.enterpriseId),
    // with the activity columns: "has this village an active link" is an index-only probe (village link coverage)
    index("benefit_links_village_idx").on(t.villageCode, t.startDate, t.endDate, t.enterpriseId),
    check("benefit_links_dates_in_order", sql`${t.endDate} is null or ${t.endDate} >= ${t.startDate}`),
    check("benefit_links_income_nonnegative", sql`${t.income} >= 0`),
    check("benefit_links_year_within_dates", sql`extract(year from ${t.startDate}) <= ${t.year} and (${t.endDate} is null or ${t.year} <= extract(year from ${t.endDate}))`),
    // Not expressible in drizzle, so it lives in migration 0005 only: benefit_links_no_overlap, an
    // EXCLUDE USING gist (household_id, enterprise_id, mechanism with =, the [start, end] days with &&).
  ],
);

export type BenefitLinkRow = typeof benefitLinks.$inferSelect;
