import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, createApp } from "../src/app.js";
import { parseConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import { type TestDatabase, openTestDatabase } from "./support/database.js";

let tdb: TestDatabase;

beforeAll(async () => {
  tdb = await openTestDatabase({ seed: false });
});

afterAll(async () => {
  await tdb?.drop();
});

describe("graceful shutdown", () => {
  it("does not wait out the grace period for a client that hung up mid-request", async () => {
    // A 60 s grace period: a stop that waits for the abandoned request would take a minute.
    const app: App = await createApp(parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", SHUTDOWN_GRACE_MS: "60000" }), tdb.database, createLogger("silent"));
    const port = await app.listen(0, "127.0.0.1");
    const socket = connect(port, "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    socket.write("POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"query\":");
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.destroy(); // hangs up with the body half sent
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await app.stop();
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
