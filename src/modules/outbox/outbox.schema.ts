import { sql } from "drizzle-orm";
import { bigserial, customType, index, jsonb, pgTable, timestamp, varchar } from "drizzle-orm/pg-core";

/** PostgreSQL's 64-bit transaction id (`xid8`, epoch-qualified: never wraps), carried as its decimal text. */
export const xid8 = customType<{ data: string; driverData: string }>({
  dataType: () => "xid8",
  fromDriver: (value) => String(value),
});

/**
 * 事件发件箱 (transactional outbox): one row per change that someone outside the writing transaction
 * must learn of, inserted in that transaction (so nothing is announced that did not commit, and
 * nothing that committed is lost). Read in `(position, seq)` order: see outbox.reader.ts.
 */
export const outboxEvents = pgTable(
  "outbox_events",
  {
    seq: bigserial("seq", { mode: "bigint" }).primaryKey(),
    /** the writing transaction's id (`pg_current_xact_id()`) */
    xid: xid8("xid").notNull().default(sql`pg_current_xact_id()`),
    /**
     * The feed's order key: the writing transaction's id, or the position of the aggregate's previous
     * event if that is larger (so one aggregate's events stay in commit order). Never below `xid`.
     */
    position: xid8("position").notNull(),
    /** e.g. `catalog.changed`, `order.changed`, `product.reviewed` */
    topic: varchar("topic", { length: 48 }).notNull(),
    /** what the event is about: a type name (`Product`, `Order`) and its key */
    aggregateType: varchar("aggregate_type", { length: 32 }).notNull(),
    aggregateId: varchar("aggregate_id", { length: 64 }).notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp("created_at", { precision: 3, withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    index("outbox_events_position_idx").on(t.position, t.seq),
    index("outbox_events_aggregate_idx").on(t.aggregateType, t.aggregateId, t.position),
  ],
);

export type OutboxEventRow = typeof outboxEvents.$inferSelect;
