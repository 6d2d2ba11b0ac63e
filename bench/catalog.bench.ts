/**
 * npm run bench:catalog — the first catalog page through the real GraphQL API (uncached, and with the
 * public answer cache), PostGraphile 4 (installed for the bench into bench/.postgraphile) and a
 * hand-written single-SQL node:http endpoint, in the same alternating rounds, on a fresh PostgreSQL
 * database with real-scale data.
 *
 * Env: BENCH_DATABASE_URL (admin URL, default postgres://postgres@127.0.0.1:5432/postgres),
 *      BENCH_SECONDS (per measured run, default 15),
 *      BENCH_BASELINE (a commit: its API runs as one more side, uncached, in the same rounds).
 * Writes the "## Catalog" section of bench/RESULTS.md and prints the same. Exits non-zero on failure.
 */
import "reflect-metadata";
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { parseConfig } from "../src/config.js";
import { type Database, openDatabase } from "../src/db/client.js";
import { withStatementTally } from "../src/db/statement-tally.js";
import { createApolloServer } from "../src/graphql/apollo.js";
import { apiSchema, contextFactory, createCompiledReads, createServices } from "../src/app.js";
import { createRequestContext } from "../src/graphql/context.js";
import { createLogger } from "../src/logger.js";
import { seedScaleCatalog } from "../seeds/scale-catalog.js";
import { seedDemoData } from "../seeds/seed.js";
import { CATALOG_QUERY, PARTNER_QUERY } from "./catalog-queries.js";
import { POSTGRAPHILE_QUERY, POSTGRAPHILE_VERSION, ensurePostgraphile, rssMb, startPostgraphile } from "./postgraphile.js";
import { SERVER_NODE_FLAGS } from "../src/server-build.js";
import { type LoadResult, type LoadTarget, baselineTree, freePort, mean, onCleanup, resultsTable, runLoad, startServer, writeSection, runBench } from "./support.js";

/** The API's log level: `warn` leaves out the per-request info line (set BENCH_LOG_LEVEL=info to include it). */
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? "warn";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const RESULTS_FILE = fileURLToPath(new URL("./RESULTS.md", import.meta.url));

const ADMIN_URL = process.env.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const SECONDS = Number(process.env.BENCH_SECONDS || 15);
const WARMUP_SECONDS = 3;
const CONNECTIONS = 50;
const POOL_SIZE = 10;
const ROUNDS = 2;
const SCALE = { enterprises: 1000, products: 10000, seed: 42 };
/** Issue 11: uncached ≥ 0.3 × raw and ≥ 2 × PostGraphile 4; cached ≥ 0.8 × raw. */
const TARGET_RATIO = 0.3;
const POSTGRAPHILE_TARGET_RATIO = 2;
const CACHED_TARGET_RATIO = 0.8;

/** A commit whose API runs as one more side (e.g. the commit before a refactoring), or undefined. */
const BASELINE = process.env.BENCH_BASELINE;

const QUERY = CATALOG_QUERY;

function log(message: string): void {
  console.log(`[bench] ${message}`);
}

async function postJson(url: string, body: string): Promise<{ status: number; json: any; ms: number }> {
  const started = performance.now();
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
  const text = await res.text();
  const ms = performance.now() - started;
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${url}: HTTP ${res.status}, not JSON: ${text.slice(0, 300)}`);
  }
  return { status: res.status, json, ms };
}

/** Both endpoints answer 200 with the same `data`, 50 edges, no errors; or this throws. */
async function verifyIdentical(graphql: LoadTarget, raw: LoadTarget): Promise<void> {
  const [g, r] = await Promise.all([postJson(graphql.url, graphql.body), postJson(raw.url, raw.body)]);
  if (g.status !== 200 || g.json.errors) throw new Error(`GraphQL answered HTTP ${g.status}: ${JSON.stringify(g.json).slice(0, 500)}`);
  if (r.status !== 200) throw new Error(`raw endpoint answered HTTP ${r.status}: ${JSON.stringify(r.json).slice(0, 500)}`);
  const edges = g.json.data?.catalog?.edges;
  if (!Array.isArray(edges) || edges.length !== 50) throw new Error(`GraphQL returned ${edges?.length ?? "no"} edges, expected 50`);
  if (!isDeepStrictEqual(g.json.data, r.json.data)) {
    const first = edges.findIndex((e: unknown, i: number) => !isDeepStrictEqual(e, r.json.data?.catalog?.edges?.[i]));
    throw new Error(
      `MISMATCH: GraphQL and raw endpoint return different data (first differing edge ${first}):\n` +
        `  graphql: ${JSON.stringify(edges[first])}\n  raw:     ${JSON.stringify(r.json.data?.catalog?.edges?.[first])}`,
    );
  }
}

/**
 * SQL statements one catalog query issues, in-process, on the path the server takes: a compiled read
 * when COMPILED_READS is on and covers the query (src/graphql/compiled-reads.ts), else Apollo (as
 * test/support/api.ts runs it).
 */
async function statementsPerRequest(database: Database, env: Record<string, string>, query: string): Promise<{ count: number; path: string }> {
  const config = parseConfig({ ...env, LOG_LEVEL: "silent" });
  const apollo = createApolloServer(await apiSchema(), config);
  await apollo.start();
  const compiledReads = config.COMPILED_READS ? await createCompiledReads(config) : undefined;
  try {
    const services = createServices(database, config);
    const logger = createLogger("silent");
    const counts: number[] = [];
    let path = "Apollo";
    for (let i = 0; i < 2; i++) {
      const context = createRequestContext(contextFactory(services), logger);
      const compiled = await withStatementTally(context.tally, async () => compiledReads?.answer(context, { query }));
      if (compiled !== undefined) {
        path = "compiled read";
        if (JSON.parse(compiled).errors) throw new Error(`in-process query failed: ${compiled}`);
      } else {
        const response = await withStatementTally(context.tally, () => apollo.executeOperation({ query }, { contextValue: context }));
        if (response.body.kind !== "single") throw new Error("unexpected incremental response");
        if (response.body.singleResult.errors) throw new Error(`in-process query failed: ${JSON.stringify(response.body.singleResult.errors)}`);
      }
      counts.push(context.tally.count);
    }
    if (counts[0] !== counts[1]) throw new Error(`statement count not stable: ${counts.join(", ")}`);
    return { count: counts[0]!, path };
  } finally {
    await apollo.stop();
  }
}

/** Median latency of `n` sequential requests (no load): where a single request's time goes. */
async function sequentialMedian(target: LoadTarget, n = 200): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push((await postJson(target.url, target.body)).ms);
  times.sort((a, b) => a - b);
  return times[Math.floor(n / 2)]!;
}

async function main(): Promise<number> {
  if (!Number.isFinite(SECONDS) || SECONDS < 1) throw new Error(`BENCH_SECONDS must be a number ≥ 1 (got ${process.env.BENCH_SECONDS})`);
  const startedAt = new Date();
  const loadAtStart = os.loadavg()[0]!;

  // ── database ──
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  const name = `fupin_bench_${randomBytes(6).toString("hex")}`;
  const [{ version: pgVersion }] = await admin<{ version: string }[]>`select version()`;
  await admin.unsafe(`create database ${name}`);
  onCleanup(async () => {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end({ timeout: 5 });
    log(`dropped database ${name}`);
  });
  const benchUrl = new URL(ADMIN_URL);
  benchUrl.pathname = `/${name}`;
  const url = benchUrl.toString();
  log(`created database ${name}`);

  const database = await openDatabase({ url, poolSize: POOL_SIZE });
  let databaseOpen = true;
  const closeDatabase = async () => {
    if (databaseOpen) await database.close();
    databaseOpen = false;
  };
  onCleanup(closeDatabase);
  let t = performance.now();
  await database.migrate();
  const demo = await seedDemoData(database);
  const scale = await seedScaleCatalog(database, SCALE);
  const [{ listed }] = await database.rows<{ listed: number }>(
    sql`select count(*)::int as listed from products where status = 'LISTED' and valid_until >= (now() at time zone 'UTC')::date`,
  );
  log(
    `migrated and seeded in ${((performance.now() - t) / 1000).toFixed(1)} s: demo ${demo.enterprises} enterprises / ${demo.products} products, ` +
      `scale ${scale.enterprises} enterprises / ${scale.products} products; ${listed} products in the catalog`,
  );

  // Both servers get the same environment. Production mode needs a token secret and an admin; the
  // per-address limit for anonymous callers is off, or one loopback client would be throttled (429).
  const serverEnv: Record<string, string> = {
    DATABASE_URL: url,
    DB_POOL_SIZE: String(POOL_SIZE),
    NODE_ENV: "production",
    LOG_LEVEL: LOG_LEVEL,
    JWT_SECRET: randomBytes(32).toString("hex"),
    ID_HASH_KEY: randomBytes(32).toString("hex"),
    ADMIN_USERNAME: "bench_admin",
    ADMIN_PASSWORD: randomBytes(16).toString("hex"),
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: "0",
    // As npm start runs it (graphql-jit off by default); BENCH_GRAPHQL_JIT=true|false overrides. The
    // compiled reads answer both queries, so it only matters to requests they leave to Apollo.
    ...(process.env.BENCH_GRAPHQL_JIT ? { GRAPHQL_JIT: process.env.BENCH_GRAPHQL_JIT } : {}),
  };

  // ── statements per request ──
  const statements = await statementsPerRequest(database, serverEnv, QUERY);
  const partnerStatements = await statementsPerRequest(database, serverEnv, PARTNER_QUERY);
  log(`GraphQL catalog query: ${statements.count} SQL statements per request (${statements.path}); partner sync query: ${partnerStatements.count} (${partnerStatements.path})`);
  // PostGraphile exposes every table it finds, and some of ours collide with its generated names
  // (e.g. data_quality_resolutions vs a condition type): on this throwaway database it sees the
  // three tables its query reads (smart comments), which also keeps its schema build small.
  await database.rows(sql.raw(
    `do $$ declare t text; begin
       for t in select tablename from pg_tables where schemaname = 'public' and tablename not in ('products', 'enterprises', 'divisions') loop
         execute format('comment on table %I is %L', t, '@omit');
       end loop;
     end $$`,
  ));
  await closeDatabase();

  // ── servers ──
  const rawServer = await startServer("raw", "bench/raw-catalog-server.ts", await freePort(), serverEnv, ROOT);
  // The same API twice: without the public answer cache, and with it (the default).
  const apiServer = await startServer("graphql", "src/main.ts", await freePort(), { ...serverEnv, RESPONSE_CACHE_ENTRIES: "0" }, ROOT);
  const cachedServer = await startServer("graphql-cached", "src/main.ts", await freePort(), serverEnv, ROOT);
  const postgraphileServer = await startPostgraphile(ensurePostgraphile(path.join(ROOT, "bench"), log), url, await freePort(), POOL_SIZE);
  log(`raw endpoint pid ${rawServer.pid} at ${rawServer.baseUrl}/catalog; API pid ${apiServer.pid} at ${apiServer.baseUrl}/graphql (uncached), pid ${cachedServer.pid} at ${cachedServer.baseUrl}/graphql (cached)`);
  const body = JSON.stringify({ query: QUERY, operationName: "Catalog" });
  const raw: LoadTarget = { label: "raw", url: `${rawServer.baseUrl}/catalog`, body };
  const graphql: LoadTarget = { label: "graphql", url: `${apiServer.baseUrl}/graphql`, body };
  const cached: LoadTarget = { label: "graphql-cached", url: `${cachedServer.baseUrl}/graphql`, body };
  const postgraphile: LoadTarget = {
    label: "postgraphile",
    url: `${postgraphileServer.baseUrl}/graphql`,
    body: JSON.stringify({ query: POSTGRAPHILE_QUERY, operationName: "Catalog" }),
  };
  // The partner's sync page (20 fields per product), uncached, against its raw equivalent.
  const partnerBody = JSON.stringify({ query: PARTNER_QUERY, operationName: "Catalog" });
  const rawPartner: LoadTarget = { label: "raw-partner", url: `${rawServer.baseUrl}/partner`, body: partnerBody };
  const graphqlPartner: LoadTarget = { label: "graphql-partner", url: `${apiServer.baseUrl}/graphql`, body: partnerBody };
  const targets = [raw, postgraphile, graphql, cached, rawPartner, graphqlPartner];
  // BENCH_BASELINE=<commit>: that commit's API as one more side in the same rounds (uncached too).
  const baselineServer = BASELINE ? await startServer("baseline", "src/main.ts", await freePort(), { ...serverEnv, RESPONSE_CACHE_ENTRIES: "0" }, baselineTree(BASELINE)) : undefined;
  const baseline: LoadTarget | undefined = baselineServer && { label: "baseline", url: `${baselineServer.baseUrl}/graphql`, body };
  if (baseline) {
    targets.splice(3, 0, baseline);
    await verifyIdentical(baseline, raw);
    log(`baseline ${BASELINE} (pid ${baselineServer!.pid}) returns the same data as raw`);
  }
  const postgraphileCheck = await postJson(postgraphile.url, postgraphile.body);
  if (postgraphileCheck.json.errors || postgraphileCheck.json.data?.allProducts?.edges?.length !== 50) {
    throw new Error(`PostGraphile did not answer 50 edges: ${JSON.stringify(postgraphileCheck.json).slice(0, 500)}`);
  }

  await verifyIdentical(graphql, raw);
  await verifyIdentical(cached, raw);
  await verifyIdentical(graphqlPartner, rawPartner);
  log("both endpoints return identical data (50 edges)");
  const unloaded = {
    raw: await sequentialMedian(raw),
    postgraphile: await sequentialMedian(postgraphile),
    graphql: await sequentialMedian(graphql),
    cached: await sequentialMedian(cached),
  };
  const unloadedLine =
    `raw ${unloaded.raw.toFixed(2)} ms, postgraphile ${unloaded.postgraphile.toFixed(2)} ms, ` +
    `graphql ${unloaded.graphql.toFixed(2)} ms, graphql-cached ${unloaded.cached.toFixed(2)} ms`;
  log(`unloaded median latency (200 sequential requests): ${unloadedLine}`);

  // ── load ──
  const runs: LoadResult[] = [];
  for (const target of targets) {
    const w = await runLoad(target, "warm-up", WARMUP_SECONDS, CONNECTIONS);
    log(`warm-up ${target.label}: ${w.reqPerSec.toFixed(0)} req/s`);
  }
  for (let round = 1; round <= ROUNDS; round++) {
    for (const target of targets) {
      const r = await runLoad(target, round, SECONDS, CONNECTIONS);
      runs.push(r);
      log(
        `round ${round} ${target.label}: ${r.reqPerSec.toFixed(1)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, ` +
          `non-2xx ${r.non2xx}, errors ${r.errors}, bad bodies ${r.mismatches}`,
      );
    }
  }
  await verifyIdentical(graphql, raw);
  await verifyIdentical(cached, raw);
  await verifyIdentical(graphqlPartner, rawPartner);
  const rss = { graphql: rssMb(apiServer.pid), cached: rssMb(cachedServer.pid), postgraphile: rssMb(postgraphileServer.pid), raw: rssMb(rawServer.pid) };

  // ── report ──
  const rawMean = mean(runs.filter((r) => r.label === "raw").map((r) => r.reqPerSec));
  const graphqlMean = mean(runs.filter((r) => r.label === "graphql").map((r) => r.reqPerSec));
  const ratio = graphqlMean / rawMean;
  const postgraphileMean = mean(runs.filter((r) => r.label === "postgraphile").map((r) => r.reqPerSec));
  const overPostgraphile = graphqlMean / postgraphileMean;
  const partnerRatio = mean(runs.filter((r) => r.label === "graphql-partner").map((r) => r.reqPerSec)) / mean(runs.filter((r) => r.label === "raw-partner").map((r) => r.reqPerSec));
  const cachedRatio = mean(runs.filter((r) => r.label === "graphql-cached").map((r) => r.reqPerSec)) / rawMean;
  const baselineMean = mean(runs.filter((r) => r.label === "baseline").map((r) => r.reqPerSec));
  const p99Of = (label: string) => mean(runs.filter((r) => r.label === label).map((r) => r.p99));
  const p99Target = 2 * p99Of("raw") + 20;
  const failures = runs.reduce((a, r) => a + r.non2xx + r.errors + r.timeouts + r.mismatches, 0);
  const problems = [
    ...rawServer.problems.map((l) => `raw: ${l}`),
    ...apiServer.problems.map((l) => `graphql: ${l}`),
    ...cachedServer.problems.map((l) => `graphql-cached: ${l}`),
    ...postgraphileServer.problems.map((l) => `postgraphile: ${l}`),
    ...(baselineServer?.problems.map((l) => `baseline: ${l}`) ?? []),
  ];
  const cpus = os.cpus();
  const report = [
    `Run ${startedAt.toISOString()} with \`BENCH_SECONDS=${SECONDS} npm run bench:catalog\`.`,
    "",
    `- Machine: ${cpus[0]?.model ?? "unknown CPU"}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`,
    `- Load average (1 min) at start: ${loadAtStart.toFixed(2)}, at end: ${os.loadavg()[0]!.toFixed(2)} (anything else running on the machine skews the numbers)`,
    `- PostgreSQL: ${pgVersion}`,
    `- Data: demo seed + ${SCALE.enterprises} enterprises and ${SCALE.products} LISTED products (seed ${SCALE.seed}); ${listed} products in the catalog`,
    `- Load: autocannon, ${CONNECTIONS} connections, ${WARMUP_SECONDS} s warm-up each, then ${ROUNDS} rounds of raw, postgraphile, graphql, graphql-cached, raw-partner, graphql-partner × ${SECONDS} s; ` +
      `all servers are single processes on 127.0.0.1 with a pool of ${POOL_SIZE} connections; the load generator runs on the same machine`,
    `- graphql: the API as \`npm start\` runs it (its build, \`node ${SERVER_NODE_FLAGS.join(" ")} dist/server/src/main.js\`; NODE_ENV=production, LOG_LEVEL=${LOG_LEVEL}, RATE_LIMIT_ANONYMOUS_PER_MINUTE=0, GRAPHQL_JIT=${parseConfig(serverEnv).GRAPHQL_JIT}, COMPILED_READS=${parseConfig(serverEnv).COMPILED_READS}: a catalog page is one statement whose rows Node writes as JSON, src/graphql/compiled-reads.ts), anonymous POST /graphql; ` +
      "graphql with RESPONSE_CACHE_ENTRIES=0 (every request executed), graphql-cached with the public answer cache on (the default)",
    `  \`${QUERY}\``,
    `- graphql-partner: the same uncached API process, a partner's sync page; raw-partner: \`bench/raw-catalog-server.ts\` POST /partner, one hand-written statement, same JSON (checked deep-equal before and after the load)`,
    `  \`${PARTNER_QUERY}\``,
    `- postgraphile: PostGraphile ${POSTGRAPHILE_VERSION} (\`postgraphile -c <db> -s public\`, installed for the bench into bench/.postgraphile), pool ${POOL_SIZE}, the equivalent query; ` +
      "it exposes only products, enterprises and divisions (`@omit` on the other tables, whose generated names collide)",
    `  \`${POSTGRAPHILE_QUERY}\``,
    "- raw: `bench/raw-catalog-server.ts`, node:http + one hand-written SQL statement through postgres.js, same JSON (checked deep-equal before and after the load)",
    "",
    resultsTable(runs, ["raw", "postgraphile", ...(baseline ? ["baseline"] : []), "graphql", "graphql-cached", "raw-partner", "graphql-partner"]),
    "",
    `- **Ratio graphql ÷ raw (mean req/s), uncached: ${ratio.toFixed(2)}** (target ≥ ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? "met" : "NOT met"})`,
    `- **Ratio graphql ÷ postgraphile (mean req/s), uncached: ${overPostgraphile.toFixed(2)}** (target ≥ ${POSTGRAPHILE_TARGET_RATIO}: ${overPostgraphile >= POSTGRAPHILE_TARGET_RATIO ? "met" : "NOT met"}); postgraphile ÷ raw ${(postgraphileMean / rawMean).toFixed(3)}`,
    ...(baseline
      ? [
          `- **Baseline ${BASELINE}** (its \`src/main.ts\`, same environment, uncached) in the same rounds: baseline ÷ raw ${(baselineMean / rawMean).toFixed(3)}, ` +
            `**graphql ÷ baseline ${(graphqlMean / baselineMean).toFixed(2)}**`,
        ]
      : []),
    `- **Ratio graphql-cached ÷ raw (mean req/s): ${cachedRatio.toFixed(2)}** (target ≥ ${CACHED_TARGET_RATIO}: ${cachedRatio >= CACHED_TARGET_RATIO ? "met" : "NOT met"})`,
    `- **Ratio graphql-partner ÷ raw-partner (mean req/s), uncached: ${partnerRatio.toFixed(2)}** (target ≥ ${TARGET_RATIO}: ${partnerRatio >= TARGET_RATIO ? "met" : "NOT met"}); ` +
      "PostGraphile has no side here (带贫人数 is not a column it could expose without a function of ours)",
    `- **p99 under load (mean of rounds): graphql ${p99Of("graphql").toFixed(1)} ms vs raw ${p99Of("raw").toFixed(1)} ms** (target ≤ 2 × raw + 20 = ${p99Target.toFixed(1)} ms: ${p99Of("graphql") <= p99Target ? "met" : "NOT met"}); ` +
      `graphql-partner ${p99Of("graphql-partner").toFixed(1)} ms vs raw-partner ${p99Of("raw-partner").toFixed(1)} ms`,
    `- SQL statements per request: graphql ${statements.count} (${statements.path}), graphql-partner ${partnerStatements.count} (${partnerStatements.path}) (target ≤ 2), raw 1, raw-partner 1`,
    `- Unloaded median latency (200 sequential requests): ${unloadedLine}`,
    `- RSS after the load: graphql ${rss.graphql.toFixed(0)} MB, graphql-cached ${rss.cached.toFixed(0)} MB, postgraphile ${rss.postgraphile.toFixed(0)} MB, raw ${rss.raw.toFixed(0)} MB (target for the API ≤ 250 MB: ${Math.max(rss.graphql, rss.cached) <= 250 ? "met" : "NOT met"})`,
    `- Non-2xx + errors + timeouts + bad bodies: ${failures}; server warnings/errors logged: ${problems.length}`,
  ].join("\n");
  console.log(`\n## Catalog\n\n${report}\n`);
  if (problems.length > 0) console.log(`Server log lines at warn or above (first 20):\n${problems.slice(0, 20).join("\n")}\n`);
  writeSection(RESULTS_FILE, "Catalog", report);
  log(`wrote ${RESULTS_FILE}`);

  if (failures > 0) {
    console.error(`FAILED: ${failures} failed requests (non-2xx, errors, timeouts or bad bodies); must be 0`);
    return 1;
  }
  return 0;
}

await runBench("bench:catalog", main);
