import { type SQL, eq, sql } from "drizzle-orm";
import { type Actor, isAdmin } from "../../actor.js";
import { ForbiddenError, UnauthenticatedError } from "../../errors.js";
import { type WebhookSubscriptionRow, webhookSubscriptions } from "./webhook.schema.js";

/**
 * Who manages webhooks: an admin every key's, a partner (its API key) only its own key's. Nobody
 * else: anonymous callers are UNAUTHENTICATED, other roles FORBIDDEN.
 */
export type WebhookManager = { kind: "admin" } | { kind: "partner"; apiKeyId: string };

export function webhookManager(actor: Actor): WebhookManager {
  if (actor.kind === "anonymous") throw new UnauthenticatedError("Send your partner API key (X-Api-Key), or log in as an admin");
  if (actor.kind === "apiKey") return { kind: "partner", apiKeyId: actor.apiKeyId };
  if (isAdmin(actor)) return { kind: "admin" };
  throw new ForbiddenError("Webhooks are managed by partners (with their API key) and admins");
}

/** The subscriptions the manager may see, as a condition; null when the actor manages none. */
export function subscriptionScope(actor: Actor): SQL | null {
  let manager: WebhookManager;
  try {
    manager = webhookManager(actor);
  } catch {
    return null;
  }
  return manager.kind === "admin" ? sql`true` : eq(webhookSubscriptions.apiKeyId, manager.apiKeyId);
}

export function mayManage(actor: Actor, row: Pick<WebhookSubscriptionRow, "apiKeyId">): boolean {
  if (actor.kind === "apiKey") return row.apiKeyId === actor.apiKeyId;
  return isAdmin(actor);
}
