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
  /** a NOTIFY channel announcing new events (the worker then fans out at once rather than at its next poll) */
  channel?: string;
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

/** An attempt that has finished, waiting to be recorded under its claim. */
export interface FinishedAttempt {
  claim: ClaimedDelivery;
  outcome: AttemptOutcome;
}

/** An attempt recorded (its claim was still the delivery's): whether its subscription is now disabled. */
export interface RecordedAttempt {
  id: string;
  ok: boolean;
  disabled: boolean;
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
   * The claimed ids are an array, so the update finds its rows by primary key (an `in (subquery)` was
   * planned as a hash join over a scan of the whole table, delivered rows included).
   */
  async claim(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const rows = await this.database.rows(sql`update ${webhookDeliveries} d
        set claimed_until = now() + ${leaseMs}::double precision * interval '1 millisecond', claim_token = gen_random_uuid(),
            attempt_count = d.attempt_count + 1, last_attempt_at = now()
       from ${webhookSubscriptions} s
      where s.id = d.subscription_id and d.id = any(array(
        select due.id from ${webhookDeliveries} due
          join ${webhookSubscriptions} ds on ds.id = due.subscription_id
         where due.status = 'PENDING' and due.next_attempt_at <= now()
           and (due.claimed_until is null or due.claimed_until < now())
           and ds.enabled and ${isActiveApiKey(sql`ds.api_key_id`)}
         order by due.next_attempt_at
         limit ${limit}
         for update of due skip locked))
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
   * Records finished attempts, in the order they finished, in one statement. Each is recorded only under
   * its claim's token (a lease that expired and was claimed again records nothing here: no status, no
   * attempt row, no count). A success marks its delivery DELIVERED; a failure schedules the next attempt
   * (or gives up after the last). Per subscription, as if recorded one after another: a success resets
   * the run of failures, the failures after the batch's last success add to it, and a subscription whose
   * run reaches the limit is disabled (the reason names the last error). Answers the attempts recorded,
   * with whether their subscription is now disabled.
   */
  async record(finished: readonly FinishedAttempt[], policy: RetryPolicy): Promise<RecordedAttempt[]> {
    if (finished.length === 0) return [];
    const batch = JSON.stringify(
      finished.map(({ claim, outcome }, ord) => ({
        ord,
        id: claim.id,
        token: claim.claimToken,
        ok: outcome.ok,
        status: outcome.statusCode,
        error: outcome.error?.slice(0, 300) ?? null,
        duration: Math.min(Math.max(0, Math.round(outcome.durationMs)), 2_147_483_647),
        delay: outcome.ok ? null : retryDelayMs(claim.attempt, policy),
      })),
    );
    const limit = policy.disableAfterFailures;
    // The run after this batch: from 0 after a success in it, then the failures that followed the last one.
    const run = sql`(case when r.reset then 0 else u.consecutive_failures end + r.failures)`;
    const rows = await this.database.rows(sql`with f as (
        select * from jsonb_to_recordset(${batch}::jsonb)
          as f(ord int, id uuid, token uuid, ok boolean, status int, error varchar, duration int, delay double precision)),
      d as (update ${webhookDeliveries} w
         set status = case when f.ok then 'DELIVERED'::webhook_delivery_status
                           when w.attempt_count >= ${policy.maxAttempts} then 'FAILED'::webhook_delivery_status
                           else 'PENDING'::webhook_delivery_status end,
             delivered_at = case when f.ok then now() else w.delivered_at end,
             next_attempt_at = case when f.ok then w.next_attempt_at else now() + f.delay * interval '1 millisecond' end,
             last_status_code = f.status, last_error = f.error, claimed_until = null, claim_token = null
        from f where w.id = f.id and w.claim_token = f.token
        returning w.id, w.subscription_id, w.attempt_count, f.ord, f.ok, f.status, f.error, f.duration),
      a as (insert into ${webhookDeliveryAttempts} (delivery_id, attempt, status_code, error, duration_ms)
            select id, attempt_count, status, error, duration from d
            on conflict (delivery_id, attempt) do nothing),
      o as (select subscription_id, ok, ord, error, max(case when ok then ord end) over (partition by subscription_id) as last_ok from d),
      r as (select subscription_id, bool_or(ok) as reset,
                   (count(*) filter (where not ok and ord > coalesce(last_ok, -1)))::int as failures,
                   (array_agg(coalesce(error, 'failed') order by ord desc) filter (where not ok))[1] as last_error
              from o group by subscription_id order by subscription_id),
      s as (update ${webhookSubscriptions} u
         set consecutive_failures = ${run},
             enabled = u.enabled and ${run} < ${limit},
             disabled_at = case when u.enabled and ${run} >= ${limit} then now() else u.disabled_at end,
             disabled_reason = case when u.enabled and ${run} >= ${limit}
               then left(${`${limit} failed attempts in a row (the last: `}::text || r.last_error || ')', 300) else u.disabled_reason end,
             updated_at = case when r.failures > 0 then now() else u.updated_at end
        from r where u.id = r.subscription_id and (r.failures > 0 or u.consecutive_failures <> 0)
        returning u.id, u.enabled)
      select d.id, d.ok, coalesce((select not s.enabled from s where s.id = d.subscription_id), false) as disabled from d`);
    return rows.map((row) => ({ id: String(row.id), ok: row.ok === true || row.ok === "t", disabled: row.disabled === true || row.disabled === "t" }));
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
