import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalogRows } from "./support/catalog-expectations.js";
import { type TestDatabase, onPostgres, openTestDatabase } from "./support/database.js";
import { type ServerProcess, startServerProcess } from "./support/server-process.js";
import { projectRoot } from "../src/project-root.js";
import { SERVER_NODE_FLAGS, ensureServerBuilt, serverEntry } from "../src/server-build.js";

let server: ServerProcess;
let dataDir: string | undefined;
let tdb: TestDatabase | undefined;

beforeAll(async () => {
  const env: Record<string, string> = { NODE_ENV: "development", LOG_LEVEL: "info" };
  if (onPostgres) {
    // An empty, migrated database of its own: start-up must seed it.
    tdb = await openTestDatabase({ seed: false });
    env.DATABASE_URL = tdb.url!;
  } else {
    dataDir = await mkdtemp(join(tmpdir(), "fupin-start-"));
    env.DATA_DIR = dataDir;
  }
  server = await startServerProcess(env);
});

afterAll(async () => {
  if (server && server.child.exitCode === null) server.child.kill("SIGKILL");
  await tdb?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("npm start on an empty database", () => {
  it("migrates, loads the demo seed and answers a catalog query", async () => {
    const response = await fetch(`${server.baseUrl}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "query Count { catalog { totalCount } }" }),
    });
    const body = (await response.json()) as any;
    expect(body.data.catalog.totalCount).toBe(catalogRows.length);
    expect(server.lines.some((l) => l.includes("loaded the Xiangxi demo seed"))).toBe(true);
  });

  it("logs one JSON line per request without variable values", async () => {
    await fetch(`${server.baseUrl}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "log-check-0001" },
      body: JSON.stringify({ query: "query SearchLily($s: String) { catalog(filter: {search: $s}) { totalCount } }", variables: { s: "龙山百合干" } }),
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const line = server.lines.find((l) => l.includes("log-check-0001"));
    expect(line).toBeDefined();
    const entry = JSON.parse(line!);
    expect(entry).toMatchObject({ correlationId: "log-check-0001", operationName: "SearchLily", status: 200, errors: 0 });
    expect(entry.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof entry.durationMs).toBe("number");
    expect(entry.sqlStatements).toBeGreaterThan(0);
    expect(server.lines.join("\n")).not.toContain("龙山百合干");
  });

  it("finishes an in-flight request on SIGTERM, then exits 0", async () => {
    // A request whose body is still arriving is in flight for certain when the signal lands.
    const body = JSON.stringify({ query: "{ catalog(first: 100) { totalCount nodes { name enterprise { name } } } }" });
    const url = new URL(`${server.baseUrl}/graphql`);
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        { host: url.hostname, port: url.port, path: url.pathname, method: "POST", headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
        (res) => {
          let text = "";
          res.on("data", (c: Buffer) => (text += c.toString("utf8")));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on("error", reject);
      req.write(body.slice(0, 10));
      setTimeout(() => {
        server.child.kill("SIGTERM");
        setTimeout(() => req.end(body.slice(10)), 300);
      }, 100);
    });
    const { status, text } = await response;
    expect({ status, text: status === 200 ? "" : text }).toEqual({ status: 200, text: "" });
    expect(JSON.parse(text).data.catalog.totalCount).toBe(catalogRows.length);
    expect(await server.exited).toBe(0);
    expect(server.lines.some((l) => l.includes('"msg":"stopped"'))).toBe(true);
    await expect(fetch(`${server.baseUrl}/healthz`)).rejects.toThrow();
  });
});

describe("npm start's command", () => {
  it("runs the build step, then the built server with the flags the tests and benches use", () => {
    const start = (JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.start;
    expect(start).toBe(`tsx src/start-build.cli.ts && node ${SERVER_NODE_FLAGS.join(" ")} ${serverEntry.slice(projectRoot.length + 1)}`);
  });

  it("finds its build current (the tests' global setup made it from these sources) and holds plain JavaScript", async () => {
    expect(await ensureServerBuilt()).toBe(false);
    const main = readFileSync(serverEntry, "utf8");
    expect(main).toContain('import "reflect-metadata"');
    expect(readFileSync(join(projectRoot, "src/main.ts"), "utf8")).toContain("async function main(): Promise<void>");
    expect(main).toContain("async function main() {"); // its types stripped
  });
});
