import { type SQL, and, eq, getTableColumns, isNull, sql } from "drizzle-orm";
import type { Actor, Command } from "../../actor.js";
import { anyOf } from "../../db/any-of.js";
import type { Database, Drizzle } from "../../db/client.js";
import { type Page, type PageArgs, type SortKey, cursorParameter, pageFromRows, planPage } from "../../db/keyset.js";
import { ForbiddenError, UserErrorCode, UserFacingError } from "../../errors.js";
import { notificationPolicy } from "./notification.policy.js";
import { type NotificationRow, notificationReads, notifications } from "./notification.schema.js";

/** A notification as one account sees it: with that account's read time (null: unread). */
export interface NotificationView extends NotificationRow {
  readAt: Date | null;
}

const newest: SortKey<NotificationView> = {
  name: "NEWEST",
  expression: sql`${notifications.seq}`,
  valueOf: (row) => row.seq,
  parameter: (v) => (typeof v === "number" && Number.isSafeInteger(v) && v > 0 ? sql`${v}::bigint` : undefined),
};

/** 通知: each account reads its unit's notifications and marks them read for itself. */
export class NotificationsService {
  constructor(private readonly database: Database) {}

  /** The caller's notifications (its unit's) as a condition; FORBIDDEN for callers that are not logged in. */
  private mine(actor: Actor): { scope: SQL; userId: string } {
    const scope = notificationPolicy.scope(actor);
    if (!scope || actor.kind !== "user") throw new ForbiddenError("Notifications are for logged-in users");
    return { scope, userId: actor.userId };
  }

  /** Notifications with the reader's read time; `unread` keeps the unread ones only. */
  private select(db: Drizzle, userId: string, conditions: SQL[], unread = false) {
    return db
      .select({ ...getTableColumns(notifications), readAt: notificationReads.readAt })
      .from(notifications)
      .leftJoin(notificationReads, and(eq(notificationReads.notificationId, notifications.id), eq(notificationReads.userId, userId)))
      .where(and(...conditions, ...(unread ? [isNull(notificationReads.userId)] : [])));
  }

  /** Newest first, keyset-paged. */
  async page(actor: Actor, filter: { unreadOnly: boolean }, args: PageArgs): Promise<Page<NotificationView>> {
    const { scope, userId } = this.mine(actor);
    const plan = planPage(args, newest, "DESC", sql`${notifications.id}`, cursorParameter.uuid);
    const rows = await this.select(this.database.db, userId, [scope, ...plan.conditions], filter.unreadOnly)
      .orderBy(...plan.orderBy)
      .limit(plan.limit);
    return pageFromRows(rows, plan, args, newest, (row) => row.id);
  }

  async count(actor: Actor, filter: { unreadOnly: boolean }): Promise<number> {
    const { scope, userId } = this.mine(actor);
    const [row] = await this.database.db
      .select({ count: sql<number>`count(*)::int` })
      .from(notifications)
      .leftJoin(notificationReads, and(eq(notificationReads.notificationId, notifications.id), eq(notificationReads.userId, userId)))
      .where(and(scope, ...(filter.unreadOnly ? [isNull(notificationReads.userId)] : [])));
    return row?.count ?? 0;
  }

  /** The caller's own notifications among these IDs (others' are simply absent). */
  async notificationsByIds(actor: Actor, ids: readonly string[]): Promise<NotificationView[]> {
    if (ids.length === 0 || actor.kind !== "user") return [];
    const { scope, userId } = this.mine(actor);
    return this.select(this.database.db, userId, [scope, anyOf(notifications.id, ids, "uuid")]);
  }

  /**
   * 标为已读, for the caller only (each account has its own read state). All or nothing: an ID of
   * another's notification (or of none) is a NOT_FOUND userError and nothing is marked. Idempotent:
   * marking again keeps the first read time.
   */
  async markRead(command: Command, ids: readonly string[]): Promise<NotificationView[]> {
    const { scope, userId } = this.mine(command.actor);
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    return this.database.transaction(async (tx) => {
      const own = new Set((await tx.select({ id: notifications.id }).from(notifications).where(and(scope, anyOf(notifications.id, unique, "uuid")))).map((r) => r.id));
      const missing = ids.findIndex((id) => !own.has(id));
      if (missing >= 0) {
        throw new UserFacingError(UserErrorCode.NOT_FOUND, `ids.${missing}: no notification of yours with this ID`, ["input", "ids", String(missing)]);
      }
      await tx
        .insert(notificationReads)
        .values(unique.map((notificationId) => ({ notificationId, userId })))
        .onConflictDoNothing();
      const marked = new Map((await this.select(tx, userId, [anyOf(notifications.id, unique, "uuid")])).map((row) => [row.id, row]));
      return unique.map((id) => marked.get(id)!);
    });
  }
}
