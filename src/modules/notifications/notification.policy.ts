import { type SQL, and, eq, sql } from "drizzle-orm";
import type { Actor, Policy } from "../../actor.js";
import { type Recipient, recipient } from "./notification.notices.js";
import { type NotificationRow, notifications } from "./notification.schema.js";

/**
 * The unit whose notifications an account reads: an enterprise user its enterprise's, a reviewer its
 * office's (the division it is bound to: a county's office, or the prefecture's 433100), an officer
 * its budget unit's. Admins and anyone else: none (they are no one's recipient).
 */
export function recipientOf(actor: Actor): Recipient | null {
  if (actor.kind !== "user") return null;
  switch (actor.role) {
    case "ENTERPRISE":
      return actor.enterpriseId ? recipient.enterprise(actor.enterpriseId) : null;
    case "REVIEWER":
      return actor.divisionCode ? recipient.office(actor.divisionCode) : null;
    case "OFFICER":
      return actor.budgetUnitId ? recipient.budgetUnit(actor.budgetUnitId) : null;
    case "ADMIN":
      return null;
  }
}

/** A notification is seen by the accounts of its recipient only; logged-in users without one see none. */
export const notificationPolicy: Policy<NotificationRow> = {
  scope(actor): SQL | null {
    if (actor.kind !== "user") return null;
    const own = recipientOf(actor);
    return own ? (and(eq(notifications.recipientType, own.type), eq(notifications.recipientId, own.id)) as SQL) : sql`false`;
  },
  may(actor, rows) {
    const own = recipientOf(actor);
    return rows.map((row) => own != null && row.recipientType === own.type && row.recipientId === own.id);
  },
};
