import { sql } from "drizzle-orm";
import { check, index, integer, numeric, pgEnum, pgTable, primaryKey, smallint, text, timestamp, uuid, varchar } from "drizzle-orm/pg-core";
import { users } from "../accounts/index.js";
import { productStatus, products } from "../catalog/index.js";

/** STATUS_CHANGED: a step of the workflow; PRICE_CHANGED: a certified product's price moved within the band. */
export const certificationEventKind = pgEnum("certification_event_kind", ["STATUS_CHANGED", "PRICE_CHANGED"]);

/** Every certification transition of a product (申报, 认定, 入录, 撤销 ...). */
export const certificationEvents = pgTable(
  "certification_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    productId: uuid("product_id")
      .notNull()
      .references(() => products.id),
    fromStatus: productStatus("from_status").notNull(),
    toStatus: productStatus("to_status").notNull(),
    actorUserId: uuid("actor_user_id").references(() => users.id),
    comment: text("comment"),
    kind: certificationEventKind("kind").notNull().default("STATUS_CHANGED"),
    /** a unit-price change recorded with the event (PRICE_CHANGED, or a step it caused) */
    oldUnitPrice: numeric("old_unit_price", { precision: 12, scale: 2 }),
    newUnitPrice: numeric("new_unit_price", { precision: 12, scale: 2 }),
    at: timestamp("at", { precision: 3, withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    index("certification_events_product_idx").on(t.productId, t.at),
    check("certification_events_prices_together", sql`(${t.oldUnitPrice} is null) = (${t.newUnitPrice} is null)`),
    check(
      "certification_events_price_change_keeps_status",
      sql`${t.kind} <> 'PRICE_CHANGED' or (${t.fromStatus} = ${t.toStatus} and ${t.oldUnitPrice} is not null)`,
    ),
  ],
);

export type CertificationEventRow = typeof certificationEvents.$inferSelect;

/** Next catalog sequence per county and year; taken with one atomic upsert (gaps allowed). */
export const catalogSequences = pgTable(
  "catalog_sequences",
  {
    countyCode: varchar("county_code", { length: 6 }).notNull(),
    year: smallint("year").notNull(),
    lastValue: integer("last_value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.countyCode, t.year] })],
);
