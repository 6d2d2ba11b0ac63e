import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgEnum, pgTable, smallint, text, timestamp, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";
import { apiKeys } from "../api-keys/index.js";

export const WEBHOOK_EVENTS = ["CATALOG_CHANGED", "ORDER_CHANGED", "PRODUCT_REVIEWED"] as const;
export type WebhookEventName = (typeof WEBHOOK_EVENTS)[number];

export const webhookEvent = pgEnum("webhook_event", WEBHOOK_EVENTS);
export const webhookDeliveryStatus = pgEnum("webhook_delivery_status", ["PENDING", "DELIVERED", "FAILED"]);

const instant = (name: string) => timestamp(name, { precision: 3, withTimezone: true, mode: "date" });

/**
 * A partner key's webhook: where to POST which events. The signing secret is kept (the worker signs
 * every delivery with it) but the API shows it once, at creation.
 */
export const webhookSubscriptions = pgTable(
  "webhook_subscriptions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    apiKeyId: uuid("api_key_id").notNull().references(() => apiKeys.id),
    url: varchar("url", { length: 2000 }).notNull(),
    events: webhookEvent("events").array().notNull(),
    signingSecret: varchar("signing_secret", { length: 100 }).notNull(),
    enabled: boolean("enabled").notNull().default(true),
    /** failed attempts in a row, over all its deliveries; a success resets it */
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    disabledAt: instant("disabled_at"),
    disabledReason: varchar("disabled_reason", { length: 300 }),
    createdAt: instant("created_at").notNull().defaultNow(),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (t) => [
    index("webhook_subscriptions_api_key_idx").on(t.apiKeyId, t.createdAt),
    check("webhook_subscriptions_events_check", sql`cardinality(${t.events}) > 0`),
    check("webhook_subscriptions_failures_check", sql`${t.consecutiveFailures} >= 0`),
  ],
);

export type WebhookSubscriptionRow = typeof webhookSubscriptions.$inferSelect;

/**
 * One outbox event for one subscription. The body is fixed when the event is fanned out, so every
 * attempt sends the same bytes. A worker claims a due row (FOR UPDATE SKIP LOCKED) by setting a lease
 * (`claimed_until`, `claim_token`); a worker that dies leaves the lease to expire and the row is tried again.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    subscriptionId: uuid("subscription_id").notNull().references(() => webhookSubscriptions.id, { onDelete: "cascade" }),
    /** the outbox event's own id: one delivery per (subscription, event) */
    eventId: varchar("event_id", { length: 100 }).notNull(),
    event: webhookEvent("event").notNull(),
    body: text("body").notNull(),
    status: webhookDeliveryStatus("status").notNull().default("PENDING"),
    attemptCount: integer("attempt_count").notNull().default(0),
    nextAttemptAt: instant("next_attempt_at").notNull().defaultNow(),
    claimedUntil: instant("claimed_until"),
    claimToken: uuid("claim_token"),
    lastStatusCode: integer("last_status_code"),
    lastError: varchar("last_error", { length: 300 }),
    lastAttemptAt: instant("last_attempt_at"),
    deliveredAt: instant("delivered_at"),
    createdAt: instant("created_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_subscription_event_key").on(t.subscriptionId, t.eventId),
    index("webhook_deliveries_subscription_idx").on(t.subscriptionId, t.createdAt, t.id),
    index("webhook_deliveries_due_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'PENDING'`),
  ],
);

export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;

/** Every attempt of a delivery: when, the receiver's status code or the error, how long it took. */
export const webhookDeliveryAttempts = pgTable(
  "webhook_delivery_attempts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    deliveryId: uuid("delivery_id").notNull().references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    statusCode: integer("status_code"),
    error: varchar("error", { length: 300 }),
    durationMs: integer("duration_ms").notNull(),
    at: instant("at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("webhook_delivery_attempts_delivery_key").on(t.deliveryId, t.attempt)],
);

export type WebhookDeliveryAttemptRow = typeof webhookDeliveryAttempts.$inferSelect;

/**
 * How far the outbox has been fanned out to deliveries: one row, locked by the replica that fans out
 * (the others skip it), advanced in the transaction that writes the deliveries.
 */
export const webhookFanoutCursor = pgTable(
  "webhook_fanout_cursor",
  {
    id: smallint("id").primaryKey().default(1),
    /** the outbox reader's opaque position after the last event fanned out (null: from its start) */
    position: varchar("position", { length: 200 }),
    updatedAt: instant("updated_at").notNull().defaultNow(),
  },
  (t) => [check("webhook_fanout_cursor_single_row", sql`${t.id} = 1`)],
);
