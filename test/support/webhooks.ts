import { type IncomingHttpHeaders, type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedDelivery {
  headers: IncomingHttpHeaders;
  /** the raw body, as the signature covers it */
  body: string;
  /** Date.now() when it arrived */
  at: number;
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
 * n-th request (1-based); `delayMs` holds each answer back (to catch concurrent deliveries).
 */
export async function startReceiver(answer: (n: number, delivery: ReceivedDelivery) => number = () => 200, delayMs = 0): Promise<Receiver> {
  const received: ReceivedDelivery[] = [];
  const waiters = new Set<() => void>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const delivery = { headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() };
      received.push(delivery);
      const status = answer(received.length, delivery);
      for (const wake of waiters) wake();
      setTimeout(() => {
        res.writeHead(status, { "content-type": "text/plain" });
        res.end(status < 300 ? "ok" : "not now");
      }, delayMs);
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
