import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgEnum, pgTable, smallint, text, timestamp, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";
import { divisions } from "../geography/index.js";

export const householdStatus = pgEnum("household_status", ["OUT_OF_POVERTY", "IN_POVERTY", "MONITORED_UNSTABLE", "MONITORED_EDGE"]);

/**
 * 建档立卡户. The head's ID number is never stored whole: a keyed hash (HMAC-SHA256) to match it,
 * and its masked form (first 4 and last 4 characters) to show.
 */
export const households = pgTable(
  "households",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    householdNo: varchar("household_no", { length: 32 }).notNull(),
    villageCode: varchar("village_code", { length: 12 })
      .notNull()
      .references(() => divisions.code),
    /** the county of the village (derived, for jurisdiction filters and indicators) */
    countyCode: varchar("county_code", { length: 12 }).notNull(),
    headName: varchar("head_name", { length: 50 }).notNull(),
    headIdHash: varchar("head_id_hash", { length: 64 }).notNull(),
    headIdMasked: varchar("head_id_masked", { length: 18 }).notNull(),
    members: smallint("members").notNull(),
    laborCapacity: boolean("labor_capacity").notNull(),
    developmentWillingness: boolean("development_willingness").notNull(),
    status: householdStatus("status").notNull(),
    monitoringReason: text("monitoring_reason"),
    exitYear: smallint("exit_year"),
    createdAt: timestamp("created_at", { precision: 3, withTimezone: true, mode: "date" }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { precision: 3, withTimezone: true, mode: "date" }).notNull().defaultNow(),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    uniqueIndex("households_household_no_key").on(t.householdNo),
    // One person heads one household (DOMAIN.md): the hash is deterministic, so equal numbers collide here.
    uniqueIndex("households_head_id_hash_key").on(t.headIdHash),
    index("households_village_idx").on(t.villageCode),
    index("households_county_idx").on(t.countyCode, t.householdNo),
    // (id, county): the able-and-willing households in id order by an index-only scan, which the
    // link-coverage indicator merges with the benefit links in household order (no hash of either)
    index("households_able_willing_idx").on(t.id, t.countyCode).where(sql`${t.laborCapacity} and ${t.developmentWillingness}`),
    check("households_members_positive", sql`${t.members} between 1 and 30`),
    check("households_county_of_village", sql`left(${t.villageCode}, 6) = ${t.countyCode}`),
  ],
);

export type HouseholdRow = typeof households.$inferSelect;
