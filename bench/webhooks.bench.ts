/**
 * Webhook fan-out: 1,000 outbox events to 5 local subscribers (5,000 signed POSTs), all delivered
 * within 10 s (issue 12, Performance). Runs on the embedded database (PGlite, the worker in-process)
 * and on PostgreSQL, the API's own worker with its default settings (WEBHOOK_CONCURRENCY,
 * WEBHOOK_POLL_MS), and writes the "Webhooks" section of bench/RESULTS.md.
 *
 * Env: BENCH_DATABASE_URL (admin URL, default postgres://postgres@127.0.0.1:5432/postgres; "none"
 * skips PostgreSQL), BENCH_SKIP_PGLITE=true, BENCH_EVENTS (default 1000), BENCH_SUBSCRIBERS (default 5).
 */
import "reflect-metadata";
import { randomBytes, randomUUID } from "node:crypto";
import os from "node:os";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { createApp } from "../src/app.js";
import { parseConfig } from "../src/config.js";
import { type Database, openDatabase } from "../src/db/client.js";
import { createLogger } from "../src/logger.js";
import { recordEvent } from "../src/modules/outbox/index.js";
import { type Receiver, startReceiver } from "../test/support/webhooks.js";
import { onCleanup, percentile, runCleanup, writeSection } from "./support.js";

const ADMIN_URL = process.env.BENCH_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1000);
const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 5);
const TARGET_MS = 10_000;
const RESULTS_FILE = fileURLToPath(new URL("./RESULTS.md", import.meta.url));

interface Run {
  database: string;
  /** from the first event's transaction to the last delivery's arrival */
  totalMs: number;
  /** writing the events (100 transactions of 10) */
  writeMs: number;
  deliveries: number;
  duplicates: number;
  p50: number;
  p95: number;
  max: number;
}

async function run(label: string, database: Database): Promise<Run> {
  await database.migrate();
  const config = parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", WEBHOOK_ALLOW_PRIVATE: "true", RESPONSE_CACHE_ENTRIES: "0" });
  const app = await createApp(config, database, createLogger("warn"));
  const receivers: Receiver[] = [];
  try {
    // The key as an admin would make it (the bench has no users; the audit row names no actor).
    const { apiKey } = await app.services.apiKeys.createApiKey({ actor: { kind: "anonymous" }, requestId: "bench" }, { name: "bench", partnerName: "扶贫832平台", scopes: ["CATALOG_READ"] });
    const partner = { actor: { kind: "apiKey" as const, apiKeyId: apiKey.id, partnerName: "扶贫832平台", scopes: ["CATALOG_READ"] }, requestId: "bench" };
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const receiver = await startReceiver();
      receivers.push(receiver);
      await app.services.webhooks.createSubscription(partner, { url: receiver.url, events: ["CATALOG_CHANGED"] });
    }
    const committedAt = new Map<string, number>();
    const started = performance.now();
    const startedAt = Date.now();
    for (let t = 0; t < EVENTS / 10; t++) {
      const ids = Array.from({ length: 10 }, () => randomUUID());
      await database.transaction((tx) =>
        recordEvent(
          tx,
          ids.map((id, i) => ({
            topic: "catalog.changed" as const,
            aggregateType: "Product",
            aggregateId: id,
            payload: { kind: "UPDATED", reason: null, catalogNo: `433124-2020-${String(t * 10 + i).padStart(6, "0")}`, fields: ["unitPrice"] },
          })),
        ),
      );
      const now = Date.now();
      for (const id of ids) committedAt.set(Buffer.from(`Product:${id}`).toString("base64url"), now);
    }
    const writeMs = performance.now() - started;
    await Promise.all(receivers.map((r) => r.waitFor(EVENTS, 120_000)));
    const totalMs = Math.max(...receivers.flatMap((r) => r.received.map((d) => d.at))) - startedAt;
    await new Promise((resolve) => setTimeout(resolve, 500));
    const all = receivers.flatMap((r) => r.received);
    const latencies = all.map((d) => d.at - committedAt.get(JSON.parse(d.body).data.productId)!).sort((a, b) => a - b);
    const distinct = new Set(receivers.flatMap((r, i) => r.received.map((d) => `${i}:${d.headers["x-fupin-delivery"]}`)));
    return {
      database: label,
      totalMs,
      writeMs,
      deliveries: all.length,
      duplicates: all.length - distinct.size,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      max: latencies.at(-1) ?? 0,
    };
  } finally {
    await app.stop();
    await Promise.all(receivers.map((r) => r.close()));
  }
}

async function onPostgres(): Promise<Run | null> {
  if (ADMIN_URL === "none") return null;
  const name = `fupin_bench_webhooks_${randomBytes(4).toString("hex")}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  onCleanup(async () => {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  });
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), poolSize: 10 });
  try {
    return await run("PostgreSQL", database);
  } finally {
    await database.close();
  }
}

async function main(): Promise<void> {
  const loadAtStart = os.loadavg()[0]!;
  const runs: Run[] = [];
  if (process.env.BENCH_SKIP_PGLITE !== "true") {
    const lite = await openDatabase({});
    try {
      runs.push(await run("PGlite (embedded)", lite));
    } finally {
      await lite.close();
    }
  }
  const pg = await onPostgres();
  if (pg) runs.push(pg);
  const loadAtEnd = os.loadavg()[0]!;
  const cpus = os.cpus();
  const defaults = parseConfig({ NODE_ENV: "test" });
  const rows = runs.map(
    (r) =>
      `| ${r.database} | ${EVENTS} × ${SUBSCRIBERS} | ${r.deliveries} | ${r.duplicates} | ${(r.writeMs / 1000).toFixed(2)} | **${(r.totalMs / 1000).toFixed(2)}** ${r.totalMs <= TARGET_MS ? "(≤ 10 s)" : "**over 10 s**"} | ${r.p50} | ${r.p95} | ${r.max} |`,
  );
  const report = [
    `Run ${new Date().toISOString()} with \`npm run bench:webhooks\`.`,
    "",
    `- Machine: ${cpus[0]?.model ?? "unknown CPU"}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`,
    `- Load average (1 min) at start: ${loadAtStart.toFixed(2)}, at end: ${loadAtEnd.toFixed(2)} (anything else running on the machine skews the numbers)`,
    `- ${EVENTS} outbox events (\`catalog.changed\`, written by ${EVENTS / 10} transactions of 10, one after another) fanned out to ${SUBSCRIBERS} subscriptions of one partner key, each to its own HTTP receiver on 127.0.0.1 (in the same process, answering 200 at once)`,
    `- The API's own delivery worker (createApp), default settings: WEBHOOK_CONCURRENCY=${defaults.WEBHOOK_CONCURRENCY} attempts at a time, WEBHOOK_POLL_MS=${defaults.WEBHOOK_POLL_MS}, fan-out batches of 500; every POST signed, every attempt recorded (in batches)`,
    "- Total = from the first event's transaction to the last delivery's arrival; latency = from an event's commit to its arrival at one receiver",
    "- Target: all delivered within 10 s",
    "",
    "| database | events × subscribers | deliveries received | duplicates | writing the events s | all delivered after s | latency p50 ms | p95 ms | max ms |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ...rows,
  ].join("\n");
  console.log(`\n${report}\n`);
  writeSection(RESULTS_FILE, "Webhooks", report);
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => runCleanup());
