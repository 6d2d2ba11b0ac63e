import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/config.js";
import { withStatementTally } from "../src/db/statement-tally.js";
import { toGlobalId } from "../src/graphql/global-id.js";
import { createLogger } from "../src/logger.js";
import { type RetryPolicy, WebhookQueue, WebhookSender, WebhookWorker } from "../src/modules/webhooks/index.js";
import { useTestApi } from "./support/api.js";
import { partnerSubscription, pendingDelivery, startReceiver } from "./support/webhooks.js";

/**
 * The worker records finished attempts in batches, one statement per batch (issue 12, Performance),
 * with the guarantees of one statement per attempt: each outcome only under its claim's token, a
 * failure schedules the retry, and the subscription's run of failures counts the attempts in the
 * order they finished. The worker's steps are driven here through its queue (claims as a worker makes
 * them); what they recorded is read through the API as the partner reads it.
 */

const setup = useTestApi({ config: parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", WEBHOOK_ALLOW_PRIVATE: "true" }) });
const RETRY: RetryPolicy = { baseMs: 60_000, maxMs: 86_400_000, maxAttempts: 15, disableAfterFailures: 3 };
const LEASE_MS = 60_000;

const ok = { ok: true, statusCode: 200, error: null, durationMs: 12 };
const http500 = { ok: false, statusCode: 500, error: "HTTP 500", durationMs: 8 };
const http503 = { ok: false, statusCode: 503, error: "HTTP 503", durationMs: 8 };
const refused = { ok: false, statusCode: null, error: "connection refused", durationMs: 1 };

const DELIVERIES = `query ($id: ID!) { webhookDeliveries(subscriptionId: $id, first: 20) {
  nodes { id status attemptCount nextAttemptAt lastStatusCode lastError deliveredAt attempts { attempt statusCode error durationMs } } } }`;
const SUBSCRIPTION = `query ($id: ID!) { node(id: $id) { ... on WebhookSubscription { enabled consecutiveFailures disabledReason } } }`;

async function partnerRead(query: string, id: string) {
  const result = await setup.api.run(query, { id }, setup.callers.credentials.partner);
  expect(result.errors).toBeUndefined();
  return result.data;
}

/** A subscription of the partner's key with `count` pending deliveries; local ids. */
async function subscriptionWith(count: number, url?: string): Promise<{ id: string; deliveries: string[] }> {
  const id = await partnerSubscription(setup.api.services, setup.callers, url);
  const deliveries: string[] = [];
  for (let i = 0; i < count; i++) deliveries.push(await pendingDelivery(setup.database, id));
  return { id, deliveries };
}

/** Claims, as a worker does, every due delivery and keeps those of the given deliveries, in their order. */
async function claimed(queue: WebhookQueue, deliveries: string[]) {
  const claims = await queue.claim(100, LEASE_MS);
  return deliveries.map((id) => claims.find((c) => c.id === id)!);
}

async function deliveriesOf(subscriptionId: string) {
  const { webhookDeliveries } = await partnerRead(DELIVERIES, toGlobalId("WebhookSubscription", subscriptionId));
  return new Map<string, any>(webhookDeliveries.nodes.map((n: { id: string }) => [n.id, n]));
}

const subscriptionOf = async (id: string) => (await partnerRead(SUBSCRIPTION, toGlobalId("WebhookSubscription", id))).node;
const deliveryGid = (id: string) => toGlobalId("WebhookDelivery", id);

describe("recording webhook attempts in batches", () => {
  it("records a batch in one statement, each attempt only under its own claim: a stale claim records nothing", async () => {
    const queue = new WebhookQueue(setup.database);
    const { id, deliveries } = await subscriptionWith(3);
    const [slow, fine, failing] = await claimed(queue, deliveries);
    // The first claim outlived its lease (a stalled worker); another worker claimed the delivery again.
    await setup.database.rows(sql`update webhook_deliveries set claimed_until = now() - interval '1 second' where id = ${slow!.id}::uuid`);
    const [again] = await claimed(queue, [slow!.id]);
    expect(again).toMatchObject({ id: slow!.id, attempt: 2 });
    expect(again!.claimToken).not.toBe(slow!.claimToken);

    const tally = { count: 0 };
    const before = Date.now();
    const recorded = await withStatementTally(tally, () =>
      queue.record(
        [
          { claim: fine!, outcome: ok },
          { claim: failing!, outcome: http500 },
          { claim: slow!, outcome: http503 }, // finished last, under the stale claim
        ],
        RETRY,
      ),
    );
    expect(tally.count).toBe(1);
    expect(recorded.map((r) => r.id).sort()).toEqual([fine!.id, failing!.id].sort());

    const after = await deliveriesOf(id);
    expect(after.get(deliveryGid(fine!.id))).toMatchObject({ status: "DELIVERED", attemptCount: 1, lastStatusCode: 200, lastError: null, attempts: [{ attempt: 1, statusCode: 200, error: null, durationMs: 12 }] });
    expect(after.get(deliveryGid(fine!.id)).deliveredAt).not.toBeNull();
    // The failure schedules the retry: between half and all of the base delay (60 s) from now.
    const retried = after.get(deliveryGid(failing!.id));
    expect(retried).toMatchObject({ status: "PENDING", attemptCount: 1, lastStatusCode: 500, lastError: "HTTP 500", deliveredAt: null, attempts: [{ attempt: 1, statusCode: 500, error: "HTTP 500", durationMs: 8 }] });
    const delay = Date.parse(retried.nextAttemptAt) - before;
    expect(delay).toBeGreaterThanOrEqual(29_000);
    expect(delay).toBeLessThanOrEqual(61_000);
    // The stale claim left the delivery as the newer claim has it: no status, no attempt row.
    expect(after.get(deliveryGid(slow!.id))).toMatchObject({ status: "PENDING", attemptCount: 2, lastStatusCode: null, lastError: null, attempts: [] });
    // And its failure is not in the subscription's run: only the one recorded failure is.
    expect(await subscriptionOf(id)).toEqual({ enabled: true, consecutiveFailures: 1, disabledReason: null });

    // The current claim records as usual.
    await queue.record([{ claim: again!, outcome: refused }], RETRY);
    expect((await deliveriesOf(id)).get(deliveryGid(slow!.id))).toMatchObject({ attemptCount: 2, lastError: "connection refused", attempts: [{ attempt: 2, statusCode: null, error: "connection refused" }] });
    expect((await subscriptionOf(id)).consecutiveFailures).toBe(2);
    // Recording the same claim again records nothing (its token was cleared).
    expect(await queue.record([{ claim: again!, outcome: ok }], RETRY)).toEqual([]);
    expect((await deliveriesOf(id)).get(deliveryGid(slow!.id)).status).toBe("PENDING");
  });

  it("counts each subscription's run of failures in the order the attempts finished, and disables at the limit", async () => {
    const queue = new WebhookQueue(setup.database);
    const b = await subscriptionWith(5);
    const c = await subscriptionWith(2);
    const claims = await claimed(queue, [...b.deliveries, ...c.deliveries]);
    const [bClaims, cClaims] = [claims.slice(0, 5), claims.slice(5)];
    // B: fail, fail, success, fail, fail → a run of 2 (the success reset the first two); C: one failure.
    const first = await queue.record(
      [
        { claim: bClaims[0]!, outcome: http500 },
        { claim: cClaims[0]!, outcome: http503 },
        { claim: bClaims[1]!, outcome: refused },
        { claim: bClaims[2]!, outcome: ok },
        { claim: bClaims[3]!, outcome: http500 },
        { claim: bClaims[4]!, outcome: http503 },
      ],
      RETRY,
    );
    expect(first).toHaveLength(6);
    expect(first.every((r) => !r.disabled)).toBe(true);
    expect(await subscriptionOf(b.id)).toEqual({ enabled: true, consecutiveFailures: 2, disabledReason: null });
    expect(await subscriptionOf(c.id)).toEqual({ enabled: true, consecutiveFailures: 1, disabledReason: null });
    const bDeliveries = await deliveriesOf(b.id);
    expect(b.deliveries.map((d) => bDeliveries.get(deliveryGid(d)).status)).toEqual(["PENDING", "PENDING", "DELIVERED", "PENDING", "PENDING"]);

    // Next batch: two more failures for B (2 + 2 ≥ 3: disabled, the reason naming the last error), C's success resets C.
    const more = [await pendingDelivery(setup.database, b.id), await pendingDelivery(setup.database, b.id)];
    const moreClaims = await claimed(queue, more);
    const second = await queue.record(
      [
        { claim: moreClaims[0]!, outcome: http503 },
        { claim: cClaims[1]!, outcome: ok },
        { claim: moreClaims[1]!, outcome: refused },
      ],
      RETRY,
    );
    expect(Object.fromEntries(second.map((r) => [r.id, r.disabled]))).toEqual({ [more[0]!]: true, [more[1]!]: true, [cClaims[1]!.id]: false });
    expect(await subscriptionOf(b.id)).toEqual({ enabled: false, consecutiveFailures: 4, disabledReason: "3 failed attempts in a row (the last: connection refused)" });
    expect(await subscriptionOf(c.id)).toEqual({ enabled: true, consecutiveFailures: 0, disabledReason: null });
  });

  it("gives a delivery up after its last attempt", async () => {
    const queue = new WebhookQueue(setup.database);
    const policy = { ...RETRY, maxAttempts: 2, disableAfterFailures: 10 };
    const { id, deliveries } = await subscriptionWith(1);
    const [first] = await claimed(queue, deliveries);
    await queue.record([{ claim: first!, outcome: http500 }], policy);
    expect((await deliveriesOf(id)).get(deliveryGid(deliveries[0]!)).status).toBe("PENDING");
    // Its retry comes due (time passes).
    await setup.database.rows(sql`update webhook_deliveries set next_attempt_at = now() where id = ${deliveries[0]!}::uuid`);
    const [second] = await claimed(queue, deliveries);
    await queue.record([{ claim: second!, outcome: http500 }], policy);
    expect((await deliveriesOf(id)).get(deliveryGid(deliveries[0]!))).toMatchObject({ status: "FAILED", attemptCount: 2 });
  });

  it("the worker records attempts that finish together in one statement, and sends each once", async () => {
    // The receiver answers all 12 at one moment, once all 12 are in (a fixed hold per request let the
    // answers drift apart as far as the requests did: on a loaded machine, beyond the worker's batching).
    let answerAll!: () => void;
    const receiver = await startReceiver(() => 200, new Promise<void>((resolve) => (answerAll = resolve)));
    const { id, deliveries } = await subscriptionWith(12, receiver.url);
    // Only this test's subscription has deliveries due.
    await setup.database.rows(sql`update webhook_subscriptions set enabled = false where id <> ${id}::uuid`);
    const queue = new WebhookQueue(setup.database);
    const batches: number[] = [];
    const record = queue.record.bind(queue);
    queue.record = async (finished, policy) => {
      batches.push(finished.length);
      return record(finished, policy);
    };
    const worker = new WebhookWorker(queue, new WebhookSender({ allowPrivate: true }, 2_000), null, { concurrency: 16, pollMs: 50, timeoutMs: 2_000, fanOutBatch: 100, retry: RETRY }, createLogger("silent"));
    worker.start();
    try {
      await receiver.waitFor(12);
      answerAll();
      const delivered = async () => [...(await deliveriesOf(id)).values()].filter((d) => d.status === "DELIVERED").length;
      for (let i = 0; i < 100 && (await delivered()) < 12; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await delivered()).toBe(12);
    } finally {
      await worker.stop(1_000);
      await receiver.close();
    }
    // 12 attempts at once, answered together: recorded by far fewer statements than attempts.
    expect(batches.reduce((a, b) => a + b, 0)).toBe(12);
    expect(batches.length).toBeLessThanOrEqual(4);
    expect(receiver.received).toHaveLength(12);
    expect(new Set(receiver.received.map((r) => r.headers["x-fupin-delivery"]))).toEqual(new Set(deliveries.map(deliveryGid)));
  });
});
