import { AsyncLocalStorage } from "node:async_hooks";

/** Counts the SQL statements one request issues (Saleor-style query-count tests, bench reports). */
export interface StatementTally {
  count: number;
}

const storage = new AsyncLocalStorage<StatementTally>();

export function withStatementTally<T>(tally: StatementTally, fn: () => T): T {
  return storage.run(tally, fn);
}

export function countStatement(): void {
  const tally = storage.getStore();
  if (tally) tally.count += 1;
}
