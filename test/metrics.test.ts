import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/config.js";
import { useTestServer } from "./support/api.js";
import { onPostgres } from "./support/database.js";

const METRICS_TOKEN = "metrics-token-for-the-test-0123456789";
const ANONYMOUS_PER_MINUTE = 400;

/** One sample of the exposition text: the value of `name` whose labels include `labels`, summed. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) total += Number(match[3]);
  }
  return total;
}

/** The distinct values of one label of a metric. */
function labelValues(text: string, name: string, label: string): Set<string> {
  const values = new Set<string>();
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`)) continue;
    const value = new RegExp(`${label}="([^"]*)"`).exec(line)?.[1];
    if (value !== undefined) values.add(value);
  }
  return values;
}

describe("GET /metrics (Prometheus text, prom-client)", () => {
  const setup = useTestServer({
    // No response cache: every request reaches Apollo (a cached answer is labelled "cached").
    config: parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", METRICS_TOKEN, RATE_LIMIT_ANONYMOUS_PER_MINUTE: String(ANONYMOUS_PER_MINUTE), RESPONSE_CACHE_ENTRIES: "0" }),
  });

  const scrape = async () => {
    const response = await fetch(`${setup.base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.text();
  };
  const post = async (query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
    const response = await fetch(`${setup.base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  it("needs METRICS_TOKEN as a bearer token", async () => {
    expect((await fetch(`${setup.base}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${setup.base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}x` } });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain("fupin_");
    expect(await scrape()).toContain("fupin_graphql_requests_total");
  });

  it("counts requests and latency by operation name and outcome, and errors by code", async () => {
    const before = await scrape();
    for (let i = 0; i < 3; i++) expect((await post(`query CatalogPage { catalog(first: 2) { totalCount } }`)).status).toBe(200);
    const invalid = await post(`query NotValid { noSuchField }`);
    expect(invalid.status).toBe(400);
    const forbidden = await post(`query Units { budgetUnits(first: 1) { totalCount } }`);
    const forbiddenCodes = (forbidden.body.errors ?? []).map((e: any) => e.extensions.code);
    const unauthenticated = await post(`query Who { viewer { user { id } } }`, {}, { authorization: "Bearer not-a-token" });
    expect(unauthenticated.status).toBe(401);
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string> = {}) => sample(after, name, labels) - sample(before, name, labels);

    expect(delta("fupin_graphql_requests_total", { operation: "CatalogPage", outcome: "ok" })).toBe(3);
    expect(delta("fupin_graphql_request_duration_seconds_count", { operation: "CatalogPage", outcome: "ok" })).toBe(3);
    expect(delta("fupin_graphql_request_duration_seconds_sum", { operation: "CatalogPage", outcome: "ok" })).toBeGreaterThan(0);
    // A name that failed validation is not a label value.
    expect(labelValues(after, "fupin_graphql_requests_total", "operation").has("NotValid")).toBe(false);
    expect(delta("fupin_graphql_requests_total", { operation: "unknown", outcome: "rejected" })).toBe(2);
    // The refused query's own codes (anonymous: UNAUTHENTICATED), the validation failure, the bad token.
    const expected = new Map<string, number>([["GRAPHQL_VALIDATION_FAILED", 1], ["UNAUTHENTICATED", 1]]);
    for (const code of forbiddenCodes as string[]) expected.set(code, (expected.get(code) ?? 0) + 1);
    expect(forbiddenCodes.length).toBeGreaterThan(0);
    for (const [code, count] of expected) expect(delta("fupin_graphql_errors_total", { code }), code).toBe(count);
    expect(delta("fupin_graphql_requests_total", { operation: "Units", outcome: "error" })).toBe(1);
  });

  it("bounds the operation label: at most 100 names, long or excess ones as \"other\"", async () => {
    await post(`query ${"L".repeat(80)} { __typename }`);
    for (let i = 0; i < 110; i++) expect((await post(`query Probe${i} { __typename }`)).status).toBe(200);
    const text = await scrape();
    const names = labelValues(text, "fupin_graphql_requests_total", "operation");
    expect(names.has("L".repeat(80))).toBe(false);
    expect(names.has("other")).toBe(true);
    const named = [...names].filter((n) => !["other", "unknown", "anonymous", "cached"].includes(n));
    expect(named.length).toBeLessThanOrEqual(100);
    expect(named.length).toBeGreaterThan(90);
  });

  it("counts login throttles (TOO_MANY_ATTEMPTS) and userErrors by code", async () => {
    const before = await scrape();
    const codes: string[] = [];
    for (let i = 0; i < 8; i++) {
      const r = await post(`mutation { login(input: {username: "admin", password: "wrong-password-${i}"}) { token userErrors { code } } }`);
      codes.push(r.body.data.login.userErrors[0].code);
    }
    const after = await scrape();
    const throttled = codes.filter((c) => c === "TOO_MANY_ATTEMPTS").length;
    expect(throttled).toBeGreaterThan(0);
    expect(sample(after, "fupin_login_throttled_total") - sample(before, "fupin_login_throttled_total")).toBe(throttled);
    const wrong = codes.filter((c) => c === "INVALID_CREDENTIALS").length;
    const userErrorsDelta = (code: string) => sample(after, "fupin_graphql_user_errors_total", { code }) - sample(before, "fupin_graphql_user_errors_total", { code });
    expect(userErrorsDelta("INVALID_CREDENTIALS")).toBe(wrong);
    expect(userErrorsDelta("TOO_MANY_ATTEMPTS")).toBe(throttled);
  });

  it("reports event-loop lag, process metrics and the database pool", async () => {
    const text = await scrape();
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d/m);
    for (const name of ["fupin_db_pool_size", "fupin_db_pool_in_use", "fupin_db_pool_waiting"]) expect(text).toMatch(new RegExp(`^${name} \\d+$`, "m"));
    if (onPostgres) {
      expect(sample(text, "fupin_db_pool_size")).toBe(20); // the test database's pool
      // Busy connections while requests run: sampled during 30 concurrent catalog requests.
      const running = Promise.all(Array.from({ length: 30 }, () => post(`query Busy { catalog(first: 50) { nodes { name enterprise { name } } } }`)));
      let busiest = 0;
      for (let i = 0; i < 20; i++) busiest = Math.max(busiest, sample(await scrape(), "fupin_db_pool_in_use") + sample(await scrape(), "fupin_db_pool_waiting"));
      await running;
      expect(busiest).toBeGreaterThan(0);
      // Every connection is given back once they are done (polled: the webhook worker and the expiry
      // job of this server also borrow one now and then, for a moment).
      await expect.poll(async () => sample(await scrape(), "fupin_db_pool_in_use"), { timeout: 15_000, interval: 50 }).toBe(0);
    }
  });

  it("counts rate-limit refusals by kind of caller", async () => {
    const before = sample(await scrape(), "fupin_rate_limit_refusals_total", { caller: "anonymous" });
    let refused = 0;
    // Budgets are per minute: a run that straddles a minute's end may need a second minute's worth.
    for (let i = 0; i < 2 * ANONYMOUS_PER_MINUTE + 5 && refused < 3; i++) {
      if ((await post(`query Spam { __typename }`)).status === 429) refused += 1;
    }
    expect(refused).toBe(3);
    const text = await scrape();
    expect(sample(text, "fupin_rate_limit_refusals_total", { caller: "anonymous" }) - before).toBe(3);
    expect(sample(text, "fupin_graphql_requests_total", { operation: "unknown", outcome: "rate_limited" })).toBe(3);
  });
});
