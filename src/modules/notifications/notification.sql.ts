import { type SQL, sql } from "drizzle-orm";
import type { Drizzle } from "../../db/client.js";
import type { Notice } from "./notification.notices.js";
import { notifications } from "./notification.schema.js";

/**
 * Writes notices in the caller's transaction: they commit with the change they announce, or roll
 * back with it. `await notify(tx, productStepNotices(...))`.
 */
export async function notify(tx: Drizzle, notices: Notice | readonly Notice[]): Promise<void> {
  const list: readonly Notice[] = Array.isArray(notices) ? notices : [notices as Notice];
  if (list.length === 0) return;
  await tx.insert(notifications).values(
    list.map((n) => ({
      recipientType: n.recipient.type,
      recipientId: n.recipient.id,
      kind: n.kind,
      subjectType: n.subject.type,
      subjectId: n.subject.id,
      message: n.message,
    })),
  );
}

/** Orders a composed statement has just placed, and what their notice reads, as SQL over its rows. */
export interface PlacedOrders {
  /** the FROM clause over the written rows, e.g. sql`placed join taken on taken.id = placed.product_id` */
  rows: SQL;
  orderId: SQL;
  /** the supplier: the product's enterprise */
  enterpriseId: SQL;
  /** the ordering unit's name */
  buyer: SQL;
  productName: SQL;
  quantity: SQL;
  /** the product's sales unit (箱, 斤 ...) */
  unit: SQL;
  amount: SQL;
}

/**
 * 新订单: `insert into notifications ... select ... from <rows>`, the supplier's notice of each order a
 * statement placed, for a write that stays ONE statement (reservePurchase). Compose it as a CTE,
 * `notified as (${orderPlacedNotifications({...})})`: it commits or rolls back with that statement.
 */
export function orderPlacedNotifications(o: PlacedOrders): SQL {
  return sql`insert into ${notifications} (recipient_type, recipient_id, kind, subject_type, subject_id, message)
    select ${"ENTERPRISE"}::notification_recipient, (${o.enterpriseId})::text, ${"ORDER_PLACED"}::notification_kind, ${"Order"}::varchar, ${o.orderId},
           format('%s订购「%s」%s%s，金额 %s 元', ${o.buyer}, ${o.productName}, ${o.quantity}, ${o.unit}, ${o.amount})
    from ${o.rows}`;
}
