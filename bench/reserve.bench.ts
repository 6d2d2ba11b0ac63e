/**
 * npm run bench:reserve — reservations of one hot product through the real GraphQL API (4 server
 * processes on one PostgreSQL) versus a hand-written postgres.js transaction doing the same
 * conditional supply update + order insert (+ audit row), at the same concurrency, in the same run.
 *
 * Env: BENCH_DATABASE_URL (admin URL, default postgres://postgres@127.0.0.1:5432/postgres),
 *      BENCH_SECONDS (per measured run, default 15), BENCH_CONNECTIONS (concurrent clients, default 100),
 *      BENCH_LOG_LEVEL (the API's, default warn), BENCH_RAW_AUDIT ("0" leaves the audit row out of the
 *      raw transaction; default: included, as the service writes one),
 *      BENCH_RAW_PREPARE ("0" sends the raw statements unnamed, as drizzle does inside transactions;
 *      default: named prepared statements), BENCH_RESULTS ("0": print only, leave RESULTS.md alone),
 *      BENCH_CPU_PROF_DIR (if set, API process 1 runs under the inspector's CPU profiler and writes
 *      api-1-<pid>.cpuprofile there on exit; such a run leaves RESULTS.md alone, the profiler skews it).
 * Writes the "## Reservations" section of bench/RESULTS.md and prints the same. Exits non-zero on failure
 * (failed requests or transactions, oversold units, negative supply).
 */
import "reflect-metadata";
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import autocannon, { type Options as AutocannonOptions } from "autocannon";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { seedDemoAccounts } from "../seeds/accounts.js";
import { BUDGET_UNIT, demoOfficers, seedBudgetUnits } from "../seeds/budget-units.js";
import { E } from "../seeds/demo.js";
import { seedDemoData } from "../seeds/seed.js";
import { parseConfig } from "../src/config.js";
import { type Database, openDatabase } from "../src/db/client.js";
import { createServices } from "../src/app.js";
import type { Services } from "../src/graphql/context.js";
import { toGlobalId } from "../src/graphql/global-id.js";
import type { Command } from "../src/actor.js";
import { actorOf } from "../src/modules/accounts/index.js";
import type { ProductRow } from "../src/modules/catalog/index.js";
import type { RawReserveResult } from "./raw-reserve.js";
import { type ChildServer, freePort, mean, onCleanup, percentile, startServer, writeSection, runBench } from "./support.js";

const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? "warn";
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const RESULTS_FILE = fileURLToPath(new URL("./RESULTS.md", import.meta.url));

const ADMIN_URL = process.env.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const SECONDS = Number(process.env.BENCH_SECONDS || 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 100);
const RAW_AUDIT = process.env.BENCH_RAW_AUDIT !== "0";
const RAW_PREPARE = process.env.BENCH_RAW_PREPARE !== "0";
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF_DIR;
const WRITE_RESULTS = process.env.BENCH_RESULTS !== "0" && !CPU_PROF_DIR;
const SERVERS = 4;
const POOL_SIZE = 10;
/** The raw client gets as many connections as the API processes together. */
const RAW_POOL_SIZE = SERVERS * POOL_SIZE;
const WARMUP_SECONDS = 3;
const ROUNDS = 2;
const SUPPLY = 10_000_000;
const TARGET_RATIO = 0.5;
const ADMIN_PASSWORD = "xiangxi-admin-2020";
const OFFICER = demoOfficers.find((o) => o.username === "caizheng_officer")!;

const RESERVE =
  "mutation Reserve($input: ReservePurchaseInput!) { reservePurchase(input: $input) { order { id quantity status } userErrors { code message } } }";
const LOGIN = "mutation Login($input: LoginInput!) { login(input: $input) { token userErrors { code message } } }";

function log(message: string): void {
  console.log(`[bench] ${message}`);
}

/** A successful reservation: an order and no user errors (a userErrors entry is not a success). */
function isReserved(body: string): boolean {
  return body.includes('"order":{"id":') && body.includes('"userErrors":[]') && !body.includes('"errors"');
}

interface SideResult {
  label: "raw" | "graphql";
  round: number | "warm-up";
  reservations: number;
  reservationsPerSec: number;
  p50: number;
  p99: number;
  /** failed transactions (raw) or responses that were not a reservation (graphql): non-2xx, errors, userErrors */
  failed: number;
  non2xx: number;
  /** socket errors + timeouts (graphql) */
  errors: number;
  /** orders the database gained during the run, counted after it settled */
  dbOrders: number;
}

async function postGraphql(url: string, query: string, variables: Record<string, unknown>, authorization?: string): Promise<any> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  try {
    return { status: res.status, ...JSON.parse(text) };
  } catch {
    throw new Error(`${url}: HTTP ${res.status}, not JSON: ${text.slice(0, 300)}`);
  }
}

/** A LISTED product of the demo enterprise with `SUPPLY` units, made through the services as the tests do. */
async function hotProduct(services: Services, admin: Command, name: string): Promise<ProductRow> {
  let product = await services.products.createProduct(admin, E.shibadongFruit, {
    name,
    brand: "十八洞",
    category: "FRUIT",
    spec: "12个/箱",
    unit: "箱",
    unitPrice: "88.00",
    originCountyCode: "433124",
    originVillageCode: "433124103201",
    annualSupplyCapacity: SUPPLY,
    availableSupply: SUPPLY,
    description: "压测热门商品",
    imageUrls: [],
  });
  product = await services.certification.submit(admin, product.id);
  product = await services.certification.review(admin, product.id, "APPROVE", null);
  [product] = (await services.certification.list(admin, [product.id], "压测批次")) as [ProductRow];
  if (product.status !== "LISTED" || product.availableSupply !== SUPPLY) throw new Error(`hot product not LISTED with ${SUPPLY} units: ${product.status}`);
  return product;
}

/**
 * `--cpu-prof` is not allowed in NODE_OPTIONS (and startServer fixes the node flags), so the profiled
 * API process preloads this module: the inspector's sampling profiler, written to `dir` on exit.
 * Returns the module's file URL.
 */
function cpuProfilePreload(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "cpu-profile-preload.mjs");
  writeFileSync(
    file,
    [
      'import inspector from "node:inspector";',
      'import { writeFileSync } from "node:fs";',
      "const session = new inspector.Session();",
      "session.connect();",
      'session.post("Profiler.enable");',
      'session.post("Profiler.start");',
      'process.on("exit", () => session.post("Profiler.stop", (error, result) => {',
      `  if (!error) writeFileSync(${JSON.stringify(dir)} + "/api-1-" + process.pid + ".cpuprofile", JSON.stringify(result.profile));`,
      "}));",
      "",
    ].join("\n"),
  );
  return pathToFileURL(file).href;
}

/** The commit the API runs (a dirty tree is marked), so a row in RESULTS.md says which code it measured. */
function gitHead(): string {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "src"], { cwd: ROOT, encoding: "utf8" }).trim() !== "";
    return dirty ? `${head} + uncommitted changes in src/` : head;
  } catch {
    return "unknown";
  }
}

async function main(): Promise<number> {
  if (!Number.isFinite(SECONDS) || SECONDS < 1) throw new Error(`BENCH_SECONDS must be a number ≥ 1 (got ${process.env.BENCH_SECONDS})`);
  if (!Number.isInteger(CONNECTIONS) || CONNECTIONS < SERVERS) throw new Error(`BENCH_CONNECTIONS must be an integer ≥ ${SERVERS} (got ${process.env.BENCH_CONNECTIONS})`);
  if (CONNECTIONS < 100) log(`note: BENCH_CONNECTIONS=${CONNECTIONS} is below the issue's 100 concurrent clients`);
  const startedAt = new Date();
  const loadAtStart = os.loadavg()[0]!;

  // ── database ──
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  onCleanup(async () => {
    await admin.end({ timeout: 5 });
  });
  const [{ version: pgVersion }] = await admin<{ version: string }[]>`select version()`;
  const [settings] = await admin<{ max: number; reserved: number; used: number; sync: string }[]>`
    select current_setting('max_connections')::int as max, current_setting('superuser_reserved_connections')::int as reserved,
           (select count(*)::int from pg_stat_activity where backend_type = 'client backend') as used,
           current_setting('synchronous_commit') as sync`;
  // API pools stay open while the raw client runs: both count, plus this script's two clients.
  const needed = SERVERS * POOL_SIZE + RAW_POOL_SIZE + 3;
  const free = settings!.max - settings!.reserved - settings!.used;
  log(`PostgreSQL max_connections ${settings!.max} (${settings!.reserved} reserved), ${settings!.used} in use; this run needs ${needed}`);
  if (needed > free) throw new Error(`not enough PostgreSQL connections: need ${needed}, ${free} free (max_connections ${settings!.max}); stop other clients first`);

  const name = `fupin_bench_reserve_${randomBytes(6).toString("hex")}`;
  await admin.unsafe(`create database ${name}`);
  onCleanup(async () => {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    log(`dropped database ${name}`);
  });
  const benchUrl = new URL(ADMIN_URL);
  benchUrl.pathname = `/${name}`;
  const url = benchUrl.toString();
  log(`created database ${name}`);

  const database: Database = await openDatabase({ url, poolSize: 2 });
  onCleanup(() => database.close());
  const t = performance.now();
  await database.migrate();
  await seedDemoData(database);
  await seedDemoAccounts(database);
  await seedBudgetUnits(database, true);

  const jwtSecret = randomBytes(32).toString("hex");
  const services = createServices(database, parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", JWT_SECRET: jwtSecret }));
  const { user: adminRow } = await services.accounts.login("admin", ADMIN_PASSWORD, "127.0.0.1", "bench-setup");
  const adminCommand: Command = { actor: actorOf(adminRow), requestId: "bench-setup" };
  const products = {
    graphql: await hotProduct(services, adminCommand, "压测热门猕猴桃 (GraphQL)"),
    raw: await hotProduct(services, adminCommand, "压测热门猕猴桃 (raw)"),
  };
  const [officer] = await database.rows<{ id: string }>(sql`select id from users where username = ${OFFICER.username}`);
  if (!officer) throw new Error(`${OFFICER.username} was not seeded`);
  const [quota] = await database.rows<{ n: number }>(
    sql`select count(*)::int as n from quotas where budget_unit_id = ${BUDGET_UNIT.caizheng} and year = ${new Date().getUTCFullYear()}`,
  );
  if (quota?.n !== 1) throw new Error("the 财政局 budget unit has no quota for this year");
  log(
    `migrated and seeded in ${((performance.now() - t) / 1000).toFixed(1)} s; hot products (LISTED, ${SUPPLY} units each): ` +
      `graphql ${products.graphql.id}, raw ${products.raw.id}`,
  );

  const ordersOf = async (productId: string) =>
    (await database.rows<{ n: number; q: number }>(
      sql`select count(*)::int as n, coalesce(sum(quantity), 0)::int as q from orders where product_id = ${productId} and status <> 'CANCELLED'`,
    ))[0]!;
  /** The order count once it stops moving (in-flight transactions of the last run commit after the clients stop). */
  const settledOrders = async (productId: string) => {
    let last = (await ordersOf(productId)).n;
    for (;;) {
      await new Promise((r) => setTimeout(r, 300));
      const now = (await ordersOf(productId)).n;
      if (now === last) return now;
      last = now;
    }
  };

  // ── servers ──
  const serverEnv: Record<string, string> = {
    DATABASE_URL: url,
    DB_POOL_SIZE: String(POOL_SIZE),
    NODE_ENV: "production",
    LOG_LEVEL,
    JWT_SECRET: jwtSecret,
    ADMIN_USERNAME: "bench_admin",
    ADMIN_PASSWORD: randomBytes(16).toString("hex"),
    // households' ID-number hash key: production refuses to start without one
    ID_HASH_KEY: randomBytes(32).toString("hex"),
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: "0",
    RATE_LIMIT_USER_PER_MINUTE: "0",
  };
  const start = async (i: number) => {
    const env = { ...serverEnv };
    if (i === 0 && CPU_PROF_DIR) env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ""} --import ${cpuProfilePreload(CPU_PROF_DIR)}`.trim();
    return startServer(`api-${i + 1}`, "src/main.ts", await freePort(), env, ROOT);
  };
  // The first process alone, then the others together: start-up's ensureAdmin is a select-then-insert,
  // and replicas creating ADMIN_USERNAME at the same moment fail with "username taken" (exit 1).
  const first = await start(0);
  const servers: ChildServer[] = [first, ...(await Promise.all(Array.from({ length: SERVERS - 1 }, (_, i) => start(i + 1))))];
  log(`API processes: ${servers.map((s) => `pid ${s.pid} at ${s.baseUrl}`).join(", ")}`);
  // Registered last, so it runs first: stop the processes together (each stop() is a no-op afterwards).
  onCleanup(async () => {
    const t0 = performance.now();
    const times = await Promise.all(
      servers.map(async (s) => {
        await s.stop();
        return performance.now() - t0;
      }),
    );
    const slow = times.some((ms) => ms > 3000);
    log(`API processes stopped after ${times.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(", ")}`);
    if (slow) {
      log(`(SHUTDOWN_GRACE_MS is 10 s by default: a stop that takes that long means the server waited out its grace period)`);
      for (const s of servers) if (s.output.length > 0) log(`${s.name} last output:\n${s.output.slice(-4).join("\n")}`);
    }
  });

  // ── log in once; every process accepts the token (shared JWT secret) ──
  const login = await postGraphql(`${servers[0]!.baseUrl}/graphql`, LOGIN, { input: { username: OFFICER.username, password: OFFICER.password } });
  const token: string | undefined = login.data?.login?.token;
  if (!token) throw new Error(`officer login failed: ${JSON.stringify(login).slice(0, 500)}`);
  const authorization = `Bearer ${token}`;
  const reserveInput = (key: string) => ({
    input: {
      budgetUnitId: toGlobalId("BudgetUnit", BUDGET_UNIT.caizheng),
      productId: toGlobalId("Product", products.graphql.id),
      quantity: 1,
      idempotencyKey: key,
      channel: "CANTEEN",
    },
  });
  for (const [i, server] of servers.entries()) {
    const r = await postGraphql(`${server.baseUrl}/graphql`, RESERVE, reserveInput(`bench-check-${i}-${randomBytes(4).toString("hex")}`), authorization);
    if (r.status !== 200 || r.errors || !r.data?.reservePurchase?.order || r.data.reservePurchase.userErrors.length > 0) {
      throw new Error(`${server.name}: a single reservation failed: ${JSON.stringify(r).slice(0, 500)}`);
    }
  }
  log(`officer ${OFFICER.username} logged in; one reservation through each API process succeeded`);

  // ── the two sides ──
  const perServer = Array.from({ length: SERVERS }, (_, i) => Math.floor(CONNECTIONS / SERVERS) + (i < CONNECTIONS % SERVERS ? 1 : 0));
  const badBodies: string[] = [];

  async function runGraphql(round: SideResult["round"], seconds: number): Promise<SideResult> {
    const before = (await ordersOf(products.graphql.id)).n;
    const latencies: number[] = [];
    let reservations = 0;
    let failed = 0;
    const tag = `gq-${round === "warm-up" ? "w" : round}-${randomBytes(3).toString("hex")}`;
    const runs = servers.map((server, i) => {
      const options: AutocannonOptions & { idReplacement: boolean } = {
        url: `${server.baseUrl}/graphql`,
        method: "POST",
        headers: { "content-type": "application/json", authorization },
        // autocannon replaces [<id>] with a fresh id for every request: each request has its own key.
        body: JSON.stringify({ query: RESERVE, operationName: "Reserve", variables: reserveInput(`${tag}-s${i}-[<id>]`) }),
        idReplacement: true,
        connections: perServer[i]!,
        duration: seconds,
        verifyBody: (body) => {
          if (isReserved(body)) {
            reservations++;
            return true;
          }
          failed++;
          if (badBodies.length < 5) badBodies.push(body.slice(0, 400));
          return false;
        },
      };
      const instance = autocannon(options);
      instance.on("response", (_client: unknown, _status: number, _bytes: number, responseTime: number) => latencies.push(responseTime));
      return instance;
    });
    const results = await Promise.all(runs);
    const elapsed = Math.max(...results.map((r) => r.duration));
    const dbOrders = (await settledOrders(products.graphql.id)) - before;
    latencies.sort((a, b) => a - b);
    return {
      label: "graphql",
      round,
      reservations,
      reservationsPerSec: reservations / elapsed,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      failed,
      non2xx: results.reduce((a, r) => a + r.non2xx, 0),
      errors: results.reduce((a, r) => a + r.errors + r.timeouts, 0),
      dbOrders,
    };
  }

  async function runRaw(round: SideResult["round"], seconds: number): Promise<SideResult> {
    const before = (await ordersOf(products.raw.id)).n;
    const child: ChildProcess = spawn(process.execPath, ["--max-semi-space-size=64", "--import", "tsx", "bench/raw-reserve.ts"], {
      cwd: ROOT,
      env: {
        ...process.env,
        RAW_DATABASE_URL: url,
        RAW_PRODUCT_ID: products.raw.id,
        RAW_BUDGET_UNIT_ID: BUDGET_UNIT.caizheng,
        RAW_USER_ID: officer!.id,
        RAW_WORKERS: String(CONNECTIONS),
        RAW_POOL_SIZE: String(RAW_POOL_SIZE),
        RAW_SECONDS: String(seconds),
        RAW_KEY_PREFIX: `raw-${round === "warm-up" ? "w" : round}-${randomBytes(3).toString("hex")}`,
        RAW_AUDIT: RAW_AUDIT ? "1" : "0",
        RAW_PREPARE: RAW_PREPARE ? "1" : "0",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const pid = child.pid;
    if (pid === undefined) throw new Error("raw-reserve: could not spawn");
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
    child.stderr!.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    let done = false;
    onCleanup(async () => {
      if (done) return;
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
      await exited;
    });
    const code = await exited;
    done = true;
    const line = stdout.split("\n").find((l) => l.startsWith("RESULT "));
    if (code !== 0 || !line) throw new Error(`raw-reserve exited with ${code}:\n${stderr.slice(-2000)}\n${stdout.slice(-1000)}`);
    const r = JSON.parse(line.slice("RESULT ".length)) as RawReserveResult;
    if (r.errorSamples.length > 0) badBodies.push(...r.errorSamples.map((e) => `raw: ${e}`));
    const dbOrders = (await settledOrders(products.raw.id)) - before;
    return {
      label: "raw",
      round,
      reservations: r.reservations,
      reservationsPerSec: r.reservationsPerSec,
      p50: r.p50,
      p99: r.p99,
      failed: r.failed,
      non2xx: 0,
      errors: 0,
      dbOrders,
    };
  }

  const describe = (r: SideResult) =>
    `${r.reservationsPerSec.toFixed(1)} reservations/s (${r.reservations}), p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ` +
    `failed ${r.failed}, non-2xx ${r.non2xx}, errors ${r.errors}, orders in db +${r.dbOrders}`;

  const warmups: SideResult[] = [];
  for (const run of [runRaw, runGraphql]) {
    const w = await run("warm-up", WARMUP_SECONDS);
    warmups.push(w);
    log(`warm-up ${w.label}: ${describe(w)}`);
  }
  const runs: SideResult[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    for (const run of [runRaw, runGraphql]) {
      const r = await run(round, SECONDS);
      runs.push(r);
      log(`round ${round} ${r.label}: ${describe(r)}`);
    }
  }

  // ── accounting: nothing oversold ──
  const accounting = [];
  for (const label of ["graphql", "raw"] as const) {
    const id = products[label].id;
    const [row] = await database.rows<{ supply: number }>(sql`select available_supply as supply from products where id = ${id}`);
    const orders = await ordersOf(id);
    const [audit] = await database.rows<{ n: number }>(
      sql`select count(*)::int as n from audit_log where entity_type = 'Order' and entity_id in (select id::text from orders where product_id = ${id})`,
    );
    const taken = SUPPLY - row!.supply;
    accounting.push({ label, supply: row!.supply, taken, orders: orders.n, ordered: orders.q, oversold: taken - orders.q, audit: audit!.n });
  }
  const oversold = accounting.reduce((a, x) => a + Math.abs(x.oversold), 0);
  const negative = accounting.filter((x) => x.supply < 0).length;

  // ── report ──
  const sideMean = (label: SideResult["label"]) => {
    const mine = runs.filter((r) => r.label === label);
    return {
      perSec: mean(mine.map((r) => r.reservationsPerSec)),
      p50: mean(mine.map((r) => r.p50)),
      p99: mean(mine.map((r) => r.p99)),
      reservations: mine.reduce((a, r) => a + r.reservations, 0),
      failed: mine.reduce((a, r) => a + r.failed, 0),
      non2xx: mine.reduce((a, r) => a + r.non2xx, 0),
      errors: mine.reduce((a, r) => a + r.errors, 0),
      dbOrders: mine.reduce((a, r) => a + r.dbOrders, 0),
    };
  };
  const raw = sideMean("raw");
  const graphql = sideMean("graphql");
  const ratio = graphql.perSec / raw.perSec;
  const failures = [...warmups, ...runs].reduce((a, r) => a + r.failed + r.non2xx + r.errors, 0);
  const problems = servers.flatMap((s) => s.problems.map((l) => `${s.name}: ${l}`));
  const cpus = os.cpus();

  const table = [
    "| side | round | reservations/s | reservations | p50 ms | p99 ms | failed | non-2xx | errors | orders in db |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...runs.map(
      (r) =>
        `| ${r.label} | ${r.round} | ${r.reservationsPerSec.toFixed(1)} | ${r.reservations} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.failed} | ${r.non2xx} | ${r.errors} | ${r.dbOrders} |`,
    ),
    ...(["raw", "graphql"] as const).map((label) => {
      const m = label === "raw" ? raw : graphql;
      return `| **${label}** | **mean** | ${m.perSec.toFixed(1)} | ${m.reservations} | ${m.p50.toFixed(1)} | ${m.p99.toFixed(1)} | ${m.failed} | ${m.non2xx} | ${m.errors} | ${m.dbOrders} |`;
    }),
  ].join("\n");
  const supplyTable = [
    "| hot product | initial supply | final supply | taken | orders | units ordered | audit rows | oversold |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
    ...accounting.map((x) => `| ${x.label} | ${SUPPLY} | ${x.supply} | ${x.taken} | ${x.orders} | ${x.ordered} | ${x.audit} | ${x.oversold} |`),
  ].join("\n");

  const report = [
    `Run ${startedAt.toISOString()} with \`BENCH_SECONDS=${SECONDS} npm run bench:reserve\`.`,
    "",
    `- Machine: ${cpus[0]?.model ?? "unknown CPU"}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`,
    `- Load average (1 min) at start: ${loadAtStart.toFixed(2)}, at end: ${os.loadavg()[0]!.toFixed(2)} (anything else running on the machine skews the numbers)`,
    `- PostgreSQL: ${pgVersion} (synchronous_commit ${settings!.sync}, max_connections ${settings!.max})`,
    `- Data: demo seed + demo accounts + budget units with officers; two identical LISTED hot products of ${SUPPLY} units, one per side; ` +
      `every reservation is 1 unit for 湘西州财政局 by ${OFFICER.username}, each with its own idempotency key`,
    `- Load: ${CONNECTIONS} concurrent clients, ${WARMUP_SECONDS} s warm-up each, then ${ROUNDS} rounds of raw, graphql × ${SECONDS} s (one side at a time); ` +
      "the load generators run on the same machine as the servers and PostgreSQL",
    `- graphql: ${SERVERS} \`src/main.ts\` processes as \`npm start\` runs them (NODE_ENV=production, LOG_LEVEL=${LOG_LEVEL}, DB_POOL_SIZE=${POOL_SIZE}, ` +
      `shared JWT secret, git ${gitHead()}), ${SERVERS} autocannon instances in parallel (${perServer.join("/")} connections), bearer token of the officer, POST /graphql`,
    `  \`${RESERVE}\``,
    `  (reservations = responses with an order and \`userErrors: []\`; latency percentiles over all ${SERVERS} instances' responses)`,
    `- raw: \`bench/raw-reserve.ts\`, one process, postgres.js pool of ${RAW_POOL_SIZE} connections, ${CONNECTIONS} async workers looping over ` +
      `\`begin; update products … available_supply >= 1 returning unit_price; insert into orders … on conflict do nothing returning *; ` +
      `${RAW_AUDIT ? "insert into audit_log …; " : ""}commit\` (${RAW_AUDIT ? "with the audit row the service writes too" : "without the audit row"}; ` +
      `${RAW_PREPARE ? "named prepared statements, postgres.js's default" : "unnamed statements (BENCH_RAW_PREPARE=0)"}; ` +
      "no quota check, replay lookup, authentication or response payload)",
    "- reservations/s = reservations completed within the run ÷ its duration; \"orders in db\" = orders the database gained, counted after the run settled " +
      "(it includes transactions in flight when the clients stopped)",
    "",
    table,
    "",
    `- **Ratio graphql ÷ raw (mean reservations/s): ${ratio.toFixed(2)}** (target ≥ ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? "met" : "NOT met"})`,
    `- p50 / p99 latency (mean of rounds): raw ${raw.p50.toFixed(1)} / ${raw.p99.toFixed(1)} ms, graphql ${graphql.p50.toFixed(1)} / ${graphql.p99.toFixed(1)} ms`,
    `- Failed + non-2xx + errors (all runs, warm-ups included): ${failures}; API log lines at warn or above: ${problems.length}`,
    `- **Oversold units: ${oversold}** (must be 0) — (initial − final supply) − units of non-cancelled orders, per hot product; ` +
      `available_supply ≥ 0: ${negative === 0 ? "yes" : "NO"}`,
    "",
    supplyTable,
  ].join("\n");
  console.log(`\n## Reservations\n\n${report}\n`);
  if (badBodies.length > 0) console.log(`Sample failures (first ${Math.min(badBodies.length, 5)}):\n${badBodies.slice(0, 5).join("\n")}\n`);
  if (problems.length > 0) console.log(`API log lines at warn or above (first 20):\n${problems.slice(0, 20).join("\n")}\n`);
  if (!WRITE_RESULTS) {
    log(`${CPU_PROF_DIR ? "profiling run (BENCH_CPU_PROF_DIR)" : "BENCH_RESULTS=0"}: ${RESULTS_FILE} left as it was`);
  } else {
    writeSection(RESULTS_FILE, "Reservations", report);
    log(`wrote ${RESULTS_FILE}`);
  }

  let exitCode = 0;
  if (oversold !== 0 || negative !== 0) {
    console.error(`FAILED: ${oversold} units oversold, ${negative} products with negative supply; both must be 0`);
    exitCode = 1;
  }
  if (failures > 0) {
    console.error(`FAILED: ${failures} failed reservations (failed transactions, userErrors, non-2xx, socket errors or timeouts); must be 0`);
    exitCode = 1;
  }
  return exitCode;
}

await runBench("bench:reserve", main);
