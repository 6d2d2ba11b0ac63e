/**
 * The raw baseline of `npm run bench:reserve`: the reservation of `OrdersService.reserve` written by
 * hand with postgres.js — no HTTP, no GraphQL, no drizzle. Run as a child process by
 * bench/reserve.bench.ts; prints one `RESULT {json}` line on stdout.
 *
 * One reservation is one transaction:
 *   begin;
 *   update products set available_supply = available_supply - 1, ... where id = $1 and status = 'LISTED'
 *     and valid_until >= current_date and available_supply >= 1 returning unit_price;
 *   insert into orders (...) values (...) on conflict (budget_unit_id, idempotency_key) do nothing returning *;
 *   insert into audit_log (...) values (...);   -- the service writes this row too (parity)
 *   commit;
 * `RAW_WORKERS` async workers loop over it for `RAW_SECONDS` on a pool of `RAW_POOL_SIZE` connections.
 *
 * Env: RAW_DATABASE_URL, RAW_PRODUCT_ID, RAW_BUDGET_UNIT_ID, RAW_USER_ID, RAW_WORKERS, RAW_POOL_SIZE,
 *      RAW_SECONDS, RAW_KEY_PREFIX, RAW_AUDIT (default "1"; "0" leaves the audit row out),
 *      RAW_PREPARE (default "1": named prepared statements, postgres.js's default; "0" sends them unnamed,
 *      as drizzle does inside the API's transactions — each then costs a Parse/Describe round trip first).
 */
import { createHash, randomUUID } from "node:crypto";
import postgres from "postgres";
import { percentile } from "./support.js";

export interface RawReserveResult {
  /** reservations committed before the deadline */
  reservations: number;
  /** reservations committed after the deadline (excluded from the rate, like autocannon's in-flight requests) */
  late: number;
  /** transactions that failed (an error, or the conditional update / insert took nothing) */
  failed: number;
  seconds: number;
  reservationsPerSec: number;
  p50: number;
  p99: number;
  max: number;
  errorSamples: string[];
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

class NotTaken extends Error {}

async function main(): Promise<void> {
  const url = required("RAW_DATABASE_URL");
  const productId = required("RAW_PRODUCT_ID");
  const budgetUnitId = required("RAW_BUDGET_UNIT_ID");
  const userId = required("RAW_USER_ID");
  const workers = Number(required("RAW_WORKERS"));
  const poolSize = Number(required("RAW_POOL_SIZE"));
  const seconds = Number(required("RAW_SECONDS"));
  const keyPrefix = required("RAW_KEY_PREFIX");
  const withAudit = (process.env.RAW_AUDIT ?? "1") !== "0";
  const prepare = (process.env.RAW_PREPARE ?? "1") !== "0";
  const quantity = 1;
  const channel = "CANTEEN";

  const sql = postgres(url, {
    max: poolSize,
    prepare,
    onnotice: () => {},
    connection: { application_name: "bench-raw-reserve", TimeZone: "UTC" },
  });
  // Open the whole pool before the clock starts (the API processes have theirs open from the warm-up).
  await Promise.all(Array.from({ length: poolSize }, () => sql`select 1`));

  async function reserveOnce(idempotencyKey: string): Promise<void> {
    const requestHash = createHash("sha256").update(JSON.stringify([budgetUnitId, productId, quantity, channel])).digest("hex");
    const year = new Date().getUTCFullYear();
    await sql.begin(async (tx) => {
      const [taken] = await tx<{ unit_price: string }[]>`
        update products
           set available_supply = available_supply - ${quantity}, updated_at = now(), version = version + 1
         where id = ${productId} and status = 'LISTED' and valid_until >= current_date and available_supply >= ${quantity}
        returning unit_price`;
      if (!taken) throw new NotTaken("supply not taken");
      const [order] = await tx<Record<string, unknown>[]>`
        insert into orders (budget_unit_id, product_id, year, quantity, unit_price, amount, channel, idempotency_key, request_hash, created_by)
        values (${budgetUnitId}, ${productId}, ${year}, ${quantity}, ${taken.unit_price}, ${taken.unit_price}::numeric * ${quantity},
                ${channel}, ${idempotencyKey}, ${requestHash}, ${userId})
        on conflict (budget_unit_id, idempotency_key) do nothing
        returning *`;
      if (!order) throw new NotTaken("idempotency key already used");
      if (withAudit) {
        // The same shape AuditService.record writes for a new order: { field: { before: null, after } }.
        const changes: Record<string, { before: null; after: unknown }> = {};
        for (const [field, value] of Object.entries(order)) {
          if (value !== null && value !== undefined) changes[field] = { before: null, after: value instanceof Date ? value.toISOString() : value };
        }
        await tx`
          insert into audit_log (actor_user_id, actor_api_key_id, operation, entity_type, entity_id, changes, request_id)
          values (${userId}, null, 'reservePurchase', 'Order', ${String(order.id)}, ${tx.json(changes as postgres.JSONValue)}, ${randomUUID()})`;
      }
    });
  }

  const latencies: number[] = [];
  let late = 0;
  let failed = 0;
  const errorSamples: string[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;

  async function worker(w: number): Promise<void> {
    for (let n = 0; performance.now() < deadline; n++) {
      const t0 = performance.now();
      try {
        await reserveOnce(`${keyPrefix}-${w}-${n}`);
        const t1 = performance.now();
        if (t1 <= deadline) latencies.push(t1 - t0);
        else late++;
      } catch (error) {
        failed++;
        if (errorSamples.length < 5) errorSamples.push(error instanceof Error ? error.message : String(error));
      }
    }
  }

  await Promise.all(Array.from({ length: workers }, (_, w) => worker(w)));
  await sql.end({ timeout: 5 });

  latencies.sort((a, b) => a - b);
  const result: RawReserveResult = {
    reservations: latencies.length,
    late,
    failed,
    seconds,
    reservationsPerSec: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? 0,
    errorSamples,
  };
  console.log(`RESULT ${JSON.stringify(result)}`);
}

main().catch((error: unknown) => {
  console.error("raw-reserve failed:", error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
