import { sql } from "drizzle-orm";
import { check, date, index, integer, numeric, pgEnum, pgTable, text, timestamp, uuid, varchar } from "drizzle-orm/pg-core";
import { enterprises } from "../enterprises/index.js";
import { divisions } from "../geography/index.js";

export const pairingMode = pgEnum("pairing_mode", ["INDUSTRY", "EMPLOYMENT", "COMMERCE", "SKILLS", "PUBLIC_WELFARE"]);

/** 千企帮千村: an enterprise paired with a village. Active on a date when started and not yet ended. */
export const pairings = pgTable(
  "pairings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    enterpriseId: uuid("enterprise_id")
      .notNull()
      .references(() => enterprises.id),
    villageCode: varchar("village_code", { length: 12 })
      .notNull()
      .references(() => divisions.code),
    countyCode: varchar("county_code", { length: 12 }).notNull(),
    mode: pairingMode("mode").notNull(),
    startDate: date("start_date", { mode: "string" }).notNull(),
    endDate: date("end_date", { mode: "string" }),
    industrialInvestment: numeric("industrial_investment", { precision: 14, scale: 2 }).notNull().default("0"),
    welfareInvestment: numeric("welfare_investment", { precision: 14, scale: 2 }).notNull().default("0"),
    jobsProvided: integer("jobs_provided").notNull().default(0),
    peopleTrained: integer("people_trained").notNull().default(0),
    endReason: text("end_reason"),
    createdAt: timestamp("created_at", { precision: 3, withTimezone: true, mode: "date" }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { precision: 3, withTimezone: true, mode: "date" }).notNull().defaultNow(),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    index("pairings_village_idx").on(t.villageCode, t.startDate),
    index("pairings_enterprise_idx").on(t.enterpriseId),
    index("pairings_county_idx").on(t.countyCode),
    check("pairings_dates_in_order", sql`${t.endDate} is null or ${t.endDate} >= ${t.startDate}`),
    check("pairings_amounts_nonnegative", sql`${t.industrialInvestment} >= 0 and ${t.welfareInvestment} >= 0 and ${t.jobsProvided} >= 0 and ${t.peopleTrained} >= 0`),
    check("pairings_county_of_village", sql`left(${t.villageCode}, 6) = ${t.countyCode}`),
  ],
);

export type PairingRow = typeof pairings.$inferSelect;
