import { sql } from "drizzle-orm";
import { type AnyPgColumn, check, date, index, integer, numeric, pgEnum, pgTable, primaryKey, timestamp, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";
import { products } from "../catalog/index.js";

/** 销售渠道 of a reported sale (the plan's item 10 channels besides budget units' orders). */
export const salesChannel = pgEnum("sales_channel", ["E_COMMERCE", "EAST_WEST_COOPERATION", "PAIRED_ASSISTANCE", "FAIR", "OTHER"]);

/**
 * A report of sales of catalog products by a partner key (SALES_REPORT scope) or an office (fairs).
 * All its lines or none; one per (reporter, idempotency key), so a retried or doubled request finds
 * the first. A later report of the same reporter may correct it (`corrects_id`): from then on the
 * old one is superseded (`superseded_by_id`) and counts nowhere; a report is corrected at most once.
 */
export const salesReports = pgTable(
  "sales_reports",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** who reported: `apiKey:<uuid>` or `user:<uuid>` (idempotency keys and corrections are per reporter) */
    reporter: varchar("reporter", { length: 64 }).notNull(),
    reporterApiKeyId: uuid("reporter_api_key_id"),
    reporterUserId: uuid("reporter_user_id"),
    /** the partner's name (a key) or the office's division code (a user), for lists */
    reporterName: varchar("reporter_name", { length: 200 }).notNull(),
    idempotencyKey: varchar("idempotency_key", { length: 100 }).notNull(),
    /** sha256 of the request, to tell a replay from a different request under the same key */
    requestHash: varchar("request_hash", { length: 64 }).notNull(),
    correctsId: uuid("corrects_id").references((): AnyPgColumn => salesReports.id),
    supersededById: uuid("superseded_by_id").references((): AnyPgColumn => salesReports.id),
    supersededAt: timestamp("superseded_at", { precision: 3, withTimezone: true, mode: "date" }),
    lineCount: integer("line_count").notNull(),
    totalAmount: numeric("total_amount", { precision: 16, scale: 2 }).notNull(),
    createdAt: timestamp("created_at", { precision: 3, withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("sales_reports_reporter_idempotency_key").on(t.reporter, t.idempotencyKey),
    uniqueIndex("sales_reports_corrects_key").on(t.correctsId),
    index("sales_reports_reporter_created_idx").on(t.reporter, t.createdAt, t.id),
    index("sales_reports_created_idx").on(t.createdAt, t.id),
    check("sales_reports_one_reporter", sql`(${t.reporterApiKeyId} is null) <> (${t.reporterUserId} is null)`),
    check("sales_reports_not_own_correction", sql`${t.correctsId} is null or ${t.correctsId} <> ${t.id}`),
    check("sales_reports_line_count", sql`${t.lineCount} between 0 and 10000`),
  ],
);

export type SalesReportRow = typeof salesReports.$inferSelect;

/** One sold quantity of a catalog product, at an amount, on a day (China time), through a channel. */
export const salesLines = pgTable(
  "sales_lines",
  {
    reportId: uuid("report_id")
      .notNull()
      .references(() => salesReports.id),
    /** the line's index in the report's `lines` (from 0) */
    lineNo: integer("line_no").notNull(),
    productId: uuid("product_id")
      .notNull()
      .references(() => products.id),
    quantity: integer("quantity").notNull(),
    amount: numeric("amount", { precision: 14, scale: 2 }).notNull(),
    soldOn: date("sold_on", { mode: "string" }).notNull(),
    channel: salesChannel("channel").notNull(),
    /** 购买方地区, e.g. 济南市 */
    buyerRegion: varchar("buyer_region", { length: 100 }),
  },
  (t) => [
    primaryKey({ name: "sales_lines_pkey", columns: [t.reportId, t.lineNo] }),
    index("sales_lines_sold_on_idx").on(t.soldOn),
    index("sales_lines_product_idx").on(t.productId),
    check("sales_lines_quantity_positive", sql`${t.quantity} > 0`),
    check("sales_lines_amount_positive", sql`${t.amount} > 0`),
  ],
);

export type SalesLineRow = typeof salesLines.$inferSelect;

