import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServices } from "../src/app.js";
import type { Services } from "../src/graphql/context.js";
import { recordEvent } from "../src/modules/outbox/index.js";
import { testConfig } from "./support/api.js";
import { type Callers, setUpCallers } from "./support/actors.js";
import { type TestDatabase, onPostgres, openTestDatabase } from "./support/database.js";
import { type ServerProcess, startServerProcess } from "./support/server-process.js";
import { type Receiver, partnerSubscription, startReceiver } from "./support/webhooks.js";

if (!onPostgres) console.log("webhook replica tests skipped: set TEST_DATABASE_URL to run them on PostgreSQL (2 server processes)");

const EVENTS = 300;

describe.skipIf(!onPostgres)("webhook delivery from two server processes on one PostgreSQL", { timeout: 240_000 }, () => {
  let tdb: TestDatabase;
  let servers: ServerProcess[] = [];
  let services: Services;
  let callers: Callers;
  let receiver: Receiver;

  beforeAll(async () => {
    tdb = await openTestDatabase();
    services = createServices(tdb.database, { ...testConfig, WEBHOOK_ALLOW_PRIVATE: true });
    callers = await setUpCallers(tdb.database, services);
    // Each answer held back 20 ms: claims of both replicas overlap in time.
    receiver = await startReceiver(() => 200, 20);
    await partnerSubscription(services, callers, receiver.url);
    const env = {
      DATABASE_URL: tdb.url!,
      NODE_ENV: "test",
      LOG_LEVEL: "info", // startServerProcess waits for the "listening" line
      WEBHOOK_ALLOW_PRIVATE: "true",
      WEBHOOK_POLL_MS: "20",
      WEBHOOK_CONCURRENCY: "8",
      WEBHOOK_TIMEOUT_MS: "5000",
    };
    const started = await Promise.allSettled([0, 1].map(() => startServerProcess(env)));
    servers = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
    const failed = started.find((s) => s.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }, 180_000);

  afterAll(async () => {
    for (const s of servers) if (s.child.exitCode === null) s.child.kill("SIGTERM");
    await Promise.all(servers.map((s) => s.exited));
    await receiver?.close();
    await tdb?.drop();
  });

  it("never sends one outbox event to a subscription twice at the same time, and sends every one", async () => {
    // 300 events committed by 30 concurrent transactions, as changes on several replicas would.
    await Promise.all(
      Array.from({ length: 30 }, (_, t) =>
        tdb.database.transaction((tx) =>
          recordEvent(
            tx,
            Array.from({ length: EVENTS / 30 }, (_, i) => ({
              topic: "catalog.changed" as const,
              aggregateType: "Product",
              aggregateId: randomUUID(),
              payload: { kind: "UPDATED", reason: null, catalogNo: `433124-2020-${String(t * 100 + i).padStart(6, "0")}`, fields: ["unitPrice"] },
            })),
          ),
        ),
      ),
    );
    // The servers' own jobs may add events of their own (the certification-expiry job delists a fixture
    // product at start): this test's events are told apart by their catalog numbers.
    const ours = (d: { body: string }) => String(JSON.parse(d.body).data?.catalogNo ?? "").startsWith("433124-2020-");
    await receiver.waitFor(EVENTS, 150_000, ours);
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // anything sent twice would arrive by now
    const byDelivery = new Map<string, typeof receiver.received>();
    for (const r of receiver.received) byDelivery.set(String(r.headers["x-fupin-delivery"]), [...(byDelivery.get(String(r.headers["x-fupin-delivery"])) ?? []), r]);
    const mine = receiver.received.filter(ours);
    expect(new Set(mine.map((r) => JSON.parse(r.body).id)).size).toBe(EVENTS);
    // At least once, and here exactly once: no lease expired, so no delivery was sent again (ours or any other).
    expect(mine.length).toBe(EVENTS);
    expect(receiver.received.length).toBe(byDelivery.size);
    expect(new Set(receiver.received.map((r) => JSON.parse(r.body).id)).size).toBe(byDelivery.size);
    const overlapping = [...byDelivery.values()].filter((rs) => rs.some((a, i) => rs.some((b, j) => i !== j && a.at <= (b.answeredAt ?? Infinity) && b.at <= (a.answeredAt ?? Infinity))));
    expect(overlapping).toEqual([]);
    for (const s of servers) expect(s.lines.filter((l) => /"level":(40|50|60)/.test(l))).toEqual([]);
  });
});
