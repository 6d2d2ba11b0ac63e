import { sql } from "drizzle-orm";
import type { Actor } from "../../actor.js";
import type { Database } from "../../db/client.js";
import { rateLimitWindows } from "./api-key.schema.js";

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** seconds until the current window ends */
  resetSeconds: number;
}

/** Requests per minute of each kind of caller (config RATE_LIMIT_*); 0 turns a kind's budget off. */
export interface BudgetLimits {
  /** a key without a budget of its own */
  apiKeyPerMinute: number;
  /** per logged-in user (bearer token) */
  userPerMinute: number;
  /** per client address */
  anonymousPerMinute: number;
}

/**
 * Request budgets per minute, counted in PostgreSQL (one atomic upsert per request) so that every
 * replica shares them. Fixed one-minute windows. Every caller has one: per API key, per user for
 * bearer tokens, per client address for anonymous callers.
 */
export class RateLimitService {
  private lastCleanup = 0;

  constructor(
    private readonly database: Database,
    private readonly limits: BudgetLimits = { apiKeyPerMinute: 600, userPerMinute: 600, anonymousPerMinute: 120 },
  ) {}

  /** The budget a caller's request counts against, or null when its kind has none (limit 0). */
  budgetFor(actor: Actor, clientAddress: string, keyPerMinute?: number): { bucket: string; limit: number } | null {
    const [bucket, limit] =
      actor.kind === "apiKey"
        ? [`key:${actor.apiKeyId}`, keyPerMinute ?? this.limits.apiKeyPerMinute]
        : actor.kind === "user"
          ? [`user:${actor.userId}`, this.limits.userPerMinute]
          : [`addr:${clientAddress}`, this.limits.anonymousPerMinute];
    return limit > 0 ? { bucket, limit } : null;
  }

  async consume(bucket: string, limit: number): Promise<RateDecision> {
    const [row] = await this.database.rows<{ requests: number; reset_seconds: number }>(sql`
      insert into ${rateLimitWindows} (bucket, window_start, requests)
      values (${bucket}, date_trunc('minute', now()), 1)
      on conflict (bucket, window_start) do update set requests = ${rateLimitWindows.requests} + 1
      returning requests, ceil(extract(epoch from (window_start + interval '1 minute' - now())))::int as reset_seconds`);
    const requests = Number(row!.requests);
    this.cleanupNowAndThen();
    return {
      allowed: requests <= limit,
      limit,
      remaining: Math.max(0, limit - requests),
      resetSeconds: Math.max(1, Number(row!.reset_seconds)),
    };
  }

  /** Old windows are useless: drop them at most once a minute per process. */
  private cleanupNowAndThen(): void {
    if (Date.now() - this.lastCleanup < 60_000) return;
    this.lastCleanup = Date.now();
    void this.database.rows(sql`delete from ${rateLimitWindows} where window_start < now() - interval '5 minutes'`).catch(() => {});
  }
}
