import { bigint, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "../accounts/index.js";
import { enterpriseKind, enterpriseStatus, enterprises } from "./enterprise.schema.js";

/**
 * Every status change of an enterprise (核实 with the kind the office confirmed, 暂停 with its reason,
 * 恢复), written in the transaction that makes the change. `kind` is the office-confirmed kind in
 * force from then on: the pairing indicator reads kinds from here, never the self-declared one, and
 * "as of" a day reads the last row at or before that business day's end.
 */
export const enterpriseStatusHistory = pgTable(
  "enterprise_status_history",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** the order of changes to one enterprise (they are serialized by its row lock) */
    seq: bigint("seq", { mode: "number" }).generatedAlwaysAsIdentity(),
    enterpriseId: uuid("enterprise_id")
      .notNull()
      .references(() => enterprises.id),
    status: enterpriseStatus("status").notNull(),
    kind: enterpriseKind("kind").notNull(),
    reason: text("reason"),
    /** null for rows no person wrote (the backfill of enterprises verified before history was kept) */
    actorUserId: uuid("actor_user_id").references(() => users.id),
    at: timestamp("at", { precision: 3, withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [index("enterprise_status_history_enterprise_idx").on(t.enterpriseId, t.at, t.seq)],
);

export type EnterpriseStatusRow = typeof enterpriseStatusHistory.$inferSelect;
