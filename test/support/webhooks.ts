import { type IncomingHttpHeaders, type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import type { Command } from "../../src/actor.js";
import type { Database } from "../../src/db/client.js";
import type { Services } from "../../src/graphql/context.js";
import { type WebhookEventSource, WebhookQueue, type WebhookSourceEvent } from "../../src/modules/webhooks/index.js";
import type { Callers } from "./actors.js";

export interface ReceivedDelivery {
  headers: IncomingHttpHeaders;
  /** the raw body, as the signature covers it */
  body: string;
  /** Date.now() when it arrived */
  at: number;
  /** Date.now() when the answer was sent (undefined until then) */
  answeredAt?: number;
}

export interface Receiver {
  /** http://127.0.0.1:<port>/hook */
  url: string;
  received: ReceivedDelivery[];
  /** waits until `count` deliveries (matching `which`, if given) have arrived */
  waitFor(count: number, timeoutMs?: number, which?: (d: ReceivedDelivery) => boolean): Promise<ReceivedDelivery[]>;
  close(): Promise<void>;
}

/**
 * A webhook receiver on 127.0.0.1: records every POST and answers the status `answer` gives for the
 * n-th request (1-based); `delay` holds each answer back: a number of ms (to catch concurrent
 * deliveries), or a promise to wait for (to answer several at one moment).
 */
export async function startReceiver(
  answer: (n: number, delivery: ReceivedDelivery) => number = () => 200,
  delay: number | Promise<unknown> = 0,
): Promise<Receiver> {
  const received: ReceivedDelivery[] = [];
  const waiters = new Set<() => void>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const delivery: ReceivedDelivery = { headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() };
      received.push(delivery);
      const status = answer(received.length, delivery);
      for (const wake of waiters) wake();
      const respond = () => {
        delivery.answeredAt = Date.now();
        res.writeHead(status, { "content-type": "text/plain" });
        res.end(status < 300 ? "ok" : "not now");
      };
      if (typeof delay === "number") setTimeout(respond, delay);
      else void delay.then(respond);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    waitFor(count, timeoutMs = 20_000, which = () => true) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const matching = received.filter(which);
          if (matching.length >= count) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(matching);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`receiver: ${received.filter(which).length} of ${count} deliveries after ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port nothing listens on (a dead receiver). */
export async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/hook`;
}

/** The partner caller's Command (its API key's actor), for fixtures made through the services. */
export async function partnerCommand(services: Services, callers: Callers): Promise<Command> {
  const { actor } = await services.apiKeys.actorForKey(callers.credentials.partner.apiKey!);
  return { actor, requestId: "test-fixture" };
}

/** A subscription of the partner's key to every event (at a public address: no delivery is attempted). */
export async function partnerSubscription(services: Services, callers: Callers, url = "https://93.184.215.14/hook"): Promise<string> {
  const { subscription } = await services.webhooks.createSubscription(await partnerCommand(services, callers), {
    url,
    events: ["CATALOG_CHANGED", "ORDER_CHANGED", "PRODUCT_REVIEWED"],
  });
  return subscription.id;
}

let synthetic = 0;

/**
 * A PENDING delivery of a subscription: one event fanned out by the worker's own fan-out step, read
 * from a one-event source standing in for the outbox. Returns the delivery's local id.
 */
export async function pendingDelivery(database: Database, subscriptionId: string): Promise<string> {
  const queue = new WebhookQueue(database);
  await queue.prepare();
  const event: WebhookSourceEvent = { id: `fixture-${Date.now()}-${synthetic++}`, event: "CATALOG_CHANGED", occurredAt: new Date(), data: { kind: "ADDED" } };
  const source: WebhookEventSource = { eventsAfter: async (_tx, position) => ({ events: [event], position }) };
  await queue.fanOut(source, 1);
  const [row] = await database.rows<{ id: string }>(sql`select id from webhook_deliveries where subscription_id = ${subscriptionId}::uuid and event_id = ${event.id}`);
  return row!.id;
}
