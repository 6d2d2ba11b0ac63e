import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { HeaderMap, type HTTPGraphQLResponse } from "@apollo/server";
import type { ApolloServer } from "@apollo/server";
import type { Logger } from "pino";
import type { Config } from "../config.js";
import type { Database } from "../db/client.js";
import { UnauthenticatedError } from "../errors.js";
import { isDatabaseUnavailable } from "../db/errors.js";
import { SERVICE_UNAVAILABLE, unavailableMessage, unavailableRetryAfterSeconds } from "../graphql/errors.js";
import { createMetrics } from "./metrics.js";
import type { Actor } from "../actor.js";
import { authenticate } from "./authenticate.js";
import type { CompiledReads } from "../graphql/compiled-reads.js";
import { type ResponseCache, matchesEntityTag } from "./response-cache.js";
import { clientAddress as resolveClientAddress, trustedProxies } from "./client-address.js";
import { createExportHandler, exportPaths } from "../modules/exports/index.js";
import { type ImportRoute, createImportHandler } from "../modules/household-import/index.js";
import { createConsoleHandler } from "./console.js";
import { createGraphiqlHandler } from "./graphiql.js";
import { withStatementTally } from "../db/statement-tally.js";
import { type ContextFactory, type RequestContext, createRequestContext } from "../graphql/context.js";

export interface HttpServerOptions {
  apollo: ApolloServer<RequestContext>;
  database: Database;
  contexts: ContextFactory;
  logger: Logger;
  config: Config;
  /** the read shapes answered without graphql execution (absent: everything through Apollo) */
  compiledReads?: CompiledReads;
  /** answers to public reads, shared by the process's requests (absent: no cache) */
  responseCache?: ResponseCache;
}

/** A body over the limit; `drained` says whether it was read to its end (the socket can still answer). */
class BodyTooLargeError extends Error {
  constructor(readonly drained: boolean) {
    super("body too large");
  }
}
class ClientGoneError extends Error {}

/**
 * Reads a body of at most `limit` bytes. A larger one is read on and discarded up to `discardLimit`
 * bytes, so the client (Node's fetch included) has finished sending and receives the 413; past
 * that bound the 413 is sent without waiting and the socket closed.
 */
function readBody(req: IncomingMessage, limit: number, discardLimit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    if (req.destroyed) {
      reject(new ClientGoneError());
      return;
    }
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > Math.max(limit, discardLimit)) {
      reject(new BodyTooLargeError(false));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        if (!tooLarge) chunks.length = 0;
        tooLarge = true;
        if (size > discardLimit) {
          req.pause();
          reject(new BodyTooLargeError(false));
        }
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => (tooLarge ? reject(new BodyTooLargeError(true)) : resolve(Buffer.concat(chunks).toString("utf8"))));
    req.on("error", reject);
    // A client that hangs up mid-body ends the request's work too (shutdown waits for it otherwise).
    req.on("close", () => {
      if (!req.complete) reject(new ClientGoneError());
    });
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

function requestError(res: ServerResponse, status: number, code: string, message: string, extra: Record<string, unknown> = {}): void {
  sendJson(res, status, { errors: [{ message, extensions: { code, ...extra } }] });
}

const JSON_CONTENT_TYPE = "application/json; charset=utf-8";

/**
 * Whether Apollo would answer this POST as `application/json` (what compiled reads write): a JSON
 * body, and no Accept header or one naming exactly that (anything else: Apollo negotiates).
 */
function acceptsJson(req: IncomingMessage): boolean {
  const type = req.headers["content-type"];
  if (!type || !/^application\/json\s*(;|$)/i.test(type)) return false;
  const accept = req.headers.accept;
  return accept === undefined || accept === "" || accept === "*/*" || /^application\/json\s*(;\s*charset=utf-8\s*)?$/i.test(accept);
}

/** Answers a public read with its entity tag: 304 without a body when the client has these bytes. */
function sendCached(res: ServerResponse, req: IncomingMessage, body: string, contentType: string, etag: string): number {
  res.setHeader("etag", etag);
  // Public answers; the key includes the caller class, so shared caches must keep them apart too.
  res.setHeader("vary", "authorization, x-api-key");
  if (matchesEntityTag(req.headers["if-none-match"], etag)) {
    res.writeHead(304);
    res.end();
    return 304;
  }
  res.writeHead(200, { "content-type": contentType, "content-length": Buffer.byteLength(body) });
  res.end(body);
  return 200;
}

/** The database is unreachable: 503 with Retry-After (API.md "Second round"). */
function serviceUnavailable(res: ServerResponse): void {
  res.setHeader("retry-after", String(unavailableRetryAfterSeconds));
  requestError(res, 503, SERVICE_UNAVAILABLE, unavailableMessage, { retryAfterSeconds: unavailableRetryAfterSeconds });
}

const readRetryDelayMs = 100;

/** A query (never a mutation) whose answer is SERVICE_UNAVAILABLE, not streamed. */
function shouldRetryRead(context: RequestContext, result: HTTPGraphQLResponse): boolean {
  return (
    result.body.kind === "complete" &&
    context.outcome.operation?.type === "query" &&
    (context.outcome.errorCodes ?? []).includes(SERVICE_UNAVAILABLE)
  );
}

/** The HTTP server: /graphql (Apollo), /exports/* (spreadsheets), /imports/* (household and collective-income files), /healthz (process up), /readyz (database answers), /metrics (Prometheus). */
export function createHttpServer(options: HttpServerOptions): Server {
  const { apollo, database, contexts, logger, config, responseCache, compiledReads } = options;
  const { services } = contexts;
  // Credentialed callers (a partner's key, a logged-in user) may send more: a sales report of 10,000 lines.
  // The credential is checked after the body has arrived; a forged header only buys the larger bound.
  const bodyLimitOf = (req: IncomingMessage) =>
    req.headers["x-api-key"] || req.headers.authorization ? Math.max(config.MAX_BODY_BYTES, config.MAX_CREDENTIALED_BODY_BYTES) : config.MAX_BODY_BYTES;
  const maxDiscardedBytes = config.MAX_DISCARDED_BODY_BYTES;
  const metrics = createMetrics(database, config.METRICS_TOKEN);
  const exportHandler = createExportHandler();
  const importRoutes: Record<string, ImportRoute> = {
    "/imports/households": { importer: (s) => s.householdImport, compares: true },
    "/imports/collective-incomes": { importer: (s) => s.collectiveIncomeImport },
  };
  const importPaths = Object.keys(importRoutes);
  const importHandler = createImportHandler({ maxBytes: config.IMPORT_MAX_BYTES, routes: importRoutes });
  // GraphiQL (GET /graphql for browsers, /graphiql/*): outside production, or when GRAPHIQL=true.
  const graphiql = config.NODE_ENV !== "production" || config.GRAPHIQL ? createGraphiqlHandler() : undefined;
  // The console (/console, /console/*): for offices and officers, in every environment.
  const webConsole = createConsoleHandler();
  // Counting statements per request needs AsyncLocalStorage (promise hooks, ~5 % CPU on Node 20):
  // only when the per-request log line that reports the count is written.
  const tallied = <T>(context: { tally: { count: number } }, work: () => T): T =>
    logger.isLevelEnabled("info") ? withStatementTally(context.tally, work) : work();

  const trusted = trustedProxies(config.TRUSTED_PROXIES);

  /** Request budgets (shared by replicas through PostgreSQL): per API key, per user, per address for anonymous callers. */
  async function withinBudget(res: ServerResponse, actor: Actor, requestsPerMinute: number | undefined, clientAddress: string): Promise<boolean> {
    const budget = services.rateLimits.budgetFor(actor, clientAddress, requestsPerMinute);
    if (!budget) return true;
    const { bucket, limit } = budget;
    const decision = await services.rateLimits.consume(bucket, limit);
    res.setHeader("x-ratelimit-limit", String(decision.limit));
    res.setHeader("x-ratelimit-remaining", String(decision.remaining));
    res.setHeader("x-ratelimit-reset", String(decision.resetSeconds));
    if (decision.allowed) return true;
    res.setHeader("retry-after", String(decision.resetSeconds));
    requestError(res, 429, "RATE_LIMITED", `Rate limit of ${limit} requests per minute exceeded; retry after ${decision.resetSeconds} s`, {
      retryAfterSeconds: decision.resetSeconds,
      limit: { name: "requestsPerMinute", max: limit },
    });
    return false;
  }

  /**
   * Who calls, for /graphql and /exports alike: sets `context.actor` from the bearer token or API key
   * and spends the request budget. Returns the status already answered (401, 429), or undefined.
   */
  async function identify(req: IncomingMessage, res: ServerResponse, context: RequestContext, clientAddress: string): Promise<number | undefined> {
    try {
      const apiKeyHeader = req.headers["x-api-key"];
      const { actor, requestsPerMinute } = await tallied(context, () =>
        authenticate(services, {
          authorization: req.headers.authorization,
          apiKey: Array.isArray(apiKeyHeader) ? apiKeyHeader[0] : apiKeyHeader,
        }),
      );
      context.actor = actor;
      if (!(await tallied(context, () => withinBudget(res, actor, requestsPerMinute, clientAddress)))) return 429;
      return undefined;
    } catch (error) {
      if (!(error instanceof UnauthenticatedError)) throw error;
      res.setHeader("www-authenticate", 'Bearer realm="fupin"');
      requestError(res, 401, "UNAUTHENTICATED", error.message);
      return 401;
    }
  }

  /**
   * A request's context and client address (X-Forwarded-For only from TRUSTED_PROXIES), with its ids
   * on the response. The request id is the server's own; a client's X-Request-Id is only a sanitised
   * correlation id.
   */
  function requestContextOf(req: IncomingMessage, res: ServerResponse) {
    const clientAddress = resolveClientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"], trusted);
    const correlationId = req.headers["x-request-id"];
    const context = createRequestContext(contexts, logger, { correlationId: Array.isArray(correlationId) ? correlationId[0] : correlationId, clientAddress });
    res.setHeader("x-request-id", context.requestId);
    if (context.correlationId) res.setHeader("x-correlation-id", context.correlationId);
    return { context, clientAddress };
  }

  /**
   * GET /exports/* and POST /imports/*: the caller identified as for /graphql, then the module's handler
   * (it streams the file either way).
   */
  async function handleFile(handler: typeof exportHandler, logMessage: string, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const started = process.hrtime.bigint();
    const { context, clientAddress } = requestContextOf(req, res);
    let outcome = { status: 500, rows: 0 };
    try {
      const refused = await identify(req, res, context, clientAddress);
      if (refused) outcome = { status: refused, rows: 0 };
      else outcome = await handler(context, req, res, url);
    } catch (error) {
      // The database could not be reached before the file started: 503, as for /graphql.
      if (!isDatabaseUnavailable(error) || res.headersSent) throw error;
      outcome = { status: 503, rows: 0 };
      serviceUnavailable(res);
    } finally {
      logger.info({ requestId: context.requestId, correlationId: context.correlationId, route: url.pathname, status: outcome.status, rows: outcome.rows, durationMs: Number(process.hrtime.bigint() - started) / 1e6 }, logMessage);
    }
  }

  async function handleGraphql(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const started = process.hrtime.bigint();
    const { context, clientAddress } = requestContextOf(req, res);
    let status = 500;
    try {
      let body: unknown;
      if (req.method === "POST") {
        const maxBodyBytes = bodyLimitOf(req);
        let text: string;
        try {
          text = await readBody(req, maxBodyBytes, maxDiscardedBytes);
        } catch (error) {
          if (error instanceof ClientGoneError) {
            status = 499; // client closed the request: nothing to answer
            return;
          }
          if (error instanceof BodyTooLargeError) {
            status = 413;
            res.setHeader("connection", "close");
            // Past the discard bound the rest is not read: close the socket once the answer is out.
            if (!error.drained) {
              const socket = req.socket;
              res.once("finish", () => socket.destroySoon());
              // A client that neither reads the answer nor stops sending is cut off all the same.
              setTimeout(() => socket.destroy(), 2_000).unref();
            }
            requestError(res, 413, "PAYLOAD_TOO_LARGE", `Request body exceeds the limit of ${maxBodyBytes} bytes`, {
              limit: { name: "bodyBytes", max: maxBodyBytes },
            });
            return;
          }
          throw error;
        }
        if (/json/i.test(req.headers["content-type"] ?? "")) {
          try {
            body = text.length > 0 ? JSON.parse(text) : undefined;
          } catch {
            status = 400;
            requestError(res, 400, "BAD_REQUEST", "Request body is not valid JSON");
            return;
          }
        } else {
          body = text;
        }
      }
      // Who calls is looked up after the body has arrived: a client gone by then costs no query.
      const refused = await identify(req, res, context, clientAddress);
      if (refused) {
        status = refused;
        return;
      }
      // A public read answered before: the same bytes, or 304 when the partner already has them.
      const cacheKey = responseCache?.keyFor(context.actor, { method: req.method ?? "GET", body, search: url.search, accept: req.headers.accept });
      if (cacheKey !== undefined) {
        const cached = responseCache!.get(cacheKey);
        if (cached) {
          context.outcome.operationName ??= "(cached)";
          status = sendCached(res, req, cached.body, cached.contentType, cached.etag);
          return;
        }
      }
      const generation = responseCache?.generation ?? 0;
      // A whole answer: kept for the next callers of its class when it is a public read without errors.
      const sendComplete = (text: string, contentType: string, cacheable: boolean): number => {
        if (cacheKey !== undefined && cacheable) return sendCached(res, req, text, contentType, responseCache!.store(cacheKey, generation, text, contentType));
        res.end(text);
        return res.statusCode;
      };
      // Before a read runs again: a moment for postgres.js to reconnect, and fresh loaders (they cache failures).
      const beforeRetry = async () => {
        await new Promise((resolve) => setTimeout(resolve, readRetryDelayMs));
        context.loaders = contexts.createLoaders(context);
      };
      // A compiled read: the same answer Apollo would give, read by one statement (or undefined: Apollo answers).
      let compiled: string | undefined;
      let retried = false;
      try {
        compiled = compiledReads && req.method === "POST" && acceptsJson(req) ? await tallied(context, () => compiledReads.answer(context, body)) : undefined;
      } catch (error) {
        // The database was unreachable: Apollo's run below is this read's one retry (it answers 503 if that fails too).
        if (!isDatabaseUnavailable(error)) throw error;
        retried = true;
        await beforeRetry();
      }
      if (compiled !== undefined) {
        res.statusCode = 200;
        res.setHeader("content-type", JSON_CONTENT_TYPE);
        status = sendComplete(compiled, JSON_CONTENT_TYPE, true);
        return;
      }
      const headers = new HeaderMap();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
      }
      const execute = () =>
        tallied(context, () =>
          apollo.executeHTTPGraphQLRequest({
            httpGraphQLRequest: { method: req.method ?? "GET", headers, search: url.search, body },
            context: async () => context,
          }),
        );
      let result = await execute();
      if (!retried && shouldRetryRead(context, result)) {
        // A read that met a broken connection runs once more (postgres.js reconnects), with fresh
        // loaders: they cache failures. Mutations are never repeated here (see SERVICE_UNAVAILABLE).
        await beforeRetry();
        context.outcome.errorCodes = undefined;
        context.outcome.errorCount = 0;
        result = await execute();
      }
      status = result.status ?? 200;
      for (const [name, value] of result.headers) res.setHeader(name, value);
      res.statusCode = status;
      if (result.body.kind === "complete") {
        const contentType = String(res.getHeader("content-type") ?? JSON_CONTENT_TYPE);
        status = sendComplete(result.body.string, contentType, status === 200 && context.outcome.errorCount === 0 && !context.outcome.uncacheable);
      } else {
        for await (const chunk of result.body.asyncIterator) res.write(chunk);
        res.end();
      }
    } catch (error) {
      // The database could not be reached before Apollo ran (authentication, rate budget).
      if (!isDatabaseUnavailable(error) || res.headersSent) throw error;
      status = 503;
      serviceUnavailable(res);
    } finally {
      metrics.observeRequest(context, status, Number(process.hrtime.bigint() - started) / 1e9);
      logger.info(
        {
          requestId: context.requestId,
          correlationId: context.correlationId,
          operationName: context.outcome.operationName,
          status,
          errors: context.outcome.errorCount,
          sqlStatements: context.tally.count,
          compiled: context.outcome.compiled,
          durationMs: Number(process.hrtime.bigint() - started) / 1e6,
        },
        "graphql request",
      );
    }
  }

  const server = createServer((req, res) => {
    // While draining, answer and close: keep-alive sockets must not hold shutdown open.
    if (draining.has(server)) res.setHeader("connection", "close");
    const url = new URL(req.url ?? "/", "http://localhost");
    const route = url.pathname;
    const handle = async () => {
      if (route === "/healthz") return sendJson(res, 200, { status: "ok" });
      if (route === "/readyz") {
        try {
          await Promise.race([database.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 2000))]);
          return sendJson(res, 200, { status: "ready", database: database.kind });
        } catch {
          return sendJson(res, 503, { status: "unavailable", database: database.kind }, { "retry-after": String(unavailableRetryAfterSeconds) });
        }
      }
      if (route === "/metrics") return metrics.serve(req, res);
      if (graphiql && (await graphiql(req, res, route))) return;
      if (await webConsole(req, res, route)) return;
      if (route === "/graphql") return handleGraphql(req, res, url);
      if (route.startsWith("/exports/")) return handleFile(exportHandler, "export request", req, res, url);
      if (route.startsWith("/imports/")) return handleFile(importHandler, "import request", req, res, url);
      return sendJson(res, 404, { error: "not found", routes: ["/graphql", "/console", "/healthz", "/readyz", "/metrics", ...exportPaths, ...importPaths] });
    };
    const done = inFlight.get(server)!;
    done.count += 1;
    handle()
      .finally(() => {
        done.count -= 1;
        if (done.count === 0) for (const notify of done.idle.splice(0)) notify();
      })
      .catch((error: unknown) => {
      logger.error({ err: error }, "unhandled HTTP error");
      if (!res.headersSent) requestError(res, 500, "INTERNAL_SERVER_ERROR", "Internal server error");
      else res.destroy();
    });
  });
  inFlight.set(server, { count: 0, idle: [] });
  server.once("close", () => metrics.stop());
  return server;
}

const draining = new WeakSet<Server>();
/** Requests still being handled: a client that hung up does not end its request's work. */
const inFlight = new WeakMap<Server, { count: number; idle: (() => void)[] }>();

/** Listens and resolves with the bound port (port 0 picks a free one). */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Stops accepting, lets in-flight requests finish (up to `graceMs`), then closes what is left.
 * Waits for the requests' work too, not only their sockets, so the database can close after.
 */
export function closeGracefully(server: Server, graceMs: number): Promise<void> {
  draining.add(server);
  const requests = inFlight.get(server);
  const workDone = new Promise<void>((resolve) => {
    if (!requests || requests.count === 0) resolve();
    else requests.idle.push(resolve);
  });
  const socketsClosed = new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      server.closeAllConnections();
      resolve();
    }, graceMs);
    timer.unref();
  });
  return Promise.race([Promise.all([workDone, socketsClosed]).then(() => undefined), deadline]).finally(() => clearTimeout(timer));
}
