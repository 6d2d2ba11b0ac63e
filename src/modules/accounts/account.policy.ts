import { eq, sql } from "drizzle-orm";
import type { Policy } from "../../actor.js";
import { type UserRow, users } from "./account.schema.js";

/** A person's account: admins see every account, a user its own; nobody else any. */
export const userPolicy: Policy<UserRow> = {
  scope(actor) {
    if (actor.kind !== "user") return null;
    return actor.role === "ADMIN" ? sql`true` : eq(users.id, actor.userId);
  },
  may(actor, rows) {
    return rows.map((row) => actor.kind === "user" && (actor.role === "ADMIN" || actor.userId === row.id));
  },
};
