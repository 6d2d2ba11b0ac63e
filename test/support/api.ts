import type { GraphQLFormattedError } from "graphql";
import type { Logger } from "pino";
import { afterAll, beforeAll, expect } from "vitest";
import { type App, apiSchema, contextFactory, createApp, createServices } from "../../src/app.js";
import { type Config, parseConfig } from "../../src/config.js";
import type { Database } from "../../src/db/client.js";
import { withStatementTally } from "../../src/db/statement-tally.js";
import { createApolloServer } from "../../src/graphql/apollo.js";
import { createRequestContext } from "../../src/graphql/context.js";
import { authenticate, type Credentials as HttpCredentials } from "../../src/http/authenticate.js";
import { createLogger } from "../../src/logger.js";
import { type CallerName, type Callers, setUpCallers } from "./actors.js";
import { type TestDatabase, openTestDatabase } from "./database.js";

export interface Result<T = any> {
  data?: T | null;
  errors?: readonly GraphQLFormattedError[];
  extensions?: Record<string, unknown>;
  /** SQL statements the operation issued */
  statements: number;
}

export interface Credentials extends HttpCredentials {
  clientAddress?: string;
}

export const testConfig: Config = parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" });

/** Runs operations in-process through Apollo (plugins, limits, error masking included). */
export async function createTestApi(database: Database, config: Config = testConfig, options: { logger?: Logger } = {}) {
  const apollo = createApolloServer(await apiSchema(), config);
  await apollo.start();
  const services = createServices(database, config);
  const contexts = contextFactory(services);
  const logger = options.logger ?? createLogger("silent");
  return {
    services,
    /** Runs an operation as anonymous, or with a bearer token / API key as the HTTP layer would. */
    async run<T = any>(query: string, variables?: Record<string, unknown>, credentials: Credentials = {}): Promise<Result<T>> {
      const { actor } = await authenticate(services, credentials);
      const context = createRequestContext(contexts, logger, { actor, clientAddress: credentials.clientAddress ?? "192.0.2.1" });
      const response = await withStatementTally(context.tally, () =>
        apollo.executeOperation({ query, variables }, { contextValue: context }),
      );
      if (response.body.kind !== "single") throw new Error("unexpected incremental response");
      const { data, errors, extensions } = response.body.singleResult;
      return { data: data as T, errors, extensions, statements: context.tally.count };
    },
    stop: () => apollo.stop(),
  };
}

export type TestApi = Awaited<ReturnType<typeof createTestApi>>;

interface TestSetupOptions {
  /** seed the Xiangxi demo data (default true) */
  seed?: boolean;
  /** log in one caller of every kind (default true) */
  callers?: boolean;
  config?: Config;
  /** where the API logs (default: nowhere); e.g. a captured logger (test/support/log-capture.ts) */
  logger?: Logger;
}

/** What a test file's setup gives it; read the members inside tests (they are filled by `beforeAll`). */
export interface TestApiSetup {
  readonly tdb: TestDatabase;
  readonly database: Database;
  readonly api: TestApi;
  readonly callers: Callers;
}

/**
 * One database and one in-process API for the whole test file, opened before its tests and
 * dropped after them (replaces the beforeAll/afterAll block every file used to repeat).
 */
export function useTestApi(options: TestSetupOptions = {}): TestApiSetup {
  const state: { tdb?: TestDatabase; api?: TestApi; callers?: Callers } = {};
  beforeAll(async () => {
    state.tdb = await openTestDatabase({ seed: options.seed ?? true });
    state.api = await createTestApi(state.tdb.database, options.config, { logger: options.logger });
    if (options.callers ?? true) state.callers = await setUpCallers(state.tdb.database, state.api.services);
  }, 120_000);
  afterAll(async () => {
    await state.api?.stop();
    await state.tdb?.drop();
  });
  return readyState(state);
}

export interface TestServerSetup {
  readonly tdb: TestDatabase;
  readonly database: Database;
  readonly app: App;
  /** http://127.0.0.1:<port> */
  readonly base: string;
  readonly callers: Callers;
}

/** One database and one HTTP server on a free loopback port for the whole test file. */
export function useTestServer(options: TestSetupOptions = {}): TestServerSetup {
  const state: { tdb?: TestDatabase; app?: App; base?: string; callers?: Callers } = {};
  beforeAll(async () => {
    state.tdb = await openTestDatabase({ seed: options.seed ?? true });
    state.app = await createApp(options.config ?? testConfig, state.tdb.database, options.logger ?? createLogger("silent"));
    state.base = `http://127.0.0.1:${await state.app.listen(0, "127.0.0.1")}`;
    if (options.callers ?? true) state.callers = await setUpCallers(state.tdb.database, state.app.services);
  }, 120_000);
  afterAll(async () => {
    await state.app?.stop();
    await state.tdb?.drop();
  });
  return readyState(state);
}

/** The setup's members, failing clearly when read before `beforeAll` has filled them. */
function readyState<T extends object>(state: { tdb?: TestDatabase }): T {
  return new Proxy(state, {
    get(target, property) {
      if (property === "database") return target.tdb?.database ?? notReady(property);
      const value = (target as Record<PropertyKey, unknown>)[property];
      return value === undefined ? notReady(property) : value;
    },
  }) as T;
}

function notReady(property: PropertyKey): never {
  throw new Error(`test setup: \`${String(property)}\` is not ready (read it inside a test, or the setup failed or was told to skip it)`);
}

/** The codes of a result's top-level errors. */
export function errorCodes(result: Result): unknown[] {
  return (result.errors ?? []).map((e) => e.extensions?.code);
}

/** The HTTP headers that carry a caller's credentials: its bearer token or its partner API key. */
export function credentialHeaders(credentials: Credentials): Record<string, string> {
  const headers: Record<string, string> = {};
  if (credentials.authorization) headers.authorization = credentials.authorization;
  if (credentials.apiKey) headers["x-api-key"] = credentials.apiKey;
  return headers;
}

/** POSTs an operation to the test server as one of the callers and answers its data; a top-level error fails the test. */
export async function dataOverHttp<Data = any>(setup: TestServerSetup, query: string, variables: Record<string, unknown>, caller: CallerName): Promise<Data> {
  const response = await fetch(`${setup.base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...credentialHeaders(setup.callers.credentials[caller]) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Data; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data!;
}

/**
 * POSTs an operation to the test server as one of the callers (each request its own transaction on its
 * own pooled connection, as clients race) and answers the root field's payload; a top-level error fails the test.
 */
export async function rootFieldOverHttp<Payload = Record<string, any>>(
  setup: TestServerSetup,
  query: string,
  variables: Record<string, unknown>,
  caller: CallerName,
): Promise<Payload> {
  return Object.values(await dataOverHttp<Record<string, unknown>>(setup, query, variables, caller))[0] as Payload;
}
