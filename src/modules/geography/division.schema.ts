import { sql } from "drizzle-orm";
import { boolean, check, index, pgEnum, pgTable, smallint, varchar } from "drizzle-orm/pg-core";

export const divisionLevel = pgEnum("division_level", ["PREFECTURE", "COUNTY", "TOWNSHIP", "VILLAGE"]);

/** 行政区划: the prefecture, its counties, towns (乡镇) and villages (村). Keyed by the statistical code. */
export const divisions = pgTable(
  "divisions",
  {
    code: varchar("code", { length: 12 }).primaryKey(),
    name: varchar("name", { length: 100 }).notNull(),
    level: divisionLevel("level").notNull(),
    parentCode: varchar("parent_code", { length: 12 }).references((): any => divisions.code),
    /** 贫困村 */
    isPoorVillage: boolean("is_poor_village").notNull().default(false),
    /** 出列年份 */
    exitYear: smallint("exit_year"),
  },
  (t) => [
    index("divisions_parent_code_idx").on(t.parentCode, t.code),
    index("divisions_level_idx").on(t.level, t.code),
    check("divisions_code_digits", sql`${t.code} ~ '^[0-9]{6}([0-9]{3}){0,2}$'`),
    check("divisions_exit_year_range", sql`${t.exitYear} is null or ${t.exitYear} between 2000 and 2100`),
  ],
);

export type DivisionRow = typeof divisions.$inferSelect;
