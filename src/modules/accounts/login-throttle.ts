import { sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { loginFailures } from "./account.schema.js";

export interface ThrottlePolicy {
  /** attempts per (username, client address) in a window before a lockout */
  maxPerUser: number;
  /** attempts per client address (any usernames) in a window before a lockout */
  maxPerAddress: number;
  windowSeconds: number;
  /** the first lockout; each next one of the same key lasts twice as long, up to `lockoutMaxSeconds` */
  lockoutBaseSeconds: number;
  lockoutMaxSeconds: number;
}

export type Attempt = { allowed: true } | { allowed: false; retryAt: Date };

/**
 * Login attempts counted in PostgreSQL (shared by every replica), per (username, client address) and
 * per client address. The attempt is recorded and judged in one statement *before* the password is
 * checked, so a burst of parallel guesses gets at most the limit checked; the rest are refused unseen.
 * Past the limit a key is locked out for a growing time (base × 2^lockouts, capped). Keys hold the
 * address, so a stranger elsewhere cannot lock an account out: the right password from another
 * address still works.
 */
export class LoginThrottle {
  private lastCleanup = 0;

  constructor(
    private readonly database: Database,
    private readonly policy: ThrottlePolicy,
  ) {}

  private keys(username: string, address: string) {
    return { pair: `user:${username.toLowerCase()}|addr:${address}`, address: `addr:${address}` };
  }

  /** Records an attempt for both keys and says whether its password may be checked. */
  async attempt(username: string, address: string): Promise<Attempt> {
    const keys = this.keys(username, address);
    const { maxPerUser, maxPerAddress, windowSeconds, lockoutBaseSeconds, lockoutMaxSeconds } = this.policy;
    const window = sql`(${windowSeconds}::int * interval '1 second')`;
    const locked = sql`f.locked_until > now()`;
    const expired = sql`f.window_start <= now() - ${window}`;
    const next = sql`(case when ${expired} then 1 else f.failures + 1 end)`;
    const over = sql`(${next} > case when f.key like 'addr:%' then ${maxPerAddress}::int else ${maxPerUser}::int end)`;
    // Lockouts are forgiven once the last one ended longer ago than the longest lockout.
    const lockouts = sql`(case when f.locked_until < now() - (${lockoutMaxSeconds}::int * interval '1 second') then 0 else f.lockouts end)`;
    const lockout = sql`(least(${lockoutMaxSeconds}::float8, ${lockoutBaseSeconds}::float8 * power(2, least(${lockouts}, 30))) * interval '1 second')`;
    const rows = await this.database.rows<{ retry_at_ms: number | string | null; refused: boolean }>(sql`
      insert into ${loginFailures} as f (key, failures, window_start, lockouts)
      values (${keys.pair}, 1, now(), 0), (${keys.address}, 1, now(), 0)
      on conflict (key) do update set
        failures = case when ${locked} then f.failures when ${over} then 0 else ${next} end,
        window_start = case when ${locked} then f.window_start when ${expired} or ${over} then now() else f.window_start end,
        locked_until = case when ${locked} then f.locked_until when ${over} then now() + ${lockout} else f.locked_until end,
        lockouts = case when ${locked} then f.lockouts when ${over} then ${lockouts} + 1 else ${lockouts} end
      returning (extract(epoch from locked_until) * 1000)::float8 as retry_at_ms, coalesce(locked_until > now(), false) as refused`);
    this.cleanupNowAndThen();
    const refusals = rows.filter((row) => row.refused).map((row) => Number(row.retry_at_ms));
    if (refusals.length === 0) return { allowed: true };
    return { allowed: false, retryAt: new Date(Math.ceil(Math.max(...refusals))) };
  }

  /** A successful login: the pair starts afresh and the attempt does not count against the address. */
  async succeeded(username: string, address: string): Promise<void> {
    const keys = this.keys(username, address);
    await this.database.rows(sql`
      with cleared as (delete from ${loginFailures} where key = ${keys.pair})
      update ${loginFailures} set failures = greatest(failures - 1, 0) where key = ${keys.address}`);
  }

  /** Rows idle for a day are useless: dropped at most once every ten minutes per process. */
  private cleanupNowAndThen(): void {
    if (Date.now() - this.lastCleanup < 600_000) return;
    this.lastCleanup = Date.now();
    void this.database
      .rows(sql`delete from ${loginFailures} where window_start < now() - interval '1 day' and (locked_until is null or locked_until < now() - interval '1 day')`)
      .catch(() => {});
  }
}
