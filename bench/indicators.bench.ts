/**
 * npm run bench:indicators — the plan's indicators at two scales (19 000 and 190 000 households) on
 * fresh PostgreSQL databases filled by `seed:scale`: each indicator through GraphQL (in-process:
 * Apollo `executeOperation` with the real schema, plugins, services, loaders and an admin actor, as
 * test/support/api.ts runs it; no HTTP) versus its raw SQL (the very statements IndicatorsService /
 * ConsumptionProgressService issue, captured from the services and run directly through postgres.js),
 * then EXPLAIN (ANALYZE, BUFFERS) of every statement at 190 000.
 *
 * Env: BENCH_DATABASE_URL (admin URL, default postgres://postgres@127.0.0.1:5432/postgres),
 *      BENCH_REPS (measured repetitions per indicator and side, default 25; 3 warm-ups before),
 *      BENCH_SCALES (comma-separated household counts, default 19000,190000),
 *      BENCH_ONLY (comma-separated indicator names, e.g. benefitLinkCoverage: measure and explain
 *      those only, print the report and leave bench/RESULTS.md alone).
 * Writes the "## Indicators" section of bench/RESULTS.md and prints the same (a full run only). Drops its databases at
 * the end, on failure and on SIGINT/SIGTERM.
 */
import "reflect-metadata";
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import os from "node:os";
import { fileURLToPath } from "node:url";
import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import postgres from "postgres";
import { parseConfig } from "../src/config.js";
import { type Database, openDatabase } from "../src/db/client.js";
import { withStatementTally } from "../src/db/statement-tally.js";
import { createApolloServer } from "../src/graphql/apollo.js";
import { apiSchema, contextFactory, createServices } from "../src/app.js";
import { createRequestContext } from "../src/graphql/context.js";
import { createLogger } from "../src/logger.js";
import { actorOf } from "../src/modules/accounts/index.js";
import type { UserActor } from "../src/actor.js";
import { IndicatorsService } from "../src/modules/indicators/index.js";
import { ConsumptionProgressService } from "../src/modules/procurement/index.js";
import { ConsumptionSalesService } from "../src/modules/sales/index.js";
import { SERVER_NODE_FLAGS } from "../src/server-build.js";
import { onCleanup, percentile, writeSection, runBench } from "./support.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const RESULTS_FILE = fileURLToPath(new URL("./RESULTS.md", import.meta.url));
const ADMIN_URL = process.env.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const REPS = Number(process.env.BENCH_REPS || 25);
const WARMUPS = 3;
const SCALES = (process.env.BENCH_SCALES || "19000,190000").split(",").map((s) => Number(s.trim()));
const POOL_SIZE = 10;
const TARGET_RATIO = 1.5;
const TARGET_GROWTH = 10;
const SEED = 2020;
const ONLY = (process.env.BENCH_ONLY || "").split(",").map((s) => s.trim()).filter(Boolean);

/** The seed day and the indicators' asOf (UTC today), and the year of the seeded orders. */
const AS_OF = new Date().toISOString().slice(0, 10);
const YEAR = Number(AS_OF.slice(0, 4));

function log(message: string): void {
  console.log(`[bench] ${message}`);
}

// ── the indicators ────────────────────────────────────────────────────────────

const COUNTY = "county { code name }";
const INDICATOR = `key numerator denominator rate target met byCounty { ${COUNTY} numerator denominator rate met }`;
const UNIT = "budgetUnit { code name } reservedAmount deliveredAmount openAmount completionRate met";
const AMOUNT = "key label amount";

interface Indicator {
  name: string;
  query: string;
  variables: Record<string, unknown>;
  /** the statements the service issues for it (captured), and whether the resolver runs them concurrently */
  statements: (database: Database) => Promise<unknown>;
  concurrent: boolean;
  /** numerator/denominator pairs from the GraphQL answer and from the raw rows, to check they agree */
  check?: (data: any, raw: Record<string, unknown>[][]) => string | null;
}

const total = (rows: Record<string, unknown>[]) => {
  const row = rows.find((r) => r.county_code === null);
  return `${Number(row?.numerator ?? 0)}/${Number(row?.denominator ?? 0)}`;
};

const indicators: Indicator[] = [
  {
    name: "pairingCoverage",
    query: `query Pairing($asOf: Date) { pairingCoverage(asOf: $asOf) { ${INDICATOR} } }`,
    variables: { asOf: AS_OF },
    statements: (db) => new IndicatorsService(db).pairingCoverage(null, AS_OF),
    concurrent: false,
    check: (data, raw) => {
      const g = `${data.pairingCoverage.numerator}/${data.pairingCoverage.denominator}`;
      return g === total(raw[0]!) ? null : `GraphQL ${g} ≠ raw ${total(raw[0]!)}`;
    },
  },
  {
    name: "benefitLinkCoverage",
    query: `query Links($asOf: Date) { benefitLinkCoverage(asOf: $asOf) { households { ${INDICATOR} } villages { ${INDICATOR} } } }`,
    variables: { asOf: AS_OF },
    statements: (db) => {
      const service = new IndicatorsService(db);
      return Promise.all([service.householdLinkCoverage(null, AS_OF), service.villageLinkCoverage(null, AS_OF)]);
    },
    concurrent: true,
    check: (data, raw) => {
      const h = `${data.benefitLinkCoverage.households.numerator}/${data.benefitLinkCoverage.households.denominator}`;
      const v = `${data.benefitLinkCoverage.villages.numerator}/${data.benefitLinkCoverage.villages.denominator}`;
      return h === total(raw[0]!) && v === total(raw[1]!) ? null : `GraphQL ${h}, ${v} ≠ raw ${total(raw[0]!)}, ${total(raw[1]!)}`;
    },
  },
  {
    name: "certificationPipeline",
    query: `query Pipeline($asOf: Date) { certificationPipeline(asOf: $asOf) { byCountyAndStatus { ${COUNTY} status count } listedByCategory { category count } expiringWithin60Days } }`,
    variables: { asOf: AS_OF },
    statements: (db) => new IndicatorsService(db).certificationPipeline(null, AS_OF),
    concurrent: false,
    check: (data, raw) => {
      // statement 1: per county and status (as of asOf, rebuilt from the events); 3: expiring
      const g = data.certificationPipeline.expiringWithin60Days;
      const r = Number(raw[2]![0]?.total ?? 0); // the count over all of them, on each of the soonest rows
      const rows = (list: { county: string; status: string; count: number }[]) => list.map((x) => `${x.county} ${x.status} ${x.count}`).join(", ");
      const gRows = rows(data.certificationPipeline.byCountyAndStatus.map((x: any) => ({ county: x.county.code, status: x.status, count: x.count })));
      const rRows = rows(raw[0]!.map((x) => ({ county: String(x.county_code), status: String(x.status), count: Number(x.count) })));
      if (gRows !== rRows) return `byCountyAndStatus GraphQL [${gRows}] ≠ raw [${rRows}]`;
      return g === r ? null : `expiringWithin60Days GraphQL ${g} ≠ raw ${r}`;
    },
  },
  {
    name: "consumptionProgress",
    query:
      `query Progress($year: Int!) { consumptionProgress(year: $year) { year totals { ${UNIT} } units { ${UNIT} } supervisingUnits { ${UNIT} } ` +
      `deliveredByOriginCounty { ${AMOUNT} } deliveredByCategory { ${AMOUNT} } deliveredByMonth { ${AMOUNT} } } }`,
    variables: { year: YEAR },
    statements: (db) => new ConsumptionProgressService(db).progress(YEAR, null),
    // the service runs its two statements at once (as benefitLinkCoverage's resolver does)
    concurrent: true,
    check: (data, raw) => {
      // The first statement returns unit, supervising and total rows, told apart by `kind`.
      const rows = raw[0]! as { kind?: string; delivered?: unknown }[];
      const g = data.consumptionProgress.totals.deliveredAmount;
      const r = String(rows.find((row) => row.kind === "total")?.delivered);
      const units = data.consumptionProgress.units.length;
      const rawUnits = rows.filter((row) => row.kind === "unit").length;
      return Number(g) === Number(r) && units === rawUnits ? null : `delivered GraphQL ${g} (${units} units) ≠ raw ${r} (${rawUnits} units)`;
    },
  },
  {
    name: "consumptionSales",
    query:
      `query Sales($year: Int!) { consumptionSales(year: $year) { year total { amount records } byChannel { key label amount records } ` +
      `byOriginCounty { key label amount records } byCategory { key label amount records } byEnterprise { enterprise { name } amount records } ` +
      `byMonth { key amount records } } }`,
    variables: { year: YEAR },
    statements: (db) => new ConsumptionSalesService(db).figures(YEAR, null),
    concurrent: false,
    check: (data, raw) => {
      // The grouping set () (mask 31) is the total.
      const total = raw[0]!.find((row) => Number(row.by) === 31);
      const g = data.consumptionSales.total;
      return g.amount === String(total?.amount) && g.records === Number(total?.records) ? null : `total GraphQL ${g.amount} (${g.records}) ≠ raw ${String(total?.amount)} (${String(total?.records)})`;
    },
  },
  {
    name: "collectiveIncomeCoverage",
    query: `query Income($year: Int!) { collectiveIncomeCoverage(year: $year) { ${INDICATOR} villagesBelowLine { village { code name } income } } }`,
    variables: { year: YEAR },
    statements: async (db) => {
      const service = new IndicatorsService(db);
      await service.collectiveIncomeCoverage(null, `${YEAR}-12-31`);
      await service.villagesBelowCollectiveIncomeLine(null, YEAR);
    },
    concurrent: false,
    check: (data, raw) => {
      const g = `${data.collectiveIncomeCoverage.numerator}/${data.collectiveIncomeCoverage.denominator}`;
      const below = data.collectiveIncomeCoverage.villagesBelowLine.length;
      return g === total(raw[0]!) && below === raw[1]!.length ? null : `GraphQL ${g} (${below} below) ≠ raw ${total(raw[0]!)} (${raw[1]!.length} below)`;
    },
  },
];

/** The indicators this run measures: all of them, or those BENCH_ONLY names. */
const measured = (): Indicator[] => (ONLY.length === 0 ? indicators : indicators.filter((i) => ONLY.includes(i.name)));

/** The statements a service call issues, compiled as drizzle sends them (text + parameters). */
async function captureStatements(call: (database: Database) => Promise<unknown>): Promise<{ text: string; params: unknown[] }[]> {
  const captured: SQL[] = [];
  const recorder = {
    kind: "postgres",
    rows: async (query: SQL) => {
      captured.push(query);
      return [];
    },
  } as unknown as Database;
  await call(recorder);
  const dialect = new PgDialect();
  return captured.map((q) => {
    const compiled = dialect.sqlToQuery(q);
    return { text: compiled.sql, params: compiled.params };
  });
}

// ── seeding (a child process: `seeds/scale.cli.ts` as `npm run seed:scale` runs it) ──

async function seed(url: string, households: number): Promise<{ seconds: number; summary: string }> {
  const started = performance.now();
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", "seeds/scale.cli.ts", "--households", String(households), "--seed", String(SEED), "--today", AS_OF],
    { cwd: ROOT, env: { ...process.env, DATABASE_URL: url, NODE_ENV: "development", LOG_LEVEL: "silent" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error("could not spawn seeds/scale.cli.ts");
  let exited = false;
  const done = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      exited = true;
      resolve(code);
    }),
  );
  onCleanup(async () => {
    if (exited) return;
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      // already gone
    }
    await done;
  });
  const lines: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) {
      if (!line.trim()) continue;
      lines.push(line);
      console.log(`  [seed ${households}] ${line}`);
    }
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const code = await done;
  if (code !== 0) throw new Error(`seed:scale --households ${households} exited with ${code}:\n${lines.slice(-20).join("\n")}`);
  return { seconds: (performance.now() - started) / 1000, summary: lines.find((l) => l.startsWith("seed:scale done")) ?? "" };
}

// ── measuring ─────────────────────────────────────────────────────────────────

interface Stats {
  median: number;
  p95: number;
}

const stats = (times: number[]): Stats => {
  const sorted = [...times].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p95: percentile(sorted, 95) };
};

interface Measurement {
  indicator: string;
  households: number;
  graphql: Stats;
  raw: Stats;
  statementsGraphql: number;
  statementsRaw: number;
  /** the answer's size, for the reader */
  note: string;
}

interface ScaleRun {
  households: number;
  url: string;
  seedSeconds: number;
  seedSummary: string;
}

async function measure(run: ScaleRun): Promise<Measurement[]> {
  const config = parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", DB_POOL_SIZE: String(POOL_SIZE) });
  const database = await openDatabase({ url: run.url, poolSize: POOL_SIZE });
  const client = postgres(run.url, { max: POOL_SIZE, onnotice: () => {}, connection: { application_name: "bench-indicators-raw", TimeZone: "UTC", jit: "off" } });
  const apollo = createApolloServer(await apiSchema(), config);
  await apollo.start();
  try {
    const services = createServices(database, config);
    const logger = createLogger("silent");
    const user = await services.accounts.insertUser(database.db, { username: "bench_admin", password: randomBytes(12).toString("hex"), role: "ADMIN" });
    const actor: UserActor = actorOf(user);
    const results: Measurement[] = [];
    for (const indicator of measured()) {
      const statements = await captureStatements(indicator.statements);
      const graphqlOnce = async () => {
        const context = createRequestContext(contextFactory(services), logger, { actor, clientAddress: "192.0.2.1" });
        const started = performance.now();
        const response = await withStatementTally(context.tally, () =>
          apollo.executeOperation({ query: indicator.query, variables: indicator.variables }, { contextValue: context }),
        );
        const ms = performance.now() - started;
        if (response.body.kind !== "single") throw new Error("unexpected incremental response");
        const { data, errors } = response.body.singleResult;
        if (errors) throw new Error(`${indicator.name}: GraphQL errors ${JSON.stringify(errors).slice(0, 500)}`);
        return { ms, data, statements: context.tally.count };
      };
      const rawOnce = async () => {
        const started = performance.now();
        let rows: Record<string, unknown>[][];
        if (indicator.concurrent) {
          rows = await Promise.all(statements.map((s) => client.unsafe(s.text, s.params as never[], { prepare: true }) as Promise<Record<string, unknown>[]>));
        } else {
          rows = [];
          for (const s of statements) rows.push(await client.unsafe(s.text, s.params as never[], { prepare: true }));
        }
        return { ms: performance.now() - started, rows };
      };

      // warm-up, and the check that both sides count the same
      let first: Awaited<ReturnType<typeof graphqlOnce>> | undefined;
      let firstRaw: Awaited<ReturnType<typeof rawOnce>> | undefined;
      for (let i = 0; i < WARMUPS; i++) {
        first = await graphqlOnce();
        firstRaw = await rawOnce();
      }
      const mismatch = indicator.check?.(first!.data, firstRaw!.rows);
      if (mismatch) throw new Error(`${indicator.name} at ${run.households}: ${mismatch}`);

      const g: number[] = [];
      const r: number[] = [];
      for (let i = 0; i < REPS; i++) {
        // alternate, so drift (autovacuum, other load on the machine) hits both sides alike
        g.push((await graphqlOnce()).ms);
        r.push((await rawOnce()).ms);
      }
      const note = describe(indicator.name, first!.data);
      const m: Measurement = {
        indicator: indicator.name,
        households: run.households,
        graphql: stats(g),
        raw: stats(r),
        statementsGraphql: first!.statements,
        statementsRaw: statements.length,
        note,
      };
      results.push(m);
      log(
        `${run.households} households, ${indicator.name}: GraphQL median ${m.graphql.median.toFixed(2)} ms (p95 ${m.graphql.p95.toFixed(2)}), ` +
          `raw median ${m.raw.median.toFixed(2)} ms (p95 ${m.raw.p95.toFixed(2)}), ${m.statementsGraphql} vs ${m.statementsRaw} statements; ${note}`,
      );
    }
    return results;
  } finally {
    await apollo.stop();
    await client.end({ timeout: 5 });
    await database.close();
  }
}

function describe(name: string, data: any): string {
  const rate = (i: { numerator: number; denominator: number; rate: number }) => `${i.numerator}/${i.denominator} = ${(i.rate * 100).toFixed(1)} %`;
  switch (name) {
    case "pairingCoverage":
      return `pairing coverage ${rate(data.pairingCoverage)}`;
    case "benefitLinkCoverage":
      return `households ${rate(data.benefitLinkCoverage.households)}, villages ${rate(data.benefitLinkCoverage.villages)}`;
    case "certificationPipeline":
      return `${data.certificationPipeline.byCountyAndStatus.length} county×status rows, ${data.certificationPipeline.expiringWithin60Days} expiring within 60 days`;
    case "consumptionProgress": {
      const c = data.consumptionProgress;
      return `${c.units.length} units, ${c.supervisingUnits.length} supervising, completion ${c.totals.completionRate === null ? "—" : `${(c.totals.completionRate * 100).toFixed(1)} %`}`;
    }
    case "consumptionSales": {
      const c = data.consumptionSales;
      return `${c.total.records} records, ${c.total.amount} yuan, ${c.byEnterprise.length} enterprises`;
    }
    case "collectiveIncomeCoverage":
      return `collective income ≥ 50,000: ${rate(data.collectiveIncomeCoverage)}, ${data.collectiveIncomeCoverage.villagesBelowLine.length} below`;
    default:
      return "";
  }
}

// ── EXPLAIN ───────────────────────────────────────────────────────────────────

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  Alias?: string;
  "Index Name"?: string;
  "Actual Total Time"?: number;
  "Actual Rows"?: number;
  "Actual Loops"?: number;
  "Heap Fetches"?: number;
  "Shared Hit Blocks"?: number;
  "Shared Read Blocks"?: number;
  "Sort Method"?: string;
  "Strategy"?: string;
  Plans?: PlanNode[];
}

interface Explained {
  label: string;
  executionMs: number;
  planningMs: number;
  top: string;
  /** JIT compilation time (ms) when PostgreSQL JIT-compiled the statement, and the execution time with jit off */
  jitMs: number | null;
  withoutJitMs: number | null;
  scans: string[];
  buffers: string;
  text: string;
}

const SCAN = /Scan$/;

function nodeLabel(n: PlanNode): string {
  const on = n["Relation Name"] ? ` on ${n["Relation Name"]}${n.Alias && n.Alias !== n["Relation Name"] ? ` ${n.Alias}` : ""}` : "";
  const using = n["Index Name"] ? ` using ${n["Index Name"]}` : "";
  const strategy = n.Strategy && n.Strategy !== "Plain" ? ` (${n.Strategy})` : "";
  return `${n["Node Type"]}${strategy}${using}${on}`;
}

function scans(n: PlanNode, out: string[] = []): string[] {
  if (SCAN.test(n["Node Type"])) {
    const heap = n["Heap Fetches"] !== undefined ? `, heap fetches ${n["Heap Fetches"]}` : "";
    out.push(`${nodeLabel(n)} (loops ${n["Actual Loops"]}, rows/loop ${n["Actual Rows"]}, ${n["Actual Total Time"]?.toFixed(3)} ms/loop${heap})`);
  }
  for (const child of n.Plans ?? []) scans(child, out);
  return out;
}

async function explainAll(url: string): Promise<Explained[]> {
  const client = postgres(url, { max: 1, onnotice: () => {}, connection: { application_name: "bench-indicators-explain", TimeZone: "UTC" } });
  const out: Explained[] = [];
  try {
    for (const indicator of measured()) {
      const statements = await captureStatements(indicator.statements);
      for (const [i, s] of statements.entries()) {
        const label = statements.length > 1 ? `${indicator.name} #${i + 1}` : indicator.name;
        // run once first, so the plan is of a warm cache, as the timings are
        await client.unsafe(s.text, s.params as never[]);
        type Plan = { Plan: PlanNode; "Execution Time": number; "Planning Time": number; JIT?: { Timing?: { Total?: number } } };
        const explainJson = async () => {
          const [json] = await client.unsafe(`explain (analyze, buffers, format json) ${s.text}`, s.params as never[]);
          return (json as Record<string, any>)["QUERY PLAN"][0] as Plan;
        };
        const plan = await explainJson();
        const textRows = await client.unsafe(`explain (analyze, buffers) ${s.text}`, s.params as never[]);
        let withoutJitMs: number | null = null;
        if (plan.JIT) {
          // the same statement with JIT off (this session only), to show what compilation costs
          await client.unsafe("set jit = off");
          withoutJitMs = (await explainJson())["Execution Time"];
          await client.unsafe("reset jit");
        }
        const root = plan.Plan;
        out.push({
          label,
          executionMs: plan["Execution Time"],
          planningMs: plan["Planning Time"],
          jitMs: plan.JIT?.Timing?.Total ?? null,
          withoutJitMs,
          top: `${nodeLabel(root)} (rows ${root["Actual Rows"]}, ${root["Actual Total Time"]?.toFixed(1)} ms)`,
          scans: scans(root),
          buffers: `shared hit ${root["Shared Hit Blocks"] ?? 0}, read ${root["Shared Read Blocks"] ?? 0}`,
          text: textRows.map((r) => (r as Record<string, string>)["QUERY PLAN"]).join("\n"),
        });
      }
    }
  } finally {
    await client.end({ timeout: 5 });
  }
  return out;
}

// ── main ──────────────────────────────────────────────────────────────────────

async function main(): Promise<number> {
  if (!Number.isInteger(REPS) || REPS < 20) throw new Error(`BENCH_REPS must be an integer ≥ 20 (got ${process.env.BENCH_REPS})`);
  if (SCALES.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`BENCH_SCALES must be household counts (got ${process.env.BENCH_SCALES})`);
  const unknown = ONLY.filter((name) => !indicators.some((i) => i.name === name));
  if (unknown.length > 0) throw new Error(`BENCH_ONLY names no indicator: ${unknown.join(", ")} (known: ${indicators.map((i) => i.name).join(", ")})`);
  const startedAt = new Date();
  const loadAtStart = os.loadavg()[0]!;

  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  onCleanup(async () => {
    await admin.end({ timeout: 5 });
  });
  const [{ version: pgVersion }] = await admin<{ version: string }[]>`select version()`;
  const settings = await admin<{ name: string; setting: string; unit: string | null }[]>`
    select name, setting, unit from pg_settings where name in ('shared_buffers', 'work_mem', 'effective_cache_size', 'jit', 'jit_above_cost', 'random_page_cost', 'max_parallel_workers_per_gather', 'plan_cache_mode')
    order by name`;
  const settingText = settings.map((s) => `${s.name}=${s.setting}${s.unit ?? ""}`).join(", ");

  // ── databases and seeds ──
  const runs: ScaleRun[] = [];
  for (const households of SCALES) {
    const name = `fupin_indicators_${households}_${randomBytes(4).toString("hex")}`;
    await admin.unsafe(`create database ${name}`);
    onCleanup(async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      log(`dropped database ${name}`);
    });
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    log(`created database ${name}; seeding ${households} households (seed ${SEED}, day ${AS_OF})`);
    const seeded = await seed(url.toString(), households);
    log(`seeded ${households} households in ${seeded.seconds.toFixed(1)} s (child process, including tsx start-up and migrations)`);
    runs.push({ households, url: url.toString(), seedSeconds: seeded.seconds, seedSummary: seeded.summary });
  }

  // ── timings ──
  const measurements: Measurement[] = [];
  for (const run of runs) measurements.push(...(await measure(run)));

  // ── EXPLAIN at the largest scale ──
  const largest = runs.reduce((a, b) => (b.households > a.households ? b : a));
  const smallest = runs.reduce((a, b) => (b.households < a.households ? b : a));
  const explained = await explainAll(largest.url);

  // ── report ──
  const ms = (n: number) => n.toFixed(2);
  const table = [
    "| indicator | households | GraphQL median ms | GraphQL p95 ms | raw median ms | raw p95 ms | GraphQL − raw (median) ms | GraphQL ÷ raw (median) | growth of GraphQL median vs smallest | SQL statements GraphQL / raw |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  const verdicts: string[] = [];
  for (const indicator of measured()) {
    const small = measurements.find((m) => m.indicator === indicator.name && m.households === smallest.households)!;
    for (const run of runs) {
      const m = measurements.find((x) => x.indicator === indicator.name && x.households === run.households)!;
      const ratio = m.graphql.median / m.raw.median;
      const growth = m.graphql.median / small.graphql.median;
      const growthCell = run === smallest ? "—" : `${growth.toFixed(2)}×${growth <= TARGET_GROWTH ? "" : " **over**"}`;
      table.push(
        `| ${indicator.name} | ${run.households.toLocaleString("en-US")} | ${ms(m.graphql.median)} | ${ms(m.graphql.p95)} | ${ms(m.raw.median)} | ${ms(m.raw.p95)} | ` +
          `${ms(m.graphql.median - m.raw.median)} | ${ratio.toFixed(2)}${ratio <= TARGET_RATIO ? "" : " **over**"} | ${growthCell} | ${m.statementsGraphql} / ${m.statementsRaw} |`,
      );
      if (ratio > TARGET_RATIO) verdicts.push(`${indicator.name} at ${run.households}: GraphQL ÷ raw ${ratio.toFixed(2)} > ${TARGET_RATIO}`);
      if (run !== smallest && growth > TARGET_GROWTH) verdicts.push(`${indicator.name}: growth ${growth.toFixed(2)} > ${TARGET_GROWTH}`);
      if (m.graphql.median > 1000) verdicts.push(`${indicator.name} at ${run.households}: GraphQL median ${ms(m.graphql.median)} ms > 1 s`);
    }
  }
  const answers = runs.map(
    (run) =>
      `- ${run.households.toLocaleString("en-US")} households: ` +
      measurements.filter((m) => m.households === run.households).map((m) => `${m.indicator}: ${m.note}`).join("; "),
  );
  const explainLines = [
    `| statement (at ${largest.households.toLocaleString("en-US")} households) | execution ms | planning ms | of which JIT ms | execution ms with jit off | top node | buffers |`,
    "|---|---:|---:|---:|---:|---|---|",
    ...explained.map(
      (e) =>
        `| ${e.label} | ${e.executionMs.toFixed(1)} | ${e.planningMs.toFixed(2)} | ${e.jitMs === null ? "—" : e.jitMs.toFixed(1)} | ` +
        `${e.withoutJitMs === null ? "—" : e.withoutJitMs.toFixed(1)} | ${e.top} | ${e.buffers} |`,
    ),
    "",
    ...(() => {
      const jitted = explained.filter((e) => e.jitMs !== null);
      return jitted.length === 0
        ? ["No statement was JIT-compiled."]
        : [
            `PostgreSQL JIT-compiled ${jitted.length} of ${explained.length} statements (${jitted.map((e) => e.label).join(", ")}): ` +
              `${jitted.reduce((a, e) => a + (e.jitMs ?? 0), 0).toFixed(0)} ms of compilation in total, paid again on every execution.`,
          ];
    })(),
    "",
    "Scans per statement (loops × rows per loop; an index name means the index is used):",
    "",
    ...explained.flatMap((e) => [`- **${e.label}**`, ...e.scans.map((s) => `  - ${s}`)]),
  ];
  const cpus = os.cpus();
  const report = [
    `Run ${startedAt.toISOString()} with \`BENCH_REPS=${REPS} npm run bench:indicators\`.`,
    "",
    `- Machine: ${cpus[0]?.model ?? "unknown CPU"}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`,
    `- Load average (1 min) at start: ${loadAtStart.toFixed(2)}, at end: ${os.loadavg()[0]!.toFixed(2)} (anything else running on the machine skews the numbers)`,
    `- PostgreSQL: ${pgVersion}; ${settingText}`,
    `- Data: \`npm run seed:scale -- --households N --seed ${SEED} --today ${AS_OF}\` into a fresh database per scale (child process; seeds/scale.ts, then VACUUM ANALYZE):`,
    ...runs.map((r) => `  - ${r.households.toLocaleString("en-US")}: ${r.seedSeconds.toFixed(1)} s wall (with tsx start-up and migrations); ${r.seedSummary.replace(/^seed:scale /, "")}`),
    `- asOf ${AS_OF} (the seed day) for pairingCoverage, benefitLinkCoverage and certificationPipeline; consumptionProgress(year: ${YEAR}), the year of the seeded orders; all prefecture-wide (no countyCode)`,
    `- GraphQL: in-process, Apollo \`executeOperation\` with the API schema, plugins (limits included), createServices and a fresh createRequestContext per request with an admin actor (as test/support/api.ts); no HTTP.Node flags: ${process.execArgv.filter((a) => a.startsWith("--max") || a.startsWith("--heap")).join(" ") || "none"} (npm start runs the API with ${SERVER_NODE_FLAGS.join(" ")}). ` +
      `Time = from context creation to the finished result, including the resolvers' own extra statements (county list, DataLoaders).`,
    "- raw: the very statements the services issue (captured from IndicatorsService / ConsumptionProgressService, compiled by drizzle's PgDialect), run directly through postgres.js " +
      `(pool of ${POOL_SIZE}, named prepared statements, as the app's driver does); benefitLinkCoverage's and consumptionProgress's two statements concurrently, as the resolver and the service run them; the others one after another`,
    `- ${WARMUPS} warm-ups, then ${REPS} repetitions per indicator and side, GraphQL and raw alternating, one request at a time; GraphQL and raw answers checked to agree (numerators/denominators, totals)`,
    `- Targets: GraphQL ÷ raw ≤ ${TARGET_RATIO}; GraphQL median at ${largest.households.toLocaleString("en-US")} ÷ at ${smallest.households.toLocaleString("en-US")} ≤ ${TARGET_GROWTH}`,
    "",
    table.join("\n"),
    "",
    verdicts.length === 0 ? "- **All targets met.**" : `- **Targets not met:** ${verdicts.join("; ")}`,
    "",
    "Answers:",
    "",
    ...answers,
    "",
    `EXPLAIN (ANALYZE, BUFFERS) at ${largest.households.toLocaleString("en-US")} households, warm cache (each statement run once before), ` +
      "in a session with the server's settings (jit as above). The timed connections, GraphQL's (openDatabase) and raw, both run with jit=off as the API's own do (src/db/client.ts), " +
      "so their times carry no JIT compilation: for them read the column \"execution ms with jit off\" where a statement was JIT-compiled.",
    "",
    ...explainLines,
  ].join("\n");

  console.log(`\n## Indicators\n\n${report}\n`);
  console.log("Full plans (EXPLAIN ANALYZE, BUFFERS) at the largest scale:\n");
  for (const e of explained) console.log(`── ${e.label} ──\n${e.text}\n`);
  if (ONLY.length > 0) {
    log(`BENCH_ONLY=${ONLY.join(",")}: a partial run, bench/RESULTS.md left as it was`);
  } else {
    writeSection(RESULTS_FILE, "Indicators", report);
    log(`wrote ${RESULTS_FILE}`);
  }
  return 0;
}

await runBench("bench:indicators", main);
