import { sql } from "drizzle-orm";
import { check, index, numeric, pgEnum, pgTable, smallint, text, timestamp, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";
import { divisions } from "../geography/index.js";

/** 村级集体经济收入来源 */
export const collectiveIncomeSource = pgEnum("collective_income_source", [
  "PHOTOVOLTAIC",
  "RESOURCE_LEASE",
  "COOPERATIVE_DIVIDEND",
  "ASSET_INCOME",
  "SERVICE",
  "OTHER",
]);

/**
 * A village collective's income of one year from one source. One row per (village, year, source):
 * recording the same source again revises the amount (the audit log keeps every value). The
 * village's income of a year is the sum over its sources.
 */
export const collectiveIncomes = pgTable(
  "collective_incomes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    villageCode: varchar("village_code", { length: 12 })
      .notNull()
      .references(() => divisions.code),
    year: smallint("year").notNull(),
    source: collectiveIncomeSource("source").notNull(),
    amount: numeric("amount", { precision: 14, scale: 2 }).notNull(),
    note: text("note"),
    recordedBy: uuid("recorded_by"),
    recordedAt: timestamp("recorded_at", { precision: 3, withTimezone: true, mode: "date" }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { precision: 3, withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("collective_incomes_village_year_source_key").on(t.villageCode, t.year, t.source),
    index("collective_incomes_year_idx").on(t.year, t.villageCode),
    check("collective_incomes_amount_nonnegative", sql`${t.amount} >= 0`),
    check("collective_incomes_year_range", sql`${t.year} between 2015 and 2100`),
  ],
);

export type CollectiveIncomeRow = typeof collectiveIncomes.$inferSelect;
