import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Database } from "../db/client.js";
import type { RequestContext } from "../graphql/context.js";
import { observeUserErrors } from "../graphql/payload.js";

/** Distinct values a label may take; later ones are counted as "other". */
const MAX_OPERATION_NAMES = 100;
const MAX_ERROR_CODES = 50;
const MAX_LABEL_LENGTH = 64;

/** Keeps an attacker-chosen label (an operation's name) from growing the series without bound. */
class BoundedLabel {
  private readonly seen = new Set<string>();
  constructor(private readonly max: number) {}

  of(value: string): string {
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.max || value.length > MAX_LABEL_LENGTH || !/^[_A-Za-z][_0-9A-Za-z]*$/.test(value)) return "other";
    this.seen.add(value);
    return value;
  }
}

/** How a request ended, from its HTTP status and top-level errors. */
function outcomeOf(status: number, errorCount: number): string {
  if (status === 503) return "unavailable";
  if (status === 429) return "rate_limited";
  if (status >= 500) return "failed";
  if (status >= 400) return "rejected";
  return errorCount > 0 ? "error" : "ok";
}

/** The code of a refusal the HTTP layer answers itself, before Apollo runs. */
const codeOfStatus: Record<number, string> = {
  400: "BAD_REQUEST",
  401: "UNAUTHENTICATED",
  413: "PAYLOAD_TOO_LARGE",
  429: "RATE_LIMITED",
  503: "SERVICE_UNAVAILABLE",
};

export interface Metrics {
  /** One /graphql request, when its answer has gone out. */
  observeRequest(context: RequestContext, status: number, seconds: number): void;
  /** GET /metrics: Prometheus text; a bearer token when METRICS_TOKEN is set. */
  serve(req: IncomingMessage, res: ServerResponse): Promise<void>;
  stop(): void;
}

/** One registry per server (prom-client's global one would collide between servers in one process). */
export function createMetrics(database: Database, token: string | undefined): Metrics {
  const registry = new Registry();
  // process CPU, memory, GC, and event-loop lag (nodejs_eventloop_lag_seconds and its percentiles)
  collectDefaultMetrics({ register: registry });
  const operations = new BoundedLabel(MAX_OPERATION_NAMES);
  const codes = new BoundedLabel(MAX_ERROR_CODES);
  const labelNames = ["operation", "outcome"] as const;
  const requests = new Counter({
    name: "fupin_graphql_requests_total",
    help: 'GraphQL requests by operation name ("unknown" before validation, "anonymous" without a name, "other" past the cap) and outcome',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "fupin_graphql_request_duration_seconds",
    help: "GraphQL request latency by operation name and outcome",
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const errors = new Counter({
    name: "fupin_graphql_errors_total",
    help: "Top-level GraphQL errors by extensions.code (including the HTTP layer's own refusals)",
    labelNames: ["code"],
    registers: [registry],
  });
  const userErrors = new Counter({
    name: "fupin_graphql_user_errors_total",
    help: "userErrors returned in mutation payloads, by code",
    labelNames: ["code"],
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: "fupin_rate_limit_refusals_total",
    help: "Requests refused with HTTP 429 by the request budgets, by kind of caller",
    labelNames: ["caller"],
    registers: [registry],
  });
  const loginThrottled = new Counter({
    name: "fupin_login_throttled_total",
    help: "Logins refused by the failed-login throttle (TOO_MANY_ATTEMPTS)",
    registers: [registry],
  });
  const pool = (name: string, help: string, read: (p: { size: number; inUse: number; waiting: number }) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const now = database.pool?.();
        if (now) this.set(read(now));
      },
    });
  pool("fupin_db_pool_size", "Connections the PostgreSQL pool may open (DB_POOL_SIZE)", (p) => p.size);
  pool("fupin_db_pool_in_use", "Connections busy with a statement or an open transaction (counted by the API: postgres.js exposes no pool counters)", (p) => p.inUse);
  pool("fupin_db_pool_waiting", "Statements and transactions waiting for a free connection (counted by the API)", (p) => p.waiting);

  const unsubscribe = observeUserErrors((code) => {
    userErrors.inc({ code: codes.of(code) });
    if (code === "TOO_MANY_ATTEMPTS") loginThrottled.inc();
  });
  const expected = token ? createHash("sha256").update(token).digest() : undefined;

  return {
    observeRequest(context, status, seconds) {
      if (status === 499) return; // the client left; nothing was answered
      const operation = context.outcome.operation;
      // A public read answered from the response cache never reached Apollo.
      const cached = context.outcome.operationName === "(cached)";
      const name = operation ? operations.of(operation.name ?? "anonymous") : cached ? "cached" : "unknown";
      const found = context.outcome.errorCodes ?? (codeOfStatus[status] ? [codeOfStatus[status]!] : []);
      const labels = { operation: name, outcome: outcomeOf(status, found.length) };
      requests.inc(labels);
      duration.observe(labels, seconds);
      for (const code of found) errors.inc({ code: codes.of(code) });
      if (status === 429) rateLimited.inc({ caller: context.actor.kind });
    },
    async serve(req, res) {
      if (expected) {
        const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
        const given = createHash("sha256").update(match?.[1] ?? "").digest();
        if (!match || !timingSafeEqual(given, expected)) {
          const text = JSON.stringify({ error: "unauthenticated: /metrics needs METRICS_TOKEN as a bearer token" });
          res.writeHead(401, { "content-type": "application/json; charset=utf-8", "www-authenticate": 'Bearer realm="metrics"' });
          res.end(text);
          return;
        }
      }
      const text = await registry.metrics();
      res.writeHead(200, { "content-type": registry.contentType, "cache-control": "no-store" });
      res.end(text);
    },
    stop: unsubscribe,
  };
}
