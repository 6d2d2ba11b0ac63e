import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/config.js";
import { OUTBOX_CHANNEL, recordEvent } from "../src/modules/outbox/index.js";
import { useTestServer } from "./support/api.js";
import { onPostgres } from "./support/database.js";
import { partnerSubscription, startReceiver } from "./support/webhooks.js";

/**
 * New outbox events are announced at commit (NOTIFY from a statement trigger, migration 0022) and the
 * server's webhook worker fans them out then, not at its next poll (issue 12, Performance). The poll
 * interval here is a minute: anything delivered sooner was fanned out because of the announcement.
 */

const setup = useTestServer({
  config: parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", WEBHOOK_ALLOW_PRIVATE: "true", WEBHOOK_POLL_MS: "60000" }),
});

const event = () => ({
  topic: "catalog.changed" as const,
  aggregateType: "Product",
  aggregateId: randomUUID(),
  payload: { kind: "UPDATED", reason: null, catalogNo: "433124-2020-000077", fields: ["unitPrice"] },
});

const until = async (check: () => boolean, ms: number) => {
  for (const deadline = Date.now() + ms; !check() && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 20));
};

if (onPostgres) {
  console.log(
    "webhook-announce: the worker test runs on PGlite only — on PostgreSQL an event is handed out only once every older transaction of the cluster has ended (other test files' seeds), so its delay is not this test's to measure",
  );
}

describe("outbox announcements", { timeout: 60_000 }, () => {
  it("announces a committed outbox write on its channel, and nothing for one rolled back", async () => {
    const heard: string[] = [];
    const unlisten = await setup.database.listen(OUTBOX_CHANNEL, (payload) => heard.push(payload));
    try {
      await setup.database.transaction((tx) => recordEvent(tx, [event(), event()]));
      await until(() => heard.length > 0, 5_000);
      // One announcement for the transaction (a statement trigger; PostgreSQL folds repeats).
      expect(heard).toHaveLength(1);
      await expect(
        setup.database.transaction(async (tx) => {
          await recordEvent(tx, [event()]);
          throw new Error("rolled back");
        }),
      ).rejects.toThrow("rolled back");
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(heard).toHaveLength(1);
    } finally {
      await unlisten();
    }
  });

  it.skipIf(onPostgres)("the worker fans an event out as it commits, not at its next poll a minute later", async () => {
    const receiver = await startReceiver();
    try {
      await partnerSubscription(setup.app.services, setup.callers, receiver.url);
      // The worker's first round (at start) has passed: its next poll is a minute away.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const committed = Date.now();
      await setup.database.transaction((tx) => recordEvent(tx, [event()]));
      const [delivery] = await receiver.waitFor(1, 20_000);
      expect(delivery!.at - committed).toBeLessThan(20_000);
      expect(JSON.parse(delivery!.body).data.catalogNo).toBe("433124-2020-000077");
    } finally {
      await receiver.close();
    }
  });
});
