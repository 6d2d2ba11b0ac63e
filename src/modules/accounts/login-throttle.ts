import { sql } from "drizzle-orm";
import { anyOf } from "../../db/any-of.js";
import type { Database } from "../../db/client.js";
import { loginFailures } from "./account.schema.js";

export interface ThrottlePolicy {
  maxPerUser: number;
  maxPerAddress: number;
  windowSeconds: number;
}

/**
 * Failed-login counters in PostgreSQL, per username and per client address, so every replica
 * sees the same counts. A key is locked once its failures reach the limit within the window.
 */
export class LoginThrottle {
  constructor(
    private readonly database: Database,
    private readonly policy: ThrottlePolicy,
  ) {}

  private keys(username: string, address: string) {
    return { user: `user:${username.toLowerCase()}`, address: `addr:${address}` };
  }

  /** When the caller may try again, or null when not throttled. */
  async lockedUntil(username: string, address: string): Promise<Date | null> {
    const keys = this.keys(username, address);
    const rows = await this.database.db
      .select()
      .from(loginFailures)
      .where(anyOf(loginFailures.key, [keys.user, keys.address], "varchar"));
    let until: Date | null = null;
    for (const row of rows) {
      const limit = row.key === keys.user ? this.policy.maxPerUser : this.policy.maxPerAddress;
      const end = new Date(row.windowStart.getTime() + this.policy.windowSeconds * 1000);
      if (row.failures >= limit && end > new Date() && (!until || end > until)) until = end;
    }
    return until;
  }

  /** Counts a failure for both keys, atomically (a window that has passed starts again). */
  async recordFailure(username: string, address: string): Promise<void> {
    const keys = this.keys(username, address);
    const window = `${this.policy.windowSeconds} seconds`;
    for (const key of [keys.user, keys.address]) {
      await this.database.db.execute(sql`
        insert into ${loginFailures} (key, failures, window_start) values (${key}, 1, now())
        on conflict (key) do update set
          failures = case when ${loginFailures.windowStart} < now() - ${window}::interval then 1 else ${loginFailures.failures} + 1 end,
          window_start = case when ${loginFailures.windowStart} < now() - ${window}::interval then now() else ${loginFailures.windowStart} end`);
    }
  }

  async clearUser(username: string): Promise<void> {
    await this.database.db.delete(loginFailures).where(anyOf(loginFailures.key, [this.keys(username, "").user], "varchar"));
  }
}
