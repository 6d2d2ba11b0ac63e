import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServices } from "../src/app.js";
import { businessToday } from "../src/clock.js";
import type { Services } from "../src/graphql/context.js";
import { testConfig } from "./support/api.js";
import { type Callers, setUpCallers } from "./support/actors.js";
import { demoRows } from "./support/catalog-expectations.js";
import { type TestDatabase, onPostgres, openTestDatabase } from "./support/database.js";
import { type ServerProcess, startServerProcess } from "./support/server-process.js";

if (!onPostgres) console.log("sales report concurrency tests skipped: set TEST_DATABASE_URL to run them on PostgreSQL (2 server processes)");

const REPORT = `mutation ($input: ReportSalesInput!) { reportSales(input: $input) { salesReport { id status } replayed userErrors { code field } } }`;
const tea = demoRows.products.find((p) => p.name === "古丈毛尖" && p.unitPrice === "168.00")!;

describe.skipIf(!onPostgres)("reportSales under concurrency: 2 server processes on one PostgreSQL", () => {
  let tdb: TestDatabase;
  let servers: ServerProcess[] = [];
  let services: Services;
  let callers: Callers;
  let apiKey: string;

  beforeAll(async () => {
    tdb = await openTestDatabase();
    services = createServices(tdb.database, testConfig);
    callers = await setUpCallers(tdb.database, services);
    apiKey = (await services.apiKeys.createApiKey(callers.admin, { name: "并发报送", partnerName: "济南扶贫馆", scopes: ["SALES_REPORT"], requestsPerMinute: 100_000 })).secret;
    const env = { DATABASE_URL: tdb.url!, NODE_ENV: "test", LOG_LEVEL: "info", DB_POOL_SIZE: "10", RATE_LIMIT_ANONYMOUS_PER_MINUTE: "0", RATE_LIMIT_USER_PER_MINUTE: "0" };
    const started = await Promise.allSettled([0, 1].map(() => startServerProcess(env)));
    servers = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
    const failed = started.find((s) => s.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }, 180_000);

  afterAll(async () => {
    for (const s of servers) if (s.child.exitCode === null) s.child.kill("SIGTERM");
    await Promise.all(servers.map((s) => s.exited));
    await tdb?.drop();
  });

  const call = async (i: number, input: Record<string, unknown>) => {
    const response = await fetch(`${servers[i % servers.length]!.baseUrl}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": apiKey },
      body: JSON.stringify({ query: REPORT, variables: { input } }),
    });
    const body = (await response.json()) as any;
    expect(body.errors).toBeUndefined();
    return body.data.reportSales;
  };
  const lines = (quantity: number) =>
    Array.from({ length: 200 }, (_, i) => ({ catalogNo: tea.catalogNo, quantity, amount: (168 * quantity).toFixed(2), soldOn: businessToday(), channel: i % 2 ? "E_COMMERCE" : "EAST_WEST_COOPERATION", buyerRegion: "济南市" }));
  const count = async (table: "sales_reports" | "sales_lines") => Number((await tdb.database.rows<{ n: number }>(sql`select count(*)::int as n from ${sql.raw(table)}`))[0]!.n);

  it("the same idempotency key sent to both processes at once makes one report, which both answers name", async () => {
    for (let round = 0; round < 8; round++) {
      const input = { idempotencyKey: `并发-${round}`, lines: lines(1 + round) };
      const [a, b] = await Promise.all([call(0, input), call(1, input)]);
      expect(a.userErrors).toEqual([]);
      expect(b.userErrors).toEqual([]);
      expect(a.salesReport.id).toBe(b.salesReport.id);
      expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    }
    expect(await count("sales_reports")).toBe(8);
    expect(await count("sales_lines")).toBe(8 * 200);
  }, 60_000);

  it("a report of 10,000 lines (about 1.5 MB) sent to both processes at once is taken whole, once", async () => {
    const [reports, rows] = [await count("sales_reports"), await count("sales_lines")];
    const input = { idempotencyKey: "万行", lines: Array.from({ length: 50 }, (_, i) => lines(1 + (i % 3))).flat() };
    expect(input.lines).toHaveLength(10_000);
    // Far over the anonymous body limit; a credentialed request may be up to MAX_CREDENTIALED_BODY_BYTES.
    expect(Buffer.byteLength(JSON.stringify({ query: REPORT, variables: { input } }))).toBeGreaterThan(10 * testConfig.MAX_BODY_BYTES);
    const [a, b] = await Promise.all([call(0, input), call(1, input)]);
    expect(a.userErrors).toEqual([]);
    expect(b.userErrors).toEqual([]);
    expect(a.salesReport.id).toBe(b.salesReport.id);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    expect(await count("sales_reports")).toBe(reports + 1);
    expect(await count("sales_lines")).toBe(rows + 10_000);
  }, 120_000);

  it("two corrections of one report racing: one supersedes it, the other changes nothing", async () => {
    const first = await call(0, { idempotencyKey: "待更正", lines: lines(1) });
    const [reports, rows] = [await count("sales_reports"), await count("sales_lines")];
    const [a, b] = await Promise.all([
      call(0, { idempotencyKey: "更正-甲", corrects: first.salesReport.id, lines: lines(2) }),
      call(1, { idempotencyKey: "更正-乙", corrects: first.salesReport.id, lines: lines(3) }),
    ]);
    const winners = [a, b].filter((r) => r.userErrors.length === 0);
    const losers = [a, b].filter((r) => r.userErrors.length > 0);
    expect(winners).toHaveLength(1);
    expect(losers[0].userErrors).toEqual([{ code: "INVALID_TRANSITION", field: ["input", "corrects"] }]);
    expect(await count("sales_reports")).toBe(reports + 1);
    expect(await count("sales_lines")).toBe(rows + 200);
    const [old] = await tdb.database.rows<{ superseded: boolean }>(sql`select superseded_by_id is not null as superseded from sales_reports where idempotency_key = '待更正'`);
    expect(old!.superseded).toBe(true);
  }, 60_000);
});
