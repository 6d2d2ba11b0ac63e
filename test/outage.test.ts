import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, createApp } from "../src/app.js";
import { parseConfig } from "../src/config.js";
import { type Database, openDatabase } from "../src/db/client.js";
import { createLogger } from "../src/logger.js";
import { useTestServer } from "./support/api.js";

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const CATALOG = `query Catalog { catalog(first: 2) { totalCount nodes { name } } }`;
const LOGIN = `mutation Login($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { token userErrors { code } } }`;

async function post(base: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, retryAfter: response.headers.get("retry-after"), body: (await response.json()) as any };
}

/** Every error SERVICE_UNAVAILABLE, HTTP 503 with Retry-After, no data leaked, no driver text. */
function expectUnavailable(r: { status: number; retryAfter: string | null; body: any }) {
  expect(r.status).toBe(503);
  expect(Number(r.retryAfter)).toBeGreaterThan(0);
  expect(r.body.errors.length).toBeGreaterThan(0);
  for (const e of r.body.errors) {
    expect(e.extensions.code).toBe("SERVICE_UNAVAILABLE");
    expect(e.extensions.retryAfterSeconds).toBe(Number(r.retryAfter));
    expect(e.message).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|postgres/i);
  }
}

// The same on PGlite and PostgreSQL runs: the unreachable server is a PostgreSQL URL on a closed port.
describe("an unreachable database: SERVICE_UNAVAILABLE with HTTP 503 and Retry-After, never a masked error", () => {
  let database: Database;
  const apps: App[] = [];
  const bases: string[] = [];

  beforeAll(async () => {
    database = await openDatabase({ url: `postgres://postgres@127.0.0.1:${await closedPort()}/nowhere`, poolSize: 2 });
    const logger = createLogger("silent");
    // One server without the anonymous budget (its requests reach Apollo), one with it (refused before Apollo).
    for (const limit of ["0", "120"]) {
      // No response cache: it would listen for invalidations on a connection of its own at start.
      const config = parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", RATE_LIMIT_ANONYMOUS_PER_MINUTE: limit, RESPONSE_CACHE_ENTRIES: "0" });
      const app = await createApp(config, database, logger);
      apps.push(app);
      bases.push(`http://127.0.0.1:${await app.listen(0, "127.0.0.1")}`);
    }
  });

  afterAll(async () => {
    for (const app of apps) await app.stop();
    await database?.close();
  });

  it("/readyz answers 503 with Retry-After, /healthz 200", async () => {
    const ready = await fetch(`${bases[0]}/readyz`);
    expect(ready.status).toBe(503);
    expect(Number(ready.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await ready.json()).toEqual({ status: "unavailable", database: "postgres" });
    expect((await fetch(`${bases[0]}/healthz`)).status).toBe(200);
  });

  it("a query gets 503 (its resolvers met the outage)", async () => {
    const r = await post(bases[0]!, CATALOG);
    expectUnavailable(r);
    expect(r.body.data ?? null).toBeNull();
  });

  it("a mutation gets 503", async () => {
    expectUnavailable(await post(bases[0]!, LOGIN, { u: "admin", p: "whatever-password" }));
  });

  it("a request refused before Apollo (its rate budget or API key could not be read) gets 503", async () => {
    expectUnavailable(await post(bases[1]!, CATALOG));
    expectUnavailable(await post(bases[0]!, CATALOG, {}, { "x-api-key": "fpk_0123456789abcdef0123456789abcdef" }));
  });

  it("a GET query gets 503 too", async () => {
    const response = await fetch(`${bases[0]}/graphql?query=${encodeURIComponent(CATALOG)}`, { headers: { "apollo-require-preflight": "true" } });
    expectUnavailable({ status: response.status, retryAfter: response.headers.get("retry-after"), body: await response.json() });
  });
});

describe("a reachable database", () => {
  const setup = useTestServer({ callers: false });

  it("/readyz answers 200 and queries 200", async () => {
    const ready = await fetch(`${setup.base}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.headers.get("retry-after")).toBeNull();
    const r = await post(setup.base, CATALOG);
    expect(r.status).toBe(200);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.catalog.totalCount).toBeGreaterThan(0);
  });
});
