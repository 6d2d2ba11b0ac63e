/**
 * npm run bench:catalog-cpu — CPU time per catalog request, in-process, far less noisy than req/s
 * on a shared machine: each side is a child process running the API's Apollo server and services
 * (no HTTP: `executeHTTPGraphQLRequest` as src/http/server.ts calls it, with a fresh request context,
 * the body serialised as the server sends it) against one PostgreSQL database; the parent runs
 * blocks of requests on the sides in turn (A B A B …) and reports `process.cpuUsage()` per request
 * (user + system: graphql, drizzle, postgres.js parsing, GC) and the heap after each block.
 * CPU_PROFILE=1: a V8 CPU profile of the head side's measured blocks only, into bench/.profiles
 * (summarise it with `npx tsx bench/profile-summary.ts <file>`).
 *
 * Sides: "head" (this tree) and, with CPU_BASELINE=<commit>, that commit's tree (bench/.baseline).
 * Env: BENCH_DATABASE_URL (admin URL), CPU_BLOCKS (default 6), CPU_REQUESTS (per block, default 1000),
 *      CPU_CONCURRENCY (requests in flight, default 10), CPU_QUERY (catalog | partner, default catalog),
 *      CPU_NODE_FLAGS (V8 flags of the sides, default as `npm start`), CPU_BASELINE_NODE_FLAGS (the
 *      baseline side's; CPU_BASELINE=. runs this tree as the baseline), CPU_GRAPHQL_JIT (default true;
 *      a tree without the setting ignores it), CPU_COMPILED_READS (default true: the path src/http/server.ts
 *      takes, a compiled read where it covers the query; a tree without them ignores it), CPU_PROFILE=1.
 * The database (demo seed + the catalog bench's 10,000 products) is made once and kept as
 * `fupin_bench_cpu` (CPU_DROP=1 drops it at the end).
 */
import "reflect-metadata";
import { type ChildProcess, fork } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import postgres from "postgres";
import { SERVER_NODE_FLAGS } from "../src/server-build.js";
import { baselineTree } from "./support.js";
import { CATALOG_QUERIES, type CatalogQueryName } from "./catalog-queries.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const ADMIN_URL = process.env.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const DATABASE = "fupin_bench_cpu";
const SCALE = { enterprises: 1000, products: 10000, seed: 42 };

interface BlockReport {
  cpuMicros: number;
  wallMs: number;
  requests: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
  rssMb: number;
}

function post(session: Session, method: string, params?: object): Promise<unknown> {
  return new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
}

function databaseUrl(): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${DATABASE}`;
  return url.toString();
}

// ── child: one side ────────────────────────────────────────────────────────────

async function child(tree: string, query: CatalogQueryName): Promise<void> {
  const load = (file: string) => import(pathToFileURL(path.join(tree, file)).href);
  const { parseConfig } = await load("src/config.ts");
  const { openDatabase } = await load("src/db/client.ts");
  const { createApolloServer } = await load("src/graphql/apollo.ts");
  const app = await load("src/app.ts");
  const { apiSchema, contextFactory, createServices } = app;
  const { createRequestContext } = await load("src/graphql/context.ts");
  const { createLogger } = await load("src/logger.ts");
  const { withStatementTally } = await load("src/db/statement-tally.ts");
  const { HeaderMap } = await import("@apollo/server");

  const config = parseConfig({ NODE_ENV: "production", LOG_LEVEL: "silent", JWT_SECRET: "x".repeat(64), ID_HASH_KEY: "y".repeat(64), ADMIN_USERNAME: "bench_admin", ADMIN_PASSWORD: "z".repeat(24), DATABASE_URL: databaseUrl(), GRAPHQL_JIT: process.env.CPU_GRAPHQL_JIT ?? "true", COMPILED_READS: process.env.CPU_COMPILED_READS ?? "true" });
  const database = await openDatabase({ url: databaseUrl(), poolSize: 10 });
  const apollo = createApolloServer(await apiSchema(), config);
  await apollo.start();
  const contexts = contextFactory(createServices(database, config));
  const logger = createLogger("silent");
  const body = { query: CATALOG_QUERIES[query], operationName: "Catalog" };
  const headers = new HeaderMap([["content-type", "application/json"]]);
  let firstAnswer: string | undefined;

  // The path src/http/server.ts takes: a compiled read first when the tree has them and they are on.
  const compiledReads = config.COMPILED_READS && app.createCompiledReads ? await app.createCompiledReads(config) : undefined;
  const once = async (count: boolean) => {
    const context = createRequestContext(contexts, logger, { clientAddress: "127.0.0.1" });
    const run = async () => {
      const compiled = await compiledReads?.answer(context, body);
      if (compiled !== undefined) return { status: 200, body: { kind: "complete", string: compiled } };
      return apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest: { method: "POST", headers, search: "", body }, context: async () => context });
    };
    const result = count ? await withStatementTally(context.tally, run) : await run();
    if (result.body.kind !== "complete") throw new Error("unexpected incremental response");
    firstAnswer ??= result.body.string;
    if (result.status !== undefined && result.status !== 200) throw new Error(`HTTP ${result.status}: ${result.body.string.slice(0, 300)}`);
    return context.tally.count as number;
  };
  // Statements are counted only at the end: the tally's AsyncLocalStorage installs promise hooks
  // for the rest of the process (a cost `npm start` does not pay at LOG_LEVEL=warn).
  await once(false);
  const answer = JSON.parse(firstAnswer!);
  if (answer.errors) throw new Error(`query failed: ${JSON.stringify(answer.errors).slice(0, 500)}`);
  const profiler = new Session();

  process.on("message", async (message: { kind: string; requests: number; concurrency: number; profile?: string }) => {
    if (message.kind === "answer") {
      process.send!({ kind: "answer", answer, statements: await once(true) });
      return;
    }
    if (message.kind === "profile-start") {
      profiler.connect();
      await post(profiler, "Profiler.enable");
      await post(profiler, "Profiler.setSamplingInterval", { interval: 200 });
      await post(profiler, "Profiler.start");
      process.send!({ kind: "profiling" });
      return;
    }
    if (message.kind === "profile-stop") {
      const { profile } = (await post(profiler, "Profiler.stop")) as { profile: unknown };
      mkdirSync(path.dirname(message.profile!), { recursive: true });
      writeFileSync(message.profile!, JSON.stringify(profile));
      process.send!({ kind: "profiled" });
      return;
    }
    if (message.kind === "stop") {
      await apollo.stop();
      await database.close();
      process.exit(0);
    }
    let next = 0;
    const startCpu = process.cpuUsage();
    const started = performance.now();
    const worker = async () => {
      while (next < message.requests) {
        next += 1;
        await once(false);
      }
    };
    await Promise.all(Array.from({ length: message.concurrency }, worker));
    const cpu = process.cpuUsage(startCpu);
    const report: BlockReport = {
      cpuMicros: cpu.user + cpu.system,
      wallMs: performance.now() - started,
      requests: message.requests,
      heapUsedMb: process.memoryUsage().heapUsed / 2 ** 20,
      heapTotalMb: process.memoryUsage().heapTotal / 2 ** 20,
      externalMb: process.memoryUsage().external / 2 ** 20,
      rssMb: process.memoryUsage().rss / 2 ** 20,
    };
    process.send!({ kind: "block", report });
  });
  process.send!({ kind: "ready" });
}

// ── parent ─────────────────────────────────────────────────────────────────────

async function ensureDatabase(): Promise<void> {
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    const exists = await admin`select 1 from pg_database where datname = ${DATABASE}`;
    if (exists.length > 0) return;
    await admin.unsafe(`create database ${DATABASE}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const { openDatabase } = await import("../src/db/client.js");
  const { seedDemoData } = await import("../seeds/seed.js");
  const { seedScaleCatalog } = await import("../seeds/scale-catalog.js");
  const database = await openDatabase({ url: databaseUrl(), poolSize: 4 });
  await database.migrate();
  await seedDemoData(database);
  await seedScaleCatalog(database, SCALE);
  await database.close();
}

interface Side {
  label: string;
  process: ChildProcess;
  blocks: BlockReport[];
}

function request<T>(side: Side, message: object, kind: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: { kind: string; report?: T }) => {
      if (reply.kind !== kind) return;
      side.process.off("message", onMessage);
      side.process.off("exit", onExit);
      resolve((reply.report ?? reply) as T);
    };
    const onExit = (code: number | null) => reject(new Error(`${side.label} exited (${code})`));
    side.process.on("message", onMessage);
    side.process.once("exit", onExit);
    if (Object.keys(message).length > 0) side.process.send(message);
  });
}

function startSide(label: string, tree: string, query: CatalogQueryName, flags: string[]): Promise<Side> {
  const proc = fork(fileURLToPath(import.meta.url), ["child", tree, query], {
    env: { ...process.env, NODE_ENV: "production" },
    cwd: tree,
    execArgv: [...flags, "--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const side: Side = { label, process: proc, blocks: [] };
  return request<unknown>(side, {}, "ready").then(() => side);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function parent(): Promise<void> {
  const blocks = Number(process.env.CPU_BLOCKS ?? 6);
  const requests = Number(process.env.CPU_REQUESTS ?? 1000);
  const concurrency = Number(process.env.CPU_CONCURRENCY ?? 10);
  const query = (process.env.CPU_QUERY ?? "catalog") as CatalogQueryName;
  if (!(query in CATALOG_QUERIES)) throw new Error(`CPU_QUERY must be one of ${Object.keys(CATALOG_QUERIES).join(", ")}`);
  const flags = (process.env.CPU_NODE_FLAGS ?? SERVER_NODE_FLAGS.join(" ")).split(/\s+/).filter(Boolean);
  await ensureDatabase();
  const sides: Side[] = [];
  const baseline = process.env.CPU_BASELINE;
  // CPU_BASELINE=. with CPU_BASELINE_NODE_FLAGS: this tree under other V8 flags (e.g. a smaller young generation).
  const baselineFlags = process.env.CPU_BASELINE_NODE_FLAGS?.split(/\s+/).filter(Boolean) ?? flags;
  if (baseline) sides.push(await startSide(`baseline ${baseline} ${baselineFlags.join(" ")}`, baseline === "." ? ROOT : baselineTree(baseline), query, baselineFlags));
  sides.push(await startSide("head", ROOT, query, flags));
  const head = sides[sides.length - 1]!;
  console.log(`[cpu] ${query}: ${blocks} blocks × ${requests} requests, ${concurrency} in flight, flags ${flags.join(" ")}; load average ${os.loadavg()[0]!.toFixed(2)}`);
  // one warm-up block each, then the measured blocks in turn
  for (const side of sides) await request<BlockReport>(side, { kind: "block", requests: Math.min(requests, 500), concurrency }, "block");
  const profile = process.env.CPU_PROFILE ? path.join(ROOT, "bench", ".profiles", `catalog-${query}-${Date.now()}.cpuprofile`) : undefined;
  if (profile) await request(head, { kind: "profile-start" }, "profiling");
  for (let i = 0; i < blocks; i++) {
    for (const side of sides) {
      const report = await request<BlockReport>(side, { kind: "block", requests, concurrency }, "block");
      side.blocks.push(report);
      console.log(
        `[cpu] block ${i + 1} ${side.label}: ${(report.cpuMicros / report.requests).toFixed(0)} µs CPU/request, ` +
          `${((report.requests / report.wallMs) * 1000).toFixed(0)} req/s, heap ${report.heapUsedMb.toFixed(0)}/${report.heapTotalMb.toFixed(0)} MB, external ${report.externalMb.toFixed(0)} MB, rss ${report.rssMb.toFixed(0)} MB`,
      );
    }
  }
  if (profile) {
    await request(head, { kind: "profile-stop", profile }, "profiled");
    console.log(`[cpu] profile of the head side's measured blocks: ${profile}`);
  }
  const answers = await Promise.all(sides.map((side) => request<{ answer: unknown; statements: number }>(side, { kind: "answer" }, "answer")));
  if (answers.length === 2) console.log(`[cpu] answers of the sides ${JSON.stringify(answers[0]!.answer) === JSON.stringify(answers[1]!.answer) ? "are identical" : "DIFFER"}`);
  const perRequest = (side: Side) => median(side.blocks.map((b) => b.cpuMicros / b.requests));
  for (const side of sides) {
    console.log(
      `[cpu] ${side.label}: median ${perRequest(side).toFixed(0)} µs CPU/request, ${answers[sides.indexOf(side)]!.statements} SQL statements/request, ` +
        `rss ${Math.max(...side.blocks.map((b) => b.rssMb)).toFixed(0)} MB`,
    );
  }
  if (sides.length === 2) console.log(`[cpu] head ÷ baseline CPU/request: ${(perRequest(sides[1]!) / perRequest(sides[0]!)).toFixed(3)}; load average ${os.loadavg()[0]!.toFixed(2)}`);
  for (const side of sides) side.process.send({ kind: "stop" });
  await Promise.all(sides.map((side) => new Promise((resolve) => side.process.once("exit", resolve))));
  if (process.env.CPU_DROP) {
    const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${DATABASE} with (force)`);
    await admin.end({ timeout: 5 });
  }
}

if (process.argv[2] === "child") await child(process.argv[3]!, process.argv[4] as CatalogQueryName);
else await parent();
