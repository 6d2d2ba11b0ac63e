import { sql } from "drizzle-orm";
import { check, index, integer, pgEnum, pgTable, timestamp, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";
import { divisions } from "../geography/index.js";

export const enterpriseKind = pgEnum("enterprise_kind", [
  "LEADING_NATIONAL",
  "LEADING_PROVINCIAL",
  "LEADING_PREFECTURE",
  "SCALE",
  "COOPERATIVE",
  "FAMILY_FARM",
  "VILLAGE_COLLECTIVE",
  "OTHER",
]);

export const enterpriseStatus = pgEnum("enterprise_status", ["PENDING", "VERIFIED", "SUSPENDED"]);

/** 经营主体: enterprises, co-operatives, family farms and village collectives. */
export const enterprises = pgTable(
  "enterprises",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: varchar("name", { length: 200 }).notNull(),
    /** 统一社会信用代码 (GB 32100-2015) */
    uscc: varchar("uscc", { length: 18 }).notNull(),
    kind: enterpriseKind("kind").notNull(),
    status: enterpriseStatus("status").notNull().default("PENDING"),
    countyCode: varchar("county_code", { length: 12 })
      .notNull()
      .references(() => divisions.code),
    createdAt: timestamp("created_at", { precision: 3, withTimezone: true, mode: "date" }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { precision: 3, withTimezone: true, mode: "date" }).notNull().defaultNow(),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    uniqueIndex("enterprises_uscc_key").on(t.uscc),
    index("enterprises_county_idx").on(t.countyCode),
    index("enterprises_name_idx").on(sql`${t.name} collate "C"`, t.id),
    check("enterprises_uscc_format", sql`${t.uscc} ~ '^[0-9A-HJ-NP-RTUW-Y]{18}$'`),
  ],
);

export type EnterpriseRow = typeof enterprises.$inferSelect;
