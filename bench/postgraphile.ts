/**
 * PostGraphile 4.14.1, the generic GraphQL-over-PostgreSQL server bench:catalog compares against.
 * Installed for the benchmark only, on first use, into bench/.postgraphile (git-ignored): it is not a
 * dependency of the API.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type ChildServer, onCleanup } from "./support.js";

export const POSTGRAPHILE_VERSION = "4.14.1";

/** The catalog page of the issue, in PostGraphile's generated schema. */
export const POSTGRAPHILE_QUERY =
  "query Catalog { allProducts(first: 50, condition: {status: LISTED}, orderBy: PRIMARY_KEY_ASC) { edges { node { id name unitPrice enterprisByEnterpriseId { name divisionByCountyCode { name } } } } } }";

/** Installs PostGraphile into `<benchDir>/.postgraphile` unless that version is there; returns its CLI. */
export function ensurePostgraphile(benchDir: string, log: (message: string) => void): string {
  const dir = path.join(benchDir, ".postgraphile");
  const cli = path.join(dir, "node_modules", "postgraphile", "cli.js");
  const manifest = path.join(dir, "node_modules", "postgraphile", "package.json");
  if (existsSync(manifest) && JSON.parse(readFileSync(manifest, "utf8")).version === POSTGRAPHILE_VERSION) return cli;
  log(`installing postgraphile@${POSTGRAPHILE_VERSION} into ${dir} (benchmark only, git-ignored)`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ private: true, description: "bench:catalog's PostGraphile side" }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--no-save", `postgraphile@${POSTGRAPHILE_VERSION}`], { cwd: dir, stdio: "inherit" });
  return cli;
}

/**
 * Starts `postgraphile -c <url> -s public` (the caller marks the tables it should not expose with
 * `@omit` smart comments) on 127.0.0.1:<port> and waits until /graphql answers. */
export async function startPostgraphile(cli: string, databaseUrl: string, port: number, poolSize: number): Promise<ChildServer> {
  const child = spawn(
    process.execPath,
    [cli, "-c", databaseUrl, "-s", "public", "--host", "127.0.0.1", "--port", String(port), "--disable-query-log", "--max-pool-size", String(poolSize)],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NODE_ENV: "production" } },
  );
  if (child.pid === undefined) throw new Error("postgraphile: could not spawn");
  const output: string[] = [];
  const problems: string[] = [];
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => child.once("exit", () => ((exited = true), resolve())));
  child.stdout!.on("data", (chunk: Buffer) => output.push(...chunk.toString("utf8").split("\n").filter(Boolean)));
  child.stderr!.on("data", (chunk: Buffer) => {
    const lines = chunk.toString("utf8").split("\n").filter(Boolean);
    output.push(...lines);
    problems.push(...lines);
  });
  const stop = async () => {
    if (exited) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exitedPromise;
    clearTimeout(timer);
  };
  onCleanup(stop);
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`postgraphile exited during start-up:\n${output.slice(-20).join("\n")}`);
    try {
      const res = await fetch(`${baseUrl}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"query":"{ __typename }"}' });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`postgraphile not ready after 60 s:\n${output.slice(-20).join("\n")}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { name: "postgraphile", pid: child.pid, baseUrl, output, problems, stop };
}

/** Resident set size of a process in MB (Linux /proc), or NaN when unknown. */
export function rssMb(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Number(kb) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}
