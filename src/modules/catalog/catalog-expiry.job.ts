import { sql } from "drizzle-orm";
import type { Logger } from "pino";
import { businessToday } from "../../clock.js";
import type { Database } from "../../db/client.js";
import { safeError } from "../../logger.js";
import { outboxEvents } from "../outbox/index.js";
import { CATALOG_TOPIC, announceCatalogChanges } from "./catalog-changes.sql.js";
import { products } from "./product.schema.js";

/** The advisory lock key of the expiry job (one replica at a time): "catalog expiry" as an int8. */
export const CATALOG_EXPIRY_LOCK = 0x43415445_58504952n; // "CATEXPIR"

export interface CatalogExpiryOptions {
  /** the clock (tests inject one); the business day is reckoned from it in BUSINESS_TIME_ZONE */
  now?: () => Date;
  logger?: Pick<Logger, "info" | "error">;
  /** listings announced per transaction */
  batchSize?: number;
  /** how often the timer looks whether the business day has turned, ms */
  checkEveryMs?: number;
}

export interface ExpiryRun {
  /** false when another replica held the job's lock (nothing was done here) */
  ran: boolean;
  /** listings announced REMOVED (EXPIRED) by this run */
  announced: number;
  day: string;
}

/**
 * 过期: announces REMOVED with reason EXPIRED for listings whose validity ended (`valid_until`
 * before the business day, China time) and that the feed still shows. A listing leaves the catalog
 * at midnight by itself (`inCatalog` compares with today); this job only tells the feed. One replica
 * at a time (`pg_try_advisory_xact_lock`); idempotent, since a listing the feed already removed is
 * skipped, and a concurrent edit or revocation of the same product is ordered by the row lock.
 * Started by the server (in-process on PGlite too): once at start, then whenever the business day turns.
 */
export class CatalogExpiryJob {
  private readonly now: () => Date;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private doneDay: string | undefined;

  constructor(
    private readonly database: Database,
    private readonly options: CatalogExpiryOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** One run for the business day of `now`: every expired listing the feed still shows, in batches. */
  async runOnce(now = this.now()): Promise<ExpiryRun> {
    const day = businessToday(now);
    const batchSize = this.options.batchSize ?? 500;
    let announced = 0;
    for (;;) {
      const batch = await this.database.transaction(async (tx) => {
        const result = (await tx.execute(sql`select pg_try_advisory_xact_lock(${CATALOG_EXPIRY_LOCK.toString()}::bigint) as locked`)) as unknown;
        const [lock] = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { locked: boolean }[];
        if (!lock?.locked) return null;
        const expired = await tx
          .select({ id: products.id })
          .from(products)
          .where(
            sql`${products.status} = 'LISTED' and ${products.validUntil} < ${day}::date
                and coalesce((select o.payload->>'kind' from ${outboxEvents} o
                              where o.aggregate_type = 'Product' and o.aggregate_id = ${products.id}::text and o.topic = ${CATALOG_TOPIC}
                              order by o.position desc, o.seq desc limit 1), '') <> 'REMOVED'`,
          )
          .orderBy(products.id)
          .limit(batchSize)
          .for("update");
        if (expired.length === 0) return 0;
        // Never announced (listed before the feed, or seeded): it was in the catalog until its validity ended.
        const standings = expired.map((p) => ({ productId: p.id, reason: "EXPIRED" as const, wasInCatalog: true }));
        return announceCatalogChanges(tx, standings, day);
      });
      if (batch === null) return { ran: false, announced, day };
      if (batch === 0) break; // nothing left (or nothing more to say about what is left)
      announced += batch;
      if (batch < batchSize) break;
    }
    if (announced > 0) this.options.logger?.info({ day, announced }, "catalog expiry: listings announced as expired");
    return { ran: true, announced, day };
  }

  /** Runs now, then whenever the business day turns (checked every minute); a run refused for the lock is tried again. */
  start(): void {
    if (this.timer) return;
    const tick = () => {
      const day = businessToday(this.now());
      if (this.running || day === this.doneDay) return;
      this.running = this.runOnce()
        .then((run) => {
          if (run.ran) this.doneDay = run.day;
        })
        .catch((error) => this.options.logger?.error({ err: safeError(error) }, "catalog expiry job failed; retried at the next check"))
        .finally(() => {
          this.running = undefined;
        });
    };
    this.timer = setInterval(tick, this.options.checkEveryMs ?? 60_000);
    this.timer.unref();
    tick();
  }

  /** Stops the timer and waits for a run in progress. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
