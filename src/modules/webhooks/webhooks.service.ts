import { type SQL, and, asc, desc, eq, getTableColumns, inArray, sql } from "drizzle-orm";
import type { Actor, Command } from "../../actor.js";
import type { Database } from "../../db/client.js";
import { type Page, type PageArgs, type SortKey, cursorParameter, pageFromRows, planPage } from "../../db/keyset.js";
import { ForbiddenError, UserErrorCode, UserFacingError } from "../../errors.js";
import { isActiveApiKey } from "../api-keys/index.js";
import type { AuditService } from "../audit/index.js";
import { type AddressRules, type Resolve, WebhookAddressError, checkWebhookUrl, systemResolve } from "./webhook-address.js";
import { newSigningSecret } from "./webhook-signature.js";
import { mayManage, subscriptionScope, webhookManager } from "./webhook.policy.js";
import {
  type WebhookDeliveryAttemptRow,
  type WebhookDeliveryRow,
  type WebhookEventName,
  type WebhookSubscriptionRow,
  webhookDeliveries,
  webhookDeliveryAttempts,
  webhookSubscriptions,
} from "./webhook.schema.js";

export interface NewWebhookSubscription {
  url: string;
  events: WebhookEventName[];
  /** the partner's own key when absent (an admin must name one) */
  apiKeyId?: string;
}

export interface DeliveryFilter {
  status?: "PENDING" | "DELIVERED" | "FAILED";
}

/** What the API shows of a subscription: never its secret. */
export type WebhookSubscription = Omit<WebhookSubscriptionRow, "signingSecret">;
export type WebhookDelivery = Omit<WebhookDeliveryRow, "claimToken" | "claimedUntil">;

const { signingSecret: _secret, ...subscriptionColumns } = getTableColumns(webhookSubscriptions);
const { claimToken: _token, claimedUntil: _until, ...deliveryColumns } = getTableColumns(webhookDeliveries);

const newestFirst: SortKey<WebhookDelivery> = {
  name: "CREATED_AT",
  expression: sql`${webhookDeliveries.createdAt}`,
  valueOf: (row) => row.createdAt.toISOString(),
  parameter: cursorParameter.timestamp,
};

const notFound = (field: string) => new UserFacingError(UserErrorCode.NOT_FOUND, `${field}: no such webhook subscription (or it is not yours)`, ["input", field]);

/** Partners' webhook subscriptions and the deliveries made to them (the worker delivers: webhook.worker.ts). */
export class WebhooksService {
  private onDue: () => void = () => {};

  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly rules: AddressRules,
    private readonly resolve: Resolve = systemResolve,
  ) {}

  /** Called after a change makes deliveries due now (the local worker need not wait for its next poll). */
  whenDue(callback: () => void): void {
    this.onDue = callback;
  }

  /** A new subscription and its signing secret (the only time the secret is shown). */
  async createSubscription(command: Command, input: NewWebhookSubscription): Promise<{ subscription: WebhookSubscription; signingSecret: string }> {
    const manager = webhookManager(command.actor);
    let apiKeyId = input.apiKeyId;
    if (manager.kind === "partner") {
      if (apiKeyId && apiKeyId !== manager.apiKeyId) throw new ForbiddenError("A partner subscribes with its own API key only");
      apiKeyId = manager.apiKeyId;
    }
    if (!apiKeyId) throw new UserFacingError(UserErrorCode.INVALID, "apiKeyId: an admin names the partner key the subscription belongs to", ["input", "apiKeyId"]);
    try {
      await checkWebhookUrl(input.url, this.rules, this.resolve);
    } catch (error) {
      if (error instanceof WebhookAddressError) throw new UserFacingError(UserErrorCode.INVALID, `url: ${error.message}`, ["input", "url"]);
      throw error;
    }
    const signingSecret = newSigningSecret();
    const events = [...new Set(input.events)];
    return this.database.transaction(async (tx) => {
      // Inserted only for a key that exists and is not revoked (one statement, no read-then-write).
      const [row] = await tx.execute(sql`insert into ${webhookSubscriptions} (api_key_id, url, events, signing_secret)
        select ${apiKeyId}::uuid, ${input.url}, ${`{${events.join(",")}}`}::webhook_event[], ${signingSecret}
        where ${isActiveApiKey(sql`${apiKeyId}::uuid`)}
        returning id`).then(rowsOf);
      if (!row) throw new UserFacingError(UserErrorCode.NOT_FOUND, "apiKeyId: no such API key, or it is revoked", ["input", "apiKeyId"]);
      const [subscription] = await tx.select(subscriptionColumns).from(webhookSubscriptions).where(eq(webhookSubscriptions.id, String(row.id)));
      await this.audit.record(tx, command, { operation: "createWebhookSubscription", entityType: "WebhookSubscription", entityId: subscription!.id, after: subscription });
      return { subscription: subscription!, signingSecret };
    });
  }

  /** Deletes a subscription with its deliveries (an attempt under way finishes and is forgotten). */
  async deleteSubscription(command: Command, subscriptionId: string): Promise<WebhookSubscription> {
    webhookManager(command.actor);
    return this.database.transaction(async (tx) => {
      const [before] = await tx.select(subscriptionColumns).from(webhookSubscriptions).where(eq(webhookSubscriptions.id, subscriptionId)).for("update");
      if (!before || !mayManage(command.actor, before)) throw notFound("subscriptionId");
      await tx.delete(webhookSubscriptions).where(eq(webhookSubscriptions.id, subscriptionId));
      await this.audit.record(tx, command, { operation: "deleteWebhookSubscription", entityType: "WebhookSubscription", entityId: subscriptionId, before });
      return before;
    });
  }

  /** Turns a disabled subscription back on: its failure count starts again and its pending deliveries are due now. */
  async enableSubscription(command: Command, subscriptionId: string): Promise<WebhookSubscription> {
    webhookManager(command.actor);
    return this.database.transaction(async (tx) => {
      const [before] = await tx.select(subscriptionColumns).from(webhookSubscriptions).where(eq(webhookSubscriptions.id, subscriptionId)).for("update");
      if (!before || !mayManage(command.actor, before)) throw notFound("subscriptionId");
      if (before.enabled) throw new UserFacingError(UserErrorCode.INVALID_TRANSITION, "The subscription is already enabled", ["input", "subscriptionId"]);
      const [after] = await tx
        .update(webhookSubscriptions)
        .set({ enabled: true, consecutiveFailures: 0, disabledAt: null, disabledReason: null, updatedAt: new Date() })
        .where(eq(webhookSubscriptions.id, subscriptionId))
        .returning(subscriptionColumns);
      await tx
        .update(webhookDeliveries)
        .set({ nextAttemptAt: sql`now()` })
        .where(and(eq(webhookDeliveries.subscriptionId, subscriptionId), eq(webhookDeliveries.status, "PENDING")));
      await this.audit.record(tx, command, { operation: "enableWebhookSubscription", entityType: "WebhookSubscription", entityId: subscriptionId, before, after });
      return after!;
    }).finally(() => this.onDue());
  }

  /** The caller's subscriptions (an admin's: every key's, or one key's). */
  async subscriptions(actor: Actor, apiKeyId?: string): Promise<WebhookSubscription[]> {
    webhookManager(actor);
    const conditions: SQL[] = [subscriptionScope(actor)!];
    if (apiKeyId) conditions.push(eq(webhookSubscriptions.apiKeyId, apiKeyId));
    return this.database.db.select(subscriptionColumns).from(webhookSubscriptions).where(and(...conditions))
      .orderBy(desc(webhookSubscriptions.createdAt), desc(webhookSubscriptions.id)).limit(1000);
  }

  async subscriptionsByIds(ids: readonly string[]): Promise<WebhookSubscription[]> {
    return this.database.db.select(subscriptionColumns).from(webhookSubscriptions).where(inArray(webhookSubscriptions.id, [...ids]));
  }

  async deliveriesByIds(ids: readonly string[]): Promise<WebhookDelivery[]> {
    return this.database.db.select(deliveryColumns).from(webhookDeliveries).where(inArray(webhookDeliveries.id, [...ids]));
  }

  async attemptsOf(deliveryIds: readonly string[]): Promise<WebhookDeliveryAttemptRow[]> {
    return this.database.db.select().from(webhookDeliveryAttempts).where(inArray(webhookDeliveryAttempts.deliveryId, [...deliveryIds]))
      .orderBy(asc(webhookDeliveryAttempts.deliveryId), asc(webhookDeliveryAttempts.attempt));
  }

  /** A subscription's deliveries, newest first (none when the subscription is not the caller's). */
  async deliveriesPage(actor: Actor, subscriptionId: string, filter: DeliveryFilter, args: PageArgs): Promise<Page<WebhookDelivery>> {
    webhookManager(actor);
    const plan = planPage(args, newestFirst, "DESC", sql`${webhookDeliveries.id}`, cursorParameter.uuid);
    const rows = await this.database.db
      .select(deliveryColumns)
      .from(webhookDeliveries)
      .where(and(this.deliveriesOf(actor, subscriptionId, filter), ...plan.conditions))
      .orderBy(...plan.orderBy)
      .limit(plan.limit);
    return pageFromRows(rows, plan, args, newestFirst, (row) => row.id);
  }

  async deliveriesCount(actor: Actor, subscriptionId: string, filter: DeliveryFilter): Promise<number> {
    const [row] = await this.database.db.select({ count: sql<number>`count(*)::int` }).from(webhookDeliveries).where(this.deliveriesOf(actor, subscriptionId, filter));
    return Number(row?.count ?? 0);
  }

  /** A subscription's deliveries, only when the caller manages it (one statement: the scope is a subquery). */
  private deliveriesOf(actor: Actor, subscriptionId: string, filter: DeliveryFilter): SQL {
    const scope = subscriptionScope(actor) ?? sql`false`;
    return and(
      eq(webhookDeliveries.subscriptionId, subscriptionId),
      sql`exists (select 1 from ${webhookSubscriptions} where ${webhookSubscriptions.id} = ${webhookDeliveries.subscriptionId} and ${scope})`,
      filter.status ? eq(webhookDeliveries.status, filter.status) : undefined,
    )!;
  }

  /**
   * Sends a delivery again, whatever became of it: it is due now (the receiver sees the same
   * X-Fupin-Delivery id, so it can tell a repeat). Not while an attempt is under way, nor to a
   * disabled subscription (enable it first).
   */
  async redeliver(command: Command, deliveryId: string): Promise<WebhookDelivery> {
    webhookManager(command.actor);
    return this.database.transaction(async (tx) => {
      const [found] = await tx
        .select({ delivery: webhookDeliveries, subscription: subscriptionColumns })
        .from(webhookDeliveries)
        .innerJoin(webhookSubscriptions, eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId))
        .where(eq(webhookDeliveries.id, deliveryId))
        .for("update", { of: webhookDeliveries });
      if (!found || !mayManage(command.actor, found.subscription)) {
        throw new UserFacingError(UserErrorCode.NOT_FOUND, "deliveryId: no such webhook delivery (or it is not yours)", ["input", "deliveryId"]);
      }
      const { delivery, subscription } = found;
      if (!subscription.enabled) {
        throw new UserFacingError(UserErrorCode.INVALID_TRANSITION, "The subscription is disabled: enable it with enableWebhookSubscription first", ["input", "deliveryId"]);
      }
      if (delivery.claimedUntil && delivery.claimedUntil.getTime() > Date.now()) {
        throw new UserFacingError(UserErrorCode.INVALID_TRANSITION, "An attempt of this delivery is under way", ["input", "deliveryId"]);
      }
      const [after] = await tx
        .update(webhookDeliveries)
        .set({ status: "PENDING", nextAttemptAt: sql`now()`, claimedUntil: null, claimToken: null })
        .where(eq(webhookDeliveries.id, deliveryId))
        .returning(deliveryColumns);
      await this.audit.record(tx, command, {
        operation: "redeliverWebhook",
        entityType: "WebhookDelivery",
        entityId: deliveryId,
        before: { status: delivery.status, nextAttemptAt: delivery.nextAttemptAt },
        after: { status: after!.status, nextAttemptAt: after!.nextAttemptAt },
      });
      return after!;
    }).finally(() => this.onDue());
  }
}

function rowsOf(result: unknown): Record<string, unknown>[] {
  return Array.isArray(result) ? result : ((result as { rows?: Record<string, unknown>[] }).rows ?? []);
}
