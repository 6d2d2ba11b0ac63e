import { sql } from "drizzle-orm";
import { bigint, check, index, pgEnum, pgTable, primaryKey, text, timestamp, uuid, varchar } from "drizzle-orm/pg-core";
import { users } from "../accounts/index.js";

/** What a notification announces (the GraphQL enum NotificationKind carries each one's Chinese name). */
export const NOTIFICATION_KINDS = [
  "PRODUCT_CERTIFIED",
  "PRODUCT_REJECTED",
  "PRODUCT_LISTED",
  "PRODUCT_REVOKED",
  "PRODUCT_SENT_BACK_TO_REVIEW",
  "ORDER_PLACED",
  "DELIVERY_REJECTED",
  "PRODUCT_SUBMITTED",
  "ENTERPRISE_REGISTERED",
  "PRODUCT_AWAITING_LISTING",
  "ORDER_SHIPPED",
] as const;

export const notificationKind = pgEnum("notification_kind", NOTIFICATION_KINDS);

/**
 * Who a notification is for: a unit, not a person, so every account of it sees it (an enterprise's
 * users, an office's reviewers, a budget unit's officers); each account keeps its own read state.
 */
export const notificationRecipient = pgEnum("notification_recipient", ["ENTERPRISE", "OFFICE", "BUDGET_UNIT"]);

/** 通知: written in the transaction of the change it announces, so nothing is announced that did not commit. */
export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** insertion order: "newest first" without ties between transactions that share a millisecond */
    seq: bigint("seq", { mode: "number" }).generatedAlwaysAsIdentity().notNull(),
    recipientType: notificationRecipient("recipient_type").notNull(),
    /** the enterprise's or budget unit's UUID, or the office's division code (433124, 433100) */
    recipientId: varchar("recipient_id", { length: 36 }).notNull(),
    kind: notificationKind("kind").notNull(),
    /** the node type of the object it is about: Product, Order or Enterprise */
    subjectType: varchar("subject_type", { length: 32 }).notNull(),
    subjectId: uuid("subject_id").notNull(),
    /** Chinese text, as of the change */
    message: text("message").notNull(),
    createdAt: timestamp("created_at", { precision: 3, withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    index("notifications_recipient_seq_idx").on(t.recipientType, t.recipientId, t.seq),
    check("notifications_subject_type", sql`${t.subjectType} in ('Product', 'Order', 'Enterprise')`),
  ],
);

/** 已读: one row per account that has read a notification (absent: unread). */
export const notificationReads = pgTable(
  "notification_reads",
  {
    notificationId: uuid("notification_id")
      .notNull()
      .references(() => notifications.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    readAt: timestamp("read_at", { precision: 3, withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: "notification_reads_pkey", columns: [t.notificationId, t.userId] })],
);

export type NotificationRow = typeof notifications.$inferSelect;
export type NotificationKindName = (typeof NOTIFICATION_KINDS)[number];
export type RecipientType = (typeof notificationRecipient.enumValues)[number];
