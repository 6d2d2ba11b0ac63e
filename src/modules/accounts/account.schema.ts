import { sql } from "drizzle-orm";
import { boolean, check, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";
import { enterprises } from "../enterprises/index.js";
import { divisions } from "../geography/index.js";
import { budgetUnits } from "../procurement/index.js";

export const userRole = pgEnum("user_role", ["ADMIN", "REVIEWER", "ENTERPRISE", "OFFICER"]);

/** Accounts of people: admins, poverty-office reviewers, enterprise users, procurement officers. */
export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    username: varchar("username", { length: 64 }).notNull(),
    /** scrypt$N$r$p$salt$hash — never returned, logged or audited */
    passwordHash: text("password_hash").notNull(),
    role: userRole("role").notNull(),
    /** a reviewer's jurisdiction: a county, or the prefecture */
    divisionCode: varchar("division_code", { length: 12 }).references(() => divisions.code),
    enterpriseId: uuid("enterprise_id").references(() => enterprises.id),
    /** an officer's budget unit */
    budgetUnitId: uuid("budget_unit_id").references(() => budgetUnits.id),
    disabled: boolean("disabled").notNull().default(false),
    createdAt: timestamp("created_at", { precision: 3, withTimezone: true, mode: "date" }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { precision: 3, withTimezone: true, mode: "date" }).notNull().defaultNow(),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    uniqueIndex("users_username_key").on(sql`lower(${t.username})`),
    check("users_reviewer_has_division", sql`${t.role} <> 'REVIEWER' or ${t.divisionCode} is not null`),
    check("users_enterprise_user_has_enterprise", sql`${t.role} <> 'ENTERPRISE' or ${t.enterpriseId} is not null`),
    check("users_officer_has_budget_unit", sql`${t.role} <> 'OFFICER' or ${t.budgetUnitId} is not null`),
  ],
);

export type UserRow = typeof users.$inferSelect;

/**
 * Login attempts per (username, client address) and per client address, shared by every replica
 * (login-throttle.ts). An attempt is counted before the password is checked.
 */
export const loginFailures = pgTable("login_failures", {
  key: varchar("key", { length: 200 }).primaryKey(),
  /** attempts in the current window (reset by a lockout or a successful login) */
  failures: integer("failures").notNull(),
  windowStart: timestamp("window_start", { precision: 3, withTimezone: true, mode: "date" }).notNull(),
  /** refused without checking the password until then */
  lockedUntil: timestamp("locked_until", { precision: 3, withTimezone: true, mode: "date" }),
  /** lockouts so far: each one lasts twice as long as the one before */
  lockouts: integer("lockouts").notNull().default(0),
});
