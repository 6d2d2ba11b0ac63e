import { index, integer, pgTable, primaryKey, smallint, text, timestamp, uuid, varchar } from "drizzle-orm/pg-core";
import { users } from "../accounts/index.js";
import { productStatus, products } from "../catalog/index.js";

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
    at: timestamp("at", { precision: 3, withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [index("certification_events_product_idx").on(t.productId, t.at)],
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
