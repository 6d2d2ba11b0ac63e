import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventsAfter, recordEvent } from "../src/modules/outbox/index.js";
import { type TestDatabase, onPostgres, openTestDatabase, outboxSettled } from "./support/database.js";

/** Issue 12.1: the outbox commits and rolls back with its change; the reader never passes an open transaction. */
let test: TestDatabase;
beforeAll(async () => {
  test = await openTestDatabase({ seed: false });
}, 180_000);
afterAll(() => test.drop());

const event = (id: string, n: number) => ({
  topic: "order.changed" as const,
  aggregateType: "Order",
  aggregateId: id,
  payload: { n, note: "湘西州 保靖黄金茶" },
});

describe("the outbox", () => {
  it("hands out committed events once, in order, and never rolled-back ones", async () => {
    const start = await eventsAfter(test.database, null, 1000);
    await test.database.transaction((tx) => recordEvent(tx, [event("a", 1), event("a", 2)]));
    await test.database
      .transaction(async (tx) => {
        await recordEvent(tx, event("b", 3));
        throw new Error("rolled back");
      })
      .catch(() => {});
    await test.database.transaction((tx) => recordEvent(tx, event("c", 4)));
    await outboxSettled(test.database);
    const page = await eventsAfter(test.database, start.endCursor, 1000);
    expect(page.events.map((e) => e.payload.n)).toEqual([1, 2, 4]);
    expect(page.events[0]!.payload.note).toBe("湘西州 保靖黄金茶");
    // Paging one by one gives the same events.
    const oneByOne: unknown[] = [];
    let cursor = start.endCursor;
    for (;;) {
      const next = await eventsAfter(test.database, cursor, 1);
      if (next.events.length === 0) break;
      oneByOne.push(next.events[0]!.payload.n);
      cursor = next.endCursor;
    }
    expect(oneByOne).toEqual([1, 2, 4]);
    expect((await eventsAfter(test.database, cursor, 10, ["catalog.changed"])).events).toEqual([]);
  });

  it("refuses a malformed cursor", async () => {
    await expect(eventsAfter(test.database, "1;drop", 10)).rejects.toThrow(/not a valid cursor/);
  });

  it.runIf(onPostgres)("does not pass a still-open earlier transaction (PostgreSQL)", async () => {
    const other = postgres(test.url!, { max: 2, onnotice: () => {} });
    try {
      const { endCursor: start } = await eventsAfter(test.database, null, 10_000);
      // Transaction 1 takes its xid and writes, then stays open; transaction 2 writes and commits.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let written!: () => void;
      const wrote = new Promise<void>((resolve) => (written = resolve));
      const first = other.begin(async (sql) => {
        await sql`insert into outbox_events (position, topic, aggregate_type, aggregate_id, payload)
                  values (pg_current_xact_id(), 'order.changed', 'Order', 'early', '{"n":"early"}')`;
        written();
        await held;
      });
      await wrote;
      await test.database.transaction((tx) => recordEvent(tx, event("late", 5)));
      const whileOpen = await eventsAfter(test.database, start, 100);
      expect(whileOpen.events).toEqual([]);
      release();
      await first;
      await outboxSettled(test.database);
      const after = await eventsAfter(test.database, whileOpen.endCursor, 100);
      expect(after.events.map((e) => e.aggregateId)).toEqual(["early", "late"]);
    } finally {
      await other.end();
    }
  });
});
if (!onPostgres) console.info("outbox.test.ts: the open-transaction case runs on PostgreSQL only (TEST_DATABASE_URL unset)");
