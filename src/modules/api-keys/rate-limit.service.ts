import { sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { rateLimitWindows } from "./api-key.schema.js";

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** seconds until the current window ends */
  resetSeconds: number;
}

/**
 * Request budgets per minute, counted in PostgreSQL (one atomic upsert per request) so that every
 * replica shares them. Fixed one-minute windows.
 */
export class RateLimitService {
  private lastCleanup = 0;

  constructor(private readonly database: Database) {}

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
