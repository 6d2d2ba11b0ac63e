import { type Server, createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { WebhookSender } from "../src/modules/webhooks/index.js";
import { startReceiver } from "./support/webhooks.js";

/**
 * The sender keeps connections to a receiver alive and reuses them (issue 12, Performance), without
 * giving up the SSRF guard (every new connection's address is looked up and checked) and without
 * losing an attempt to the race where the receiver closes an idle connection just as a request goes
 * out on it. The receiver here is a real HTTP server on 127.0.0.1; the resolver stands in for DNS.
 */

interface Counted {
  url: (host?: string) => string;
  /** requests per connection, in the order the connections were made */
  perConnection: number[];
  close(): Promise<void>;
}

/** A receiver that answers 200; `drop(n)` says whether to close the connection instead of answering its n-th request. */
async function receiver(drop: (nth: number) => boolean = () => false): Promise<Counted> {
  const perConnection: number[] = [];
  const index = new WeakMap<Socket, number>();
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const i = index.get(req.socket)!;
      perConnection[i]! += 1;
      if (drop(perConnection[i]!)) req.socket.destroy();
      else res.end("ok");
    });
  });
  server.on("connection", (socket: Socket) => {
    index.set(socket, perConnection.length);
    perConnection.push(0);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (host = "127.0.0.1") => `http://${host}:${port}/hook`,
    perConnection,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const opened: { close(): unknown }[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((o) => o.close()));
});

const body = { body: "{}", headers: {} };

describe("webhook connections", () => {
  it("reuses a kept-alive connection, and checks the address of every new one", async () => {
    const r = await receiver();
    opened.push(r);
    const lookups: string[] = [];
    const sender = new WebhookSender({ allowPrivate: true }, 2_000, async (host) => {
      lookups.push(host);
      return [{ address: "127.0.0.1", family: 4 }];
    });
    opened.push(sender);
    for (let i = 0; i < 3; i++) expect(await sender.send({ url: r.url("hooks.partner.test"), ...body })).toMatchObject({ ok: true, statusCode: 200 });
    expect(r.perConnection).toEqual([3]);
    expect(lookups).toEqual(["hooks.partner.test"]);
    // Sent at once, more connections are made: each one looked up (and checked) on its own.
    const outcomes = await Promise.all([0, 1, 2].map(() => sender.send({ url: r.url("hooks.partner.test"), ...body })));
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(r.perConnection.length).toBe(3);
    expect(lookups).toHaveLength(3);
  });

  it("sends again on a new connection when the receiver closed the kept-alive one as the request went out", async () => {
    // The receiver drops the second request of every connection without an answer (an idle connection it closed).
    const r = await receiver((nth) => nth === 2);
    opened.push(r);
    const sender = new WebhookSender({ allowPrivate: true }, 2_000);
    opened.push(sender);
    expect(await sender.send({ url: r.url(), ...body })).toMatchObject({ ok: true, statusCode: 200 });
    expect(await sender.send({ url: r.url(), ...body })).toMatchObject({ ok: true, statusCode: 200, error: null });
    // The second attempt went out on the first connection, was dropped, and was sent again on a new one.
    expect(r.perConnection).toEqual([2, 1]);
  });

  it("does not send again when a new connection fails: the attempt failed", async () => {
    const r = await receiver(() => true);
    opened.push(r);
    const sender = new WebhookSender({ allowPrivate: true }, 2_000);
    opened.push(sender);
    expect(await sender.send({ url: r.url(), ...body })).toMatchObject({ ok: false, statusCode: null, error: "connection reset" });
    expect(r.perConnection).toEqual([1]);
  });

  it("gives up an attempt whose receiver has not answered within the timeout, and says so", async () => {
    // The receiver holds every answer back 3 s; the attempt's limit is 300 ms.
    const slow = await startReceiver(() => 200, 3_000);
    opened.push(slow);
    const sender = new WebhookSender({ allowPrivate: true }, 300);
    opened.push(sender);
    const started = Date.now();
    const outcome = await sender.send({ url: slow.url, ...body });
    expect(outcome).toMatchObject({ ok: false, statusCode: null, error: "timed out after 300 ms" });
    // Not given up early: libuv schedules timers from the loop's cached millisecond clock, so the
    // 300 ms can read as 299 on Date.now() (seen on CI) — never less.
    expect(outcome.durationMs).toBeGreaterThanOrEqual(299);
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(slow.received).toHaveLength(1); // it was sent, once, and not again
  });
});
