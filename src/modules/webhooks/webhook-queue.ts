import { sql } from "drizzle-orm";
import type { Database, Drizzle } from "../../db/client.js";
import { isActiveApiKey } from "../api-keys/index.js";
import type { AttemptOutcome } from "./webhook-sender.js";
import { type WebhookEventName, webhookDeliveries, webhookDeliveryAttempts, webhookFanoutCursor, webhookSubscriptions } from "./webhook.schema.js";

/** An event that leaves the process, as the outbox hands it to the webhooks. */
export interface WebhookSourceEvent {
  /** the outbox's unique id of the event (the same for every subscription) */
  id: string;
  event: WebhookEventName;
  occurredAt: Date;
  /** what the receiver gets as `data` */
  data: unknown;
}

/**
 * The outbox as the fan-out reads it: the events committed after a position, in commit order, read
 * inside the fan-out's transaction, and the position after the last of them. Positions are opaque.
 */
export interface WebhookEventSource {
  eventsAfter(tx: Drizzle, position: string | null, limit: number): Promise<{ events: WebhookSourceEvent[]; position: string | null }>;
}

/** A delivery a worker has claimed: the lease is its alone until `claimToken` is cleared or the lease ends. */
export interface ClaimedDelivery {
  id: string;
  claimToken: string;
  subscriptionId: string;
  attempt: number;
  event: WebhookEventName;
  body: string;
  url: string;
  signingSecret: string;
}

export interface RetryPolicy {
  /** the first retry comes after about this long; each next one twice as late */
  baseMs: number;
  /** no retry later than this (24 h) */
  maxMs: number;
  /** a delivery is FAILED after this many attempts */
  maxAttempts: number;
  /** a subscription is disabled after this many failed attempts in a row */
  disableAfterFailures: number;
}

/** Exponential backoff with jitter: between half and all of base·2^(attempt-1), at most the cap. */
export function retryDelayMs(attempt: number, policy: Pick<RetryPolicy, "baseMs" | "maxMs">, random = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt - 1, 40));
  return Math.round(ceiling * (0.5 + random() / 2));
}

/** The body every attempt of a delivery sends (fixed at fan-out). */
export function deliveryBody(event: WebhookSourceEvent): string {
  return JSON.stringify({ id: event.id, event: event.event, occurredAt: event.occurredAt.toISOString(), data: event.data });
}

/** The worker's statements over the webhook tables; each is short, none spans an HTTP request. */
export class WebhookQueue {
  constructor(private readonly database: Database) {}

  /** The fan-out cursor's row exists (idempotent; every replica may run it at start). */
  async prepare(): Promise<void> {
    await this.database.rows(sql`insert into ${webhookFanoutCursor} (id) values (1) on conflict (id) do nothing`);
  }

  /**
   * Turns the next outbox events into deliveries for every enabled subscription of an active key that
   * wants them (and existed when the event happened). One replica at a time: the cursor row is locked,
   * others skip it. The deliveries and the advanced cursor commit together, and (subscription, event)
   * is unique, so no event is fanned out twice.
   */
  async fanOut(source: WebhookEventSource, limit: number): Promise<{ events: number; deliveries: number }> {
    return this.database.transaction(async (tx) => {
      const [cursor] = rowsOf(await tx.execute(sql`select position from ${webhookFanoutCursor} where id = 1 for update skip locked`));
      if (!cursor) return { events: 0, deliveries: 0 };
      const { events, position } = await source.eventsAfter(tx, (cursor.position as string | null) ?? null, limit);
      if (events.length === 0) return { events: 0, deliveries: 0 };
      const batch = JSON.stringify(events.map((e) => ({ id: e.id, event: e.event, at: e.occurredAt.toISOString(), body: deliveryBody(e) })));
      const inserted = rowsOf(
        await tx.execute(sql`insert into ${webhookDeliveries} (subscription_id, event_id, event, body)
          select s.id, e.id, e.event::webhook_event, e.body
            from jsonb_to_recordset(${batch}::jsonb) as e(id text, event text, at timestamptz, body text)
            join ${webhookSubscriptions} s on s.enabled and e.event::webhook_event = any(s.events) and s.created_at <= e.at
           where ${isActiveApiKey(sql`s.api_key_id`)}
          on conflict (subscription_id, event_id) do nothing
          returning 1`),
      );
      await tx.execute(sql`update ${webhookFanoutCursor} set position = ${position}, updated_at = now() where id = 1`);
      return { events: events.length, deliveries: inserted.length };
    });
  }

  /**
   * Claims up to `limit` due deliveries of enabled subscriptions with a lease of `leaseMs`. Rows another
   * worker is claiming right now are skipped (FOR UPDATE SKIP LOCKED); a row under a live lease is not due.
   */
  async claim(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const rows = await this.database.rows(sql`update ${webhookDeliveries} d
        set claimed_until = now() + ${leaseMs}::double precision * interval '1 millisecond', claim_token = gen_random_uuid(),
            attempt_count = d.attempt_count + 1, last_attempt_at = now()
       from ${webhookSubscriptions} s
      where s.id = d.subscription_id and d.id in (
        select due.id from ${webhookDeliveries} due
          join ${webhookSubscriptions} ds on ds.id = due.subscription_id
         where due.status = 'PENDING' and due.next_attempt_at <= now()
           and (due.claimed_until is null or due.claimed_until < now())
           and ds.enabled and ${isActiveApiKey(sql`ds.api_key_id`)}
         order by due.next_attempt_at
         limit ${limit}
         for update of due skip locked)
      returning d.id, d.claim_token, d.subscription_id, d.attempt_count, d.event, d.body, s.url, s.signing_secret`);
    return rows.map((r) => ({
      id: String(r.id),
      claimToken: String(r.claim_token),
      subscriptionId: String(r.subscription_id),
      attempt: Number(r.attempt_count),
      event: r.event as WebhookEventName,
      body: String(r.body),
      url: String(r.url),
      signingSecret: String(r.signing_secret),
    }));
  }

  /**
   * Records an attempt's outcome under the claim's token (a lease that expired and was claimed again
   * records nothing here). A success resets the subscription's run of failures; a failure schedules
   * the next attempt (or gives up) and may disable the subscription. One statement.
   */
  async complete(claim: ClaimedDelivery, outcome: AttemptOutcome, policy: RetryPolicy): Promise<{ recorded: boolean; disabled: boolean }> {
    const error = outcome.error?.slice(0, 300) ?? null;
    const delivered = sql`status = 'DELIVERED', delivered_at = now()`;
    const retry = sql`status = case when attempt_count >= ${policy.maxAttempts} then 'FAILED'::webhook_delivery_status else 'PENDING'::webhook_delivery_status end,
      next_attempt_at = now() + ${retryDelayMs(claim.attempt, policy)}::double precision * interval '1 millisecond'`;
    const subscription = outcome.ok
      ? sql`update ${webhookSubscriptions} set consecutive_failures = 0 where id = (select subscription_id from d) and consecutive_failures <> 0 returning enabled`
      : sql`update ${webhookSubscriptions} set consecutive_failures = consecutive_failures + 1,
            enabled = enabled and consecutive_failures + 1 < ${policy.disableAfterFailures},
            disabled_at = case when enabled and consecutive_failures + 1 >= ${policy.disableAfterFailures} then now() else disabled_at end,
            disabled_reason = case when enabled and consecutive_failures + 1 >= ${policy.disableAfterFailures}
              then ${`${policy.disableAfterFailures} failed attempts in a row (the last: ${error ?? "failed"})`.slice(0, 300)} else disabled_reason end,
            updated_at = now()
          where id = (select subscription_id from d) returning enabled`;
    const [row] = await this.database.rows(sql`with d as (
        update ${webhookDeliveries} set ${outcome.ok ? delivered : retry}, last_status_code = ${outcome.statusCode}::int, last_error = ${error}::varchar,
               claimed_until = null, claim_token = null
         where id = ${claim.id} and claim_token = ${claim.claimToken} returning id, subscription_id, attempt_count),
      a as (insert into ${webhookDeliveryAttempts} (delivery_id, attempt, status_code, error, duration_ms)
            select id, attempt_count, ${outcome.statusCode}::int, ${error}::varchar, ${Math.min(outcome.durationMs, 2_147_483_647)}::int from d
            on conflict (delivery_id, attempt) do nothing),
      s as (${subscription})
      select (select count(*) from d)::int as recorded, coalesce((select not enabled from s), false) as disabled`);
    return { recorded: Number(row?.recorded ?? 0) > 0, disabled: row?.disabled === true || row?.disabled === "t" };
  }

  /** Gives claims back unfinished (shutdown): due again at once, the attempt not counted. */
  async release(claims: ClaimedDelivery[]): Promise<void> {
    if (claims.length === 0) return;
    const batch = JSON.stringify(claims.map((c) => ({ id: c.id, token: c.claimToken })));
    await this.database.rows(sql`update ${webhookDeliveries} d
        set claimed_until = null, claim_token = null, attempt_count = d.attempt_count - 1, next_attempt_at = now()
       from jsonb_to_recordset(${batch}::jsonb) as r(id uuid, token uuid)
      where d.id = r.id and d.claim_token = r.token`);
  }
}

function rowsOf(result: unknown): Record<string, unknown>[] {
  return Array.isArray(result) ? result : ((result as { rows?: Record<string, unknown>[] }).rows ?? []);
}
