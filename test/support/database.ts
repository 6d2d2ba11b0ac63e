import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { type Database, openDatabase } from "../../src/db/client.js";
import { seedBudgetUnits } from "../../seeds/budget-units.js";
import { seedDemoData } from "../../seeds/seed.js";

/** The demo seed is laid relative to this date, so tests are the same whenever they run. */
export const SEED_DATE = new Date();

export interface TestDatabase {
  database: Database;
  /** postgres:// URL of this file's own database, when running on PostgreSQL */
  url?: string;
  kind: "pglite" | "postgres";
  drop(): Promise<void>;
}

export const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

/**
 * One database per test file: PGlite in memory by default, or a fresh database on the
 * PostgreSQL server of TEST_DATABASE_URL (dropped afterwards). Migrated, and seeded unless told not to.
 */
export async function openTestDatabase(options: { seed?: boolean } = {}): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  let database: Database;
  let url: string | undefined;
  let dropDatabase = async () => {};
  if (serverUrl) {
    const name = `fupin_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    await admin.end();
    const parsed = new URL(serverUrl);
    parsed.pathname = `/${name}`;
    url = parsed.toString();
    database = await openDatabase({ url, poolSize: 20 });
    dropDatabase = async () => {
      const dropper = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`drop database if exists ${name} with (force)`);
      await dropper.end();
    };
  } else {
    database = await openDatabase({});
  }
  await database.migrate();
  if (options.seed !== false) {
    await seedDemoData(database, SEED_DATE);
    await seedBudgetUnits(database, false, SEED_DATE);
  }
  return {
    database,
    url,
    kind: database.kind,
    async drop() {
      // The database is dropped even when closing fails (a test may have closed it on purpose).
      await database.close().catch(() => {});
      await dropDatabase();
    },
  };
}

/**
 * Waits until every transaction that had begun when it was called has ended, as the outbox's
 * readers judge it (`pg_snapshot_xmin` of a new snapshot at or past the next xid at the call).
 * Feeds hand out only events below the cluster-wide xmin; on the CI's shared PostgreSQL, test
 * files running in parallel keep transactions open in their own databases, so a feed may lag a
 * commit by seconds there. The feed is right to wait; a test reading it right after a commit
 * waits too, then asserts exactly. Returns at once on PGlite (one connection).
 */
export async function outboxSettled(database: Database, timeoutMs = 60_000): Promise<void> {
  const [now] = await database.rows<{ next: string }>(sql`select pg_snapshot_xmax(pg_current_snapshot())::text as next`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [check] = await database.rows<{ settled: boolean }>(
      sql`select pg_snapshot_xmin(pg_current_snapshot()) >= ${now!.next}::xid8 as settled`,
    );
    if (check!.settled) return;
    if (Date.now() > deadline) throw new Error(`the outbox did not settle within ${timeoutMs} ms: a transaction stayed open`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
