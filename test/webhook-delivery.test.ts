import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { parseConfig } from "../src/config.js";
import { fromGlobalIdOf } from "../src/graphql/global-id.js";
import { createLogger } from "../src/logger.js";
import { type NewOutboxEvent, recordEvent } from "../src/modules/outbox/index.js";
import { useTestServer } from "./support/api.js";
import { gid, productInState } from "./support/fixtures.js";
import { type Receiver, deadUrl, startReceiver } from "./support/webhooks.js";

/**
 * Webhook delivery (issue 12.3) end to end: outbox events committed in the database, the server's own
 * worker (in-process, also on PGlite), real HTTP receivers on 127.0.0.1, subscriptions made and read
 * through /graphql with the partner's API key. Backoff is shortened by configuration.
 */

const config = parseConfig({
  NODE_ENV: "test",
  LOG_LEVEL: "silent",
  WEBHOOK_ALLOW_PRIVATE: "true",
  WEBHOOK_POLL_MS: "50",
  WEBHOOK_RETRY_BASE_MS: "150",
  WEBHOOK_RETRY_MAX_MS: "600",
  WEBHOOK_DISABLE_AFTER_FAILURES: "3",
  WEBHOOK_TIMEOUT_MS: "2000",
  SHUTDOWN_GRACE_MS: "300",
});
const setup = useTestServer({ config });

const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function receiver(...args: Parameters<typeof startReceiver>): Promise<Receiver> {
  const r = await startReceiver(...args);
  receivers.push(r);
  return r;
}

/** POSTs an operation to /graphql as the partner (X-Api-Key) or the admin, and answers `data`. */
async function graphql(query: string, variables: Record<string, unknown> = {}, as: "partner" | "admin" = "partner"): Promise<any> {
  const credentials = setup.callers.credentials[as];
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (credentials.apiKey) headers["x-api-key"] = credentials.apiKey;
  if (credentials.authorization) headers.authorization = credentials.authorization;
  const response = await fetch(`${setup.base}/graphql`, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: any; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data;
}

async function subscribe(url: string, events: string[] = ["CATALOG_CHANGED"]): Promise<{ id: string; secret: string }> {
  const data = await graphql(
    `mutation ($input: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $input) { subscription { id } signingSecret userErrors { code message } } }`,
    { input: { url, events } },
  );
  expect(data.createWebhookSubscription.userErrors).toEqual([]);
  return { id: data.createWebhookSubscription.subscription.id, secret: data.createWebhookSubscription.signingSecret };
}

/** Commits outbox events as a change's transaction does (what the catalog and orders write). */
async function announce(count = 1, topic: NewOutboxEvent["topic"] = "catalog.changed"): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  await setup.database.transaction((tx) =>
    recordEvent(
      tx,
      ids.map((id, i) => ({
        topic,
        aggregateType: "Product",
        aggregateId: id,
        payload: { kind: "ADDED", reason: null, catalogNo: `433124-2020-${String(900000 + i)}`, fields: [], enterpriseId: randomUUID() },
      })),
    ),
  );
  return ids;
}

const DELIVERIES = `query ($id: ID!) { webhookDeliveries(subscriptionId: $id, first: 20) {
  totalCount nodes { id event status attemptCount lastStatusCode lastError deliveredAt body attempts { attempt statusCode error } } } }`;

async function deliveriesOf(subscriptionId: string) {
  return (await graphql(DELIVERIES, { id: subscriptionId })).webhookDeliveries;
}

async function subscriptionOf(id: string) {
  return (await graphql(`query ($id: ID!) { node(id: $id) { ... on WebhookSubscription { enabled consecutiveFailures disabledReason } } }`, { id })).node;
}

/**
 * How long an event may take to reach a receiver. Long on PostgreSQL: the outbox hands out an event only
 * once no older transaction of the whole cluster is open (pg_snapshot_xmin), and the other test files
 * seed their databases on the same server in long transactions.
 */
const PATIENCE_MS = 90_000;

/** Polls until `check` holds (the worker runs on its own schedule). */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = PATIENCE_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The README's ten lines: how a partner verifies a delivery in Node. */
function verify(secret: string, rawBody: string, header: string, nowSeconds = Date.now() / 1000): boolean {
  const { t, v1 } = Object.fromEntries(header.split(",").map((kv) => kv.split("=")));
  if (!t || !v1 || Math.abs(nowSeconds - Number(t)) > 300) return false;
  const expected = createHmac("sha256", secret).update(`${t}.${rawBody}`).digest("hex");
  return v1.length === expected.length && timingSafeEqual(Buffer.from(v1), Buffer.from(expected));
}

describe("webhook delivery", { timeout: 240_000 }, () => {
  it("signs each delivery so that the secret returned at creation verifies it", async () => {
    const r = await receiver();
    const { id, secret } = await subscribe(r.url);
    const [productId] = await announce(1);
    const [delivery] = await r.waitFor(1, PATIENCE_MS);
    expect(delivery!.headers["x-fupin-event"]).toBe("CATALOG_CHANGED");
    expect(delivery!.headers["content-type"]).toMatch(/^application\/json/);
    expect(verify(secret, delivery!.body, String(delivery!.headers["x-fupin-signature"]))).toBe(true);
    // A changed body, another secret or an old timestamp do not verify.
    expect(verify(secret, `${delivery!.body} `, String(delivery!.headers["x-fupin-signature"]))).toBe(false);
    expect(verify(`${secret}x`, delivery!.body, String(delivery!.headers["x-fupin-signature"]))).toBe(false);
    expect(verify(secret, delivery!.body, String(delivery!.headers["x-fupin-signature"]), Date.now() / 1000 + 3600)).toBe(false);

    const body = JSON.parse(delivery!.body);
    expect(body).toMatchObject({ event: "CATALOG_CHANGED", data: { kind: "ADDED", catalogNo: "433124-2020-900000", fields: [] } });
    expect(body.id).toMatch(/^evt_\d+$/);
    expect(body.data.productId).toBe(Buffer.from(`Product:${productId}`).toString("base64url"));
    expect(body.data).not.toHaveProperty("enterpriseId"); // only the topic's public fields leave
    // X-Fupin-Delivery is the delivery's ID in the API, where it shows as delivered.
    const listed = await eventually(() => deliveriesOf(id), (d) => d.nodes[0]?.status === "DELIVERED");
    expect(listed.nodes).toEqual([
      expect.objectContaining({ id: delivery!.headers["x-fupin-delivery"], event: "CATALOG_CHANGED", attemptCount: 1, lastStatusCode: 200, lastError: null, body: delivery!.body }),
    ]);
    expect(listed.nodes[0].attempts).toEqual([{ attempt: 1, statusCode: 200, error: null }]);
  });

  it("sends only the events a subscription asked for", async () => {
    const orders = await receiver();
    const catalog = await receiver();
    await subscribe(orders.url, ["ORDER_CHANGED"]);
    await subscribe(catalog.url, ["CATALOG_CHANGED"]);
    await announce(1, "catalog.changed");
    await announce(1, "order.changed");
    const [toCatalog] = await catalog.waitFor(1, PATIENCE_MS);
    const [toOrders] = await orders.waitFor(1, PATIENCE_MS);
    expect(toCatalog!.headers["x-fupin-event"]).toBe("CATALOG_CHANGED");
    expect(toOrders!.headers["x-fupin-event"]).toBe("ORDER_CHANGED");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect([orders.received.length, catalog.received.length]).toEqual([1, 1]);
  });

  it("tries again after a 500: a receiver that answers 500 twice gets the third attempt", async () => {
    const r = await receiver((n) => (n <= 2 ? 500 : 200));
    const { id } = await subscribe(r.url);
    await announce(1);
    const attempts = await r.waitFor(3, PATIENCE_MS);
    // One delivery: the same X-Fupin-Delivery every time, the same bytes, a fresh signature each time.
    expect(new Set(attempts.map((a) => a.headers["x-fupin-delivery"])).size).toBe(1);
    expect(new Set(attempts.map((a) => a.body)).size).toBe(1);
    // Backed off: the second attempt came at least half the base delay (150 ms, jittered) after the first.
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(75);
    const listed = await eventually(() => deliveriesOf(id), (d) => d.nodes[0]?.status === "DELIVERED");
    expect(listed.nodes[0]).toMatchObject({ attemptCount: 3, lastStatusCode: 200, lastError: null });
    expect(listed.nodes[0].attempts).toEqual([
      { attempt: 1, statusCode: 500, error: "HTTP 500" },
      { attempt: 2, statusCode: 500, error: "HTTP 500" },
      { attempt: 3, statusCode: 200, error: null },
    ]);
    expect((await subscriptionOf(id)).consecutiveFailures).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(r.received).toHaveLength(3);
  });

  it("disables a subscription whose receiver is dead after the configured run of failures", async () => {
    const { id } = await subscribe(await deadUrl());
    await announce(2);
    await eventually(() => subscriptionOf(id), (s) => s.enabled === false);
    // Attempts already under way when the third failure landed may add to the run (both deliveries go out at once).
    await new Promise((resolve) => setTimeout(resolve, 700));
    const disabled = await subscriptionOf(id);
    expect(disabled.disabledReason).toContain("3 failed attempts in a row");
    expect(disabled.consecutiveFailures).toBeGreaterThanOrEqual(3);
    const deliveries = await deliveriesOf(id);
    expect(deliveries.nodes.map((d: { status: string }) => d.status)).toEqual(["PENDING", "PENDING"]);
    const errors = deliveries.nodes.flatMap((d: { attempts: { error: string }[] }) => d.attempts.map((a) => a.error));
    expect(errors.length).toBe(disabled.consecutiveFailures);
    expect(new Set(errors)).toEqual(new Set(["connection refused"]));
    // Disabled: no more attempts, and a redelivery is refused until its owner enables it again.
    await new Promise((resolve) => setTimeout(resolve, 700));
    const after = await deliveriesOf(id);
    expect(after.nodes.reduce((n: number, d: { attemptCount: number }) => n + d.attemptCount, 0)).toBe(errors.length);
    const refused = await graphql(`mutation ($id: ID!) { redeliverWebhook(input: {deliveryId: $id}) { userErrors { code } } }`, { id: after.nodes[0].id });
    expect(refused.redeliverWebhook.userErrors).toEqual([{ code: "INVALID_TRANSITION" }]);
  });

  it("resumes a disabled subscription's pending deliveries when its owner enables it", async () => {
    let up = false;
    const r = await receiver(() => (up ? 200 : 503));
    const { id } = await subscribe(r.url);
    await announce(1);
    await eventually(() => subscriptionOf(id), (s) => s.enabled === false);
    expect(r.received).toHaveLength(3);
    up = true;
    const enabled = await graphql(`mutation ($id: ID!) { enableWebhookSubscription(input: {subscriptionId: $id}) { subscription { enabled consecutiveFailures } userErrors { code } } }`, { id });
    expect(enabled.enableWebhookSubscription).toEqual({ subscription: { enabled: true, consecutiveFailures: 0 }, userErrors: [] });
    await r.waitFor(4, PATIENCE_MS);
    const listed = await eventually(() => deliveriesOf(id), (d) => d.nodes[0]?.status === "DELIVERED");
    expect(listed.nodes[0]).toMatchObject({ attemptCount: 4, lastStatusCode: 200 });
  });

  it("redelivers a delivered event on request, with the same delivery ID and a fresh signature", async () => {
    const r = await receiver();
    const { id, secret } = await subscribe(r.url);
    await announce(1);
    const [first] = await r.waitFor(1, PATIENCE_MS);
    const deliveryId = String(first!.headers["x-fupin-delivery"]);
    await eventually(() => deliveriesOf(id), (d) => d.nodes[0]?.status === "DELIVERED");
    const redelivered = await graphql(`mutation ($id: ID!) { redeliverWebhook(input: {deliveryId: $id}) { delivery { id status } userErrors { code } } }`, { id: deliveryId });
    expect(redelivered.redeliverWebhook).toEqual({ delivery: { id: deliveryId, status: "PENDING" }, userErrors: [] });
    const [, second] = await r.waitFor(2, PATIENCE_MS);
    expect(second!.headers["x-fupin-delivery"]).toBe(deliveryId);
    expect(second!.body).toBe(first!.body);
    expect(verify(secret, second!.body, String(second!.headers["x-fupin-signature"]))).toBe(true);
    const listed = await eventually(() => deliveriesOf(id), (d) => d.nodes[0]?.status === "DELIVERED" && d.nodes[0].attemptCount === 2);
    expect(listed.nodes[0].attempts.map((a: { statusCode: number }) => a.statusCode)).toEqual([200, 200]);
  });

  it("tells the partner of a review decision and of a listing made through the API", async () => {
    const r = await receiver();
    const { secret } = await subscribe(r.url, ["CATALOG_CHANGED", "PRODUCT_REVIEWED"]);
    const product = await productInState(setup.database, setup.app.services, setup.callers.admin, setup.callers.ownEnterpriseId, "CERTIFIED", { name: "十八洞村冰糖橙" });
    const productId = gid.product(product.id);
    const listed = await graphql(
      `mutation ($input: ListProductsInput!) { listProducts(input: $input) { products { catalogNo } userErrors { code } } }`,
      { input: { productIds: [productId], batch: "2020年第九批" } },
      "admin",
    );
    expect(listed.listProducts.userErrors).toEqual([]);
    const about = (d: { body: string }) => JSON.parse(d.body).data.productId === productId;
    // Deliveries go out side by side, not in the order of their events (README): found by event.
    const both = await r.waitFor(2, PATIENCE_MS, about);
    const reviewed = both.find((d) => JSON.parse(d.body).event === "PRODUCT_REVIEWED");
    const added = both.find((d) => JSON.parse(d.body).event === "CATALOG_CHANGED");
    expect(JSON.parse(reviewed!.body)).toMatchObject({ event: "PRODUCT_REVIEWED", data: { productId, decision: "APPROVED", status: "CERTIFIED" } });
    expect(JSON.parse(added!.body)).toMatchObject({ event: "CATALOG_CHANGED", data: { productId, kind: "ADDED", catalogNo: listed.listProducts.products[0].catalogNo } });
    for (const d of [reviewed!, added!]) expect(verify(secret, d.body, String(d.headers["x-fupin-signature"]))).toBe(true);
  });

  // Last: it stops the test server's own worker.
  it("gives a claimed but unfinished delivery back on shutdown, and the next server sends it", async () => {
    const slow = await receiver(() => 200, 5_000);
    const { id } = await subscribe(slow.url);
    await setup.app.stop();
    // A replica whose receiver is slower than the shutdown grace (300 ms): the attempt is cut off,
    // given back uncounted and due at once.
    const replica = await createApp(config, setup.database, createLogger("silent"));
    const next = { app: undefined as Awaited<ReturnType<typeof createApp>> | undefined };
    try {
      await announce(1);
      await slow.waitFor(1, PATIENCE_MS);
      await replica.stop();
      const [row] = await setup.database.rows<{ status: string; attempt_count: number; claim_token: string | null }>(
        sql`select status, attempt_count, claim_token from webhook_deliveries where subscription_id = ${fromGlobalIdOf("WebhookSubscription", id)}::uuid`,
      );
      expect(row).toEqual({ status: "PENDING", attempt_count: 0, claim_token: null });
      next.app = await createApp(config, setup.database, createLogger("silent"));
      const [first, again] = await slow.waitFor(2, PATIENCE_MS);
      expect(again!.headers["x-fupin-delivery"]).toBe(first!.headers["x-fupin-delivery"]);
    } finally {
      await replica.stop();
      await next.app?.stop();
    }
  });
});
