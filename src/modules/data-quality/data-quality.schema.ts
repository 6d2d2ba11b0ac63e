import { pgEnum, pgTable, primaryKey, text, timestamp, uuid, varchar } from "drizzle-orm/pg-core";

export const dataQualityResolution = pgEnum("data_quality_resolution", ["CORRECTED", "CONFIRMED_VALID"]);

/**
 * The latest resolution of one issue (a rule and the record it fired on). A CONFIRMED_VALID issue stays
 * silent while the record's fingerprint (a hash of its row) is the one stored here; a changed record
 * reopens it. Every resolution is also in the audit log.
 */
export const dataQualityResolutions = pgTable(
  "data_quality_resolutions",
  {
    rule: varchar("rule", { length: 48 }).notNull(),
    recordId: uuid("record_id").notNull(),
    recordType: varchar("record_type", { length: 32 }).notNull(),
    countyCode: varchar("county_code", { length: 12 }).notNull(),
    resolution: dataQualityResolution("resolution").notNull(),
    fingerprint: varchar("fingerprint", { length: 64 }).notNull(),
    /** the rule's detail when it was resolved (a CORRECTED issue is listed with it) */
    detail: text("detail").notNull(),
    comment: text("comment").notNull(),
    resolvedBy: uuid("resolved_by"),
    resolvedAt: timestamp("resolved_at", { precision: 3, withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: "data_quality_resolutions_pkey", columns: [t.rule, t.recordId] })],
);

export type DataQualityResolutionRow = typeof dataQualityResolutions.$inferSelect;
