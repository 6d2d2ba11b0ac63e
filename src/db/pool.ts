import type postgres from "postgres";
import { isDatabaseUnavailable } from "./errors.js";

/** What the pool is busy with, for /metrics: postgres.js exposes no counters of its own. */
export interface PoolActivity {
  /** statements sent outside transactions and not answered yet */
  statements: number;
  /** open transactions (each holds one connection from BEGIN to COMMIT or ROLLBACK) */
  transactions: number;
}

/**
 * The postgres.js client as drizzle sees it: statements prepared by their text, work counted for
 * /metrics, and transactions that stop cleanly when their connection is lost.
 *
 * drizzle sends every statement unnamed, so PostgreSQL parses and plans it anew each time and
 * postgres.js first asks it to describe the statement. Marking them prepared lets each connection
 * reuse a statement by its text (query texts are stable: lists use `= any($1)`, see any-of.ts).
 */
export function pooled(client: postgres.Sql, activity: PoolActivity): postgres.Sql {
  return wrap(client, activity, undefined);
}

/** `over`: why the transaction's connection may no longer be used (it ended, or was lost). */
interface TransactionState {
  over?: unknown;
}

function wrap(target: postgres.Sql, activity: PoolActivity, transaction: TransactionState | undefined): postgres.Sql {
  return new Proxy(target, {
    get(client, property, receiver) {
      if (property === "unsafe") {
        return (query: string, parameters?: unknown[], options?: { prepare?: boolean }) => {
          if (transaction?.over) return refused(transaction.over);
          const pending = client.unsafe(query, parameters as never, { ...options, prepare: true });
          return transaction ? pending : counted(pending, activity);
        };
      }
      if (property === "begin" && !transaction) return (...args: unknown[]) => begin(client, activity, args);
      return Reflect.get(client, property, receiver);
    },
  });
}

/**
 * postgres.js 3.4.9 cannot lose a transaction's connection safely (porsager/postgres#1133, #1208):
 * its own ROLLBACK, or any later statement of the transaction, is written to the closed socket and
 * throws an uncaught TypeError that would end the process; and once the connection reconnects for
 * other work, a later statement of the transaction would run there, outside any transaction. So
 * when the connection is lost, the work stops where it is (PostgreSQL has rolled the transaction
 * back already), `begin` rejects with the connection error, and the transaction's handle refuses
 * every later statement.
 */
function begin(client: postgres.Sql, activity: PoolActivity, args: unknown[]): Promise<unknown> {
  const work = args.pop() as (sql: postgres.Sql) => Promise<unknown>;
  const state: TransactionState = {};
  activity.transactions += 1;
  const run = (client.begin as (...a: unknown[]) => Promise<unknown>)(...args, async (sql: postgres.Sql) => {
    try {
      return await work(wrap(sql, activity, state));
    } catch (error) {
      if (isDatabaseUnavailable(error)) {
        // postgres.js rejects `begin` in the same turn as it closes the connection.
        await new Promise((resolve) => setImmediate(resolve));
        if (state.over) return new Promise(() => {});
      }
      throw error;
    }
  });
  run.then(
    () => {
      state.over = new Error("the transaction has ended");
    },
    (error: unknown) => {
      state.over = error;
    },
  );
  void run.finally(() => {
    activity.transactions -= 1;
  }).catch(() => {});
  return run;
}

/** Counts a statement from when postgres.js sends it until it is answered. */
function counted<Q>(query: Q, activity: PoolActivity): Q {
  const q = query as unknown as { handle?: () => Promise<void>; executed?: boolean };
  const handle = q.handle;
  if (typeof handle !== "function") return query;
  q.handle = function (this: typeof q) {
    if (!this.executed) {
      activity.statements += 1;
      const done = () => {
        activity.statements -= 1;
      };
      Promise.prototype.then.call(this, done, done);
    }
    return handle.call(this);
  };
  return query;
}

/** A statement that is not sent: rejects as drizzle awaits it (`.values()` included). */
function refused(error: unknown): Promise<never> {
  const promise = Promise.reject(error) as Promise<never> & { values(): Promise<never>; raw(): Promise<never> };
  promise.values = () => promise;
  promise.raw = () => promise;
  return promise;
}
