/** Helpers of the benchmarks: child servers, free ports, autocannon runs, the results file. */
import { type ChildProcess, execSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createServer } from "node:net";
import autocannon from "autocannon";
import { SERVER_NODE_FLAGS } from "../src/server-build.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** The tree of a commit, extracted once into bench/.baseline/<commit> (git-ignored), sharing node_modules. */
export function baselineTree(commit: string): string {
  if (!/^[0-9a-f]{7,40}$/.test(commit)) throw new Error(`BENCH_BASELINE must be a commit hash (got ${commit})`);
  const dir = path.join(ROOT, "bench", ".baseline", commit);
  if (!existsSync(path.join(dir, "package.json"))) {
    mkdirSync(dir, { recursive: true });
    execSync(`git archive ${commit} | tar -x -C ${JSON.stringify(dir)}`, { cwd: ROOT, stdio: "inherit" });
  }
  if (!existsSync(path.join(dir, "node_modules"))) symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  return dir;
}

// ── cleanup ────────────────────────────────────────────────────────────────────

const cleanups: (() => Promise<void>)[] = [];
let cleaning: Promise<void> | undefined;

/** Registers a cleanup step; steps run last-registered first, once, also on SIGINT/SIGTERM. */
export function onCleanup(step: () => Promise<void>): void {
  cleanups.push(step);
}

export function runCleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const step of cleanups.reverse()) {
      try {
        await step();
      } catch (error) {
        console.error("cleanup step failed:", error instanceof Error ? error.message : error);
      }
    }
  })();
  return cleaning;
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: cleaning up`);
    void runCleanup().finally(() => process.exit(130));
  });
}

// ── child servers ─────────────────────────────────────────────────────────────

/** A free TCP port on the host (closed again before it is returned). */
export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export interface ChildServer {
  name: string;
  pid: number;
  baseUrl: string;
  /** stdout+stderr lines (the last 500) */
  output: string[];
  /** log lines at pino level warn (40) or above, and non-JSON stderr lines */
  problems: string[];
  stop(): Promise<void>;
}

/**
 * Spawns `<script>` (the API from its build, as `npm start` runs it; others under tsx) with `env`, bound to `port` on 127.0.0.1, and waits until
 * GET /readyz answers 200. Killed by its PID on cleanup.
 */
/** `npm start`'s build step in `tree` (this one or a baseline's), in a process of its own. */
function buildServerIn(tree: string): void {
  execSync(`${JSON.stringify(process.execPath)} --import tsx src/start-build.cli.ts`, { cwd: tree, stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, NODE_ENV: "production" } });
}

export async function startServer(
  name: string,
  script: string,
  port: number,
  env: Record<string, string>,
  cwd: string,
  timeoutMs = 60_000,
): Promise<ChildServer> {
  // The V8 flags `npm start` uses (SERVER_NODE_FLAGS: young and old generation sizing; bench:catalog-cpu
  // with CPU_NODE_FLAGS compares others).
  // The API runs as `npm start` runs it, from its build (src/server-build.ts); a tree from before
  // that build existed (BENCH_BASELINE), and the bench's own servers, run under tsx.
  const built = script === "src/main.ts" && existsSync(path.join(cwd, "src/server-build.ts"));
  if (built) buildServerIn(cwd);
  const entry = built ? ["dist/server/src/main.js"] : ["--import", "tsx", script];
  const child: ChildProcess = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...entry], {
    cwd,
    env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (child.pid === undefined) throw new Error(`${name}: could not spawn`);
  const pid = child.pid;
  let exited: { code: number | null; signal: string | null } | undefined;
  const exitedPromise = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      exited = { code, signal };
      resolve();
    }),
  );
  const output: string[] = [];
  const problems: string[] = [];
  const collect = (stream: "stdout" | "stderr") => (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split("\n")) {
      if (!line.trim()) continue;
      output.push(line);
      if (output.length > 500) output.shift();
      let level: unknown;
      try {
        level = (JSON.parse(line) as { level?: unknown }).level;
      } catch {
        level = undefined;
      }
      if ((typeof level === "number" && level >= 40) || (level === undefined && stream === "stderr")) problems.push(line);
    }
  };
  child.stdout!.on("data", collect("stdout"));
  child.stderr!.on("data", collect("stderr"));

  const stop = async () => {
    if (exited) return;
    const kill = (signal: NodeJS.Signals) => {
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
    };
    kill("SIGTERM");
    const timer = setTimeout(() => {
      if (!exited) kill("SIGKILL");
    }, 15_000);
    await exitedPromise;
    clearTimeout(timer);
  };
  onCleanup(stop);

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`${name} exited during start-up (${JSON.stringify(exited)}):\n${output.slice(-20).join("\n")}`);
    try {
      const res = await fetch(`${baseUrl}/readyz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${name} not ready after ${timeoutMs} ms:\n${output.slice(-20).join("\n")}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { name, pid, baseUrl, output, problems, stop };
}

// ── load ──────────────────────────────────────────────────────────────────────

export interface LoadResult {
  label: string;
  round: number | "warm-up";
  reqPerSec: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** responses that were not a `{"data":...}` body without errors */
  mismatches: number;
}

export interface LoadTarget {
  label: string;
  url: string;
  body: string;
}

/** One autocannon run: POST `body` as JSON over `connections` connections for `seconds`. */
export async function runLoad(target: LoadTarget, round: LoadResult["round"], seconds: number, connections: number): Promise<LoadResult> {
  const result = await autocannon({
    url: target.url,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: target.body,
    connections,
    duration: seconds,
    verifyBody: (body) => body.startsWith('{"data":{') && !body.includes('"errors"'),
  });
  return {
    label: target.label,
    round,
    reqPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    mismatches: result.mismatches,
  };
}

export function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1);
}

// ── results file ──────────────────────────────────────────────────────────────

/** Markdown table of load results, one row per run and one mean row per label. */
export function resultsTable(runs: readonly LoadResult[], labels: readonly string[]): string {
  const lines = [
    "| endpoint | round | req/s | p50 ms | p99 ms | requests | non-2xx | errors | bad bodies |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|",
  ];
  const row = (label: string, round: string, r: Pick<LoadResult, "reqPerSec" | "p50" | "p99" | "requests" | "non2xx" | "errors" | "mismatches">) =>
    `| ${label} | ${round} | ${r.reqPerSec.toFixed(1)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.requests} | ${r.non2xx} | ${r.errors} | ${r.mismatches} |`;
  for (const r of runs) lines.push(row(r.label, String(r.round), r));
  for (const label of labels) {
    const mine = runs.filter((r) => r.label === label);
    lines.push(
      row(`**${label}**`, "**mean**", {
        reqPerSec: mean(mine.map((r) => r.reqPerSec)),
        p50: mean(mine.map((r) => r.p50)),
        p99: mean(mine.map((r) => r.p99)),
        requests: mine.reduce((a, r) => a + r.requests, 0),
        non2xx: mine.reduce((a, r) => a + r.non2xx, 0),
        errors: mine.reduce((a, r) => a + r.errors, 0),
        mismatches: mine.reduce((a, r) => a + r.mismatches, 0),
      }),
    );
  }
  return lines.join("\n");
}

/** Creates or replaces the `## <heading>` section of a markdown file, keeping the other sections. */
export function writeSection(file: string, heading: string, body: string): void {
  const title = `## ${heading}`;
  const section = `${title}\n\n${body.trim()}\n`;
  const existing = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmark results\n";
  const lines = existing.split("\n");
  const start = lines.findIndex((l) => l.trim() === title);
  let next: string;
  if (start === -1) {
    next = `${existing.trimEnd()}\n\n${section}`;
  } else {
    let end = lines.findIndex((l, i) => i > start && /^##? /.test(l));
    if (end === -1) end = lines.length;
    const before = lines.slice(0, start).join("\n").trimEnd();
    const after = lines.slice(end).join("\n").trim();
    next = `${before ? `${before}\n\n` : ""}${section}${after ? `\n${after}\n` : ""}`;
  }
  writeFileSync(file, next);
}

/** The `p`-th percentile (0–100) of ascending `sorted` values, nearest rank; 0 for no values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Runs a bench's `main`, prints its failure, runs the cleanups, and exits with its code. */
export async function runBench(name: string, main: () => Promise<number>): Promise<never> {
  let exitCode = 1;
  try {
    exitCode = await main();
  } catch (error) {
    console.error(`${name} failed:`, error instanceof Error ? (error.stack ?? error.message) : error);
    exitCode = 1;
  } finally {
    await runCleanup();
  }
  process.exit(exitCode);
}
