import { eq, sql } from "drizzle-orm";
import type { Actor, Policy } from "../../actor.js";
import { type EnterpriseRow, enterprises } from "./enterprise.schema.js";

/**
 * Who may see enterprises (DOMAIN.md "Lifecycle": the public sees VERIFIED enterprises only).
 * Anonymous callers and partners (API keys): VERIFIED ones. Every logged-in user (offices, admins,
 * enterprises, procurement officers): all of them, PENDING and SUSPENDED included — an enterprise
 * user its own whatever its status, an officer the supplier of an order it placed before a suspension.
 */
const isPublic = (actor: Actor) => actor.kind !== "user";

export const enterprisePolicy: Policy<EnterpriseRow> = {
  scope: (actor) => (isPublic(actor) ? eq(enterprises.status, "VERIFIED") : sql`true`),
  may: (actor, rows) => rows.map((row) => !isPublic(actor) || row.status === "VERIFIED"),
};

/** Whether the status history (statusHistory) is shown: poverty offices and admins only. */
export function maySeeStatusHistory(actor: Actor): boolean {
  return actor.kind === "user" && (actor.role === "ADMIN" || actor.role === "REVIEWER");
}
