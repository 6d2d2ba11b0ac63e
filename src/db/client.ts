import type { SQL } from "drizzle-orm";
import { PgCode, pgErrorCode } from "./errors.js";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema.js";
import { migratePgliteDatabase, migratePostgresDatabase } from "./migrate.js";
import { type PoolActivity, pooled } from "./pool.js";
import { type BulkLoad, copyInto, insertInto } from "./bulk-load.js";
import { countStatement } from "./statement-tally.js";

export type Drizzle = PgDatabase<PgQueryResultHKT, typeof schema>;

/** The database, whichever driver runs it. Nothing outside src/db knows which one it is. */
export interface Database {
  readonly kind: "pglite" | "postgres";
  readonly db: Drizzle;
  /** Runs a raw statement and returns its rows (hides the drivers' different result shapes). */
  rows<T extends Record<string, unknown>>(query: SQL): Promise<T[]>;
  /** Runs `work` in one transaction; a throw rolls everything back. */
  transaction<T>(work: (tx: Drizzle) => Promise<T>): Promise<T>;
  /**
   * Like `transaction`, with a narrow bulk-load capability in the same session (a staging table
   * created in the transaction is visible to it): COPY on PostgreSQL, batched inserts on PGlite.
   * Never retried on a conflict, unlike `transaction`: its rows are a stream that is read once.
   */
  bulkTransaction<T>(work: (tx: Drizzle, load: BulkLoad) => Promise<T>): Promise<T>;
  /** Applies the committed migrations (idempotent; replicas starting together take turns). */
  migrate(): Promise<void>;
  ping(): Promise<void>;
  /**
   * Calls `onNotify` for every NOTIFY on `channel` (delivered at the sender's commit), and
   * `onListening` each time the listening connection (re)connects: notifications sent while it was
   * down are lost, so a listener that keeps derived state refreshes it then. Resolves to a stop function.
   */
  listen(channel: string, onNotify: (payload: string) => void, onListening?: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
  /** Connections in use and statements waiting for one (PostgreSQL only; for /metrics). */
  pool?(): { size: number; inUse: number; waiting: number };
}

export interface DatabaseOptions {
  /** postgres:// URL; without it PGlite runs in-process. */
  url?: string;
  /** PGlite data folder; undefined means in memory. */
  dataDir?: string;
  /** Start PGlite from a dumped data folder (fast test databases). */
  loadDataDir?: Blob | File;
  poolSize?: number;
  /**
   * statement_timeout of the connections in ms (0 or undefined: none). The API sets it
   * (STATEMENT_TIMEOUT_MS); migrations and seeds run without one. A statement cut off fails with
   * 57014, which the GraphQL layer answers as a TIMEOUT error (src/db/errors.ts isStatementTimeout).
   */
  statementTimeoutMs?: number;
}

const logger = { logQuery: () => countStatement() };

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) {
    const client = postgres(options.url, {
      max: options.poolSize ?? 10,
      onnotice: () => {},
      // Dates and numerics stay strings; drizzle maps timestamps itself.
      // JIT compiles the indicators' aggregates (costed in the billions by the recursive CTE) on
      // every call and costs more than it saves: off for the API's connections (bench:indicators).
      connection: {
        application_name: "xiangxi-fupin-api",
        TimeZone: "UTC",
        jit: "off",
        ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
      },
    });
    const activity: PoolActivity = { statements: 0, transactions: 0 };
    const db = drizzlePostgres(pooled(client, activity), { schema, logger }) as unknown as Drizzle;
    const size = options.poolSize ?? 10;
    return {
      kind: "postgres",
      db,
      rows: async <T extends Record<string, unknown>>(query: SQL) => (await db.execute(query)) as unknown as T[],
      transaction: (work) => retryingConflicts(() => db.transaction((tx) => work(tx as unknown as Drizzle))),
      bulkTransaction: (work) => db.transaction((tx) => work(tx as unknown as Drizzle, copyInto(transactionHandle(tx)))),
      migrate: () => migratePostgresDatabase(options.url!),
      ping: async () => {
        await client`select 1`;
      },
      listen: async (channel, onNotify, onListening) => {
        // postgres.js listens on a connection of its own and reconnects it, calling onlisten each time.
        const { unlisten } = await client.listen(channel, onNotify, onListening);
        return unlisten;
      },
      close: () => client.end({ timeout: 5 }),
      pool: () => {
        const busy = activity.statements + activity.transactions;
        return { size, inUse: Math.min(busy, size), waiting: Math.max(0, busy - size) };
      },
    };
  }
  // PGlite is loaded only here, when the embedded database is opened: importing it costs ~40 MB of RSS
  // (its WebAssembly and data files), which a server on PostgreSQL does not need.
  const [{ PGlite }, { btree_gist }, { drizzle: drizzlePglite }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("@electric-sql/pglite/contrib/btree_gist"),
    import("drizzle-orm/pglite"),
  ]);
  // btree_gist: benefit links' exclusion constraint (migration 0005); PGlite loads contrib code from JS.
  // One options object: PGlite ignores a second argument when the data folder is undefined (in memory).
  const lite = new PGlite({ dataDir: options.dataDir, extensions: { btree_gist }, ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}) });
  await lite.waitReady;
  await lite.exec("set time zone 'UTC'");
  // Accepted by PGlite, but a single-threaded WebAssembly backend may have no timer to enforce it.
  if (options.statementTimeoutMs) await lite.exec(`set statement_timeout = ${Math.floor(options.statementTimeoutMs)}`);
  const db = drizzlePglite(lite, { schema, logger }) as unknown as Drizzle;
  return {
    kind: "pglite",
    db,
    rows: async <T extends Record<string, unknown>>(query: SQL) =>
      ((await db.execute(query)) as unknown as { rows: T[] }).rows,
    transaction: (work) => db.transaction((tx) => work(tx as unknown as Drizzle)),
    bulkTransaction: (work) => db.transaction((tx) => work(tx as unknown as Drizzle, insertInto((query) => tx.execute(query)))),
    migrate: () => migratePgliteDatabase(lite),
    ping: async () => {
      await lite.query("select 1");
    },
    listen: async (channel, onNotify, onListening) => {
      // In-process: the connection cannot drop, so it is listening from the start.
      const unlisten = await lite.listen(channel, onNotify);
      onListening?.();
      return () => unlisten();
    },
    close: () => lite.close(),
  };
}

/**
 * The postgres.js handle of a drizzle transaction (drizzle-orm/postgres-js keeps it as
 * `tx.session.client`): COPY must run on the transaction's own connection, and drizzle has no COPY.
 */
function transactionHandle(tx: unknown): postgres.Sql {
  const handle = (tx as { session?: { client?: postgres.Sql } }).session?.client;
  if (typeof handle !== "function") throw new Error("drizzle's postgres-js transaction no longer exposes its client (session.client)");
  return handle;
}

/**
 * Runs a transaction again when PostgreSQL aborted it to break a deadlock or a serialization
 * conflict (e.g. two links racing on one exclusion constraint): the retry sees the winner's row
 * and gets the ordinary refusal. The work is database-only, so running it again is safe.
 */
async function retryingConflicts<T>(run: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const code = pgErrorCode(error);
      const conflict = code === PgCode.deadlockDetected || code === PgCode.serializationFailure;
      if (!conflict || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}

/** A raw statement's rows inside a transaction (postgres.js answers an array, PGlite `{ rows }`). */
export async function rowsIn<T extends Record<string, unknown>>(tx: Drizzle, query: SQL): Promise<T[]> {
  const result = (await tx.execute(query)) as unknown as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}
