import type { GraphQLFormattedError } from "graphql";
import { type Config, parseConfig } from "../../src/config.js";
import type { Database } from "../../src/db/client.js";
import { withStatementTally } from "../../src/db/statement-tally.js";
import { createApolloServer } from "../../src/graphql/apollo.js";
import { authenticate, type Credentials as HttpCredentials } from "../../src/graphql/authenticate.js";
import { createRequestContext, createServices } from "../../src/graphql/context.js";
import { buildApiSchema } from "../../src/graphql/schema.js";
import { createLogger } from "../../src/logger.js";

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
export async function createTestApi(database: Database, config: Config = testConfig) {
  const schema = await buildApiSchema();
  const apollo = createApolloServer(schema, config);
  await apollo.start();
  const services = createServices(database, config);
  const logger = createLogger("silent");
  return {
    services,
    /** Runs an operation as anonymous, or with a bearer token / API key as the HTTP layer would. */
    async run<T = any>(query: string, variables?: Record<string, unknown>, credentials: Credentials = {}): Promise<Result<T>> {
      const { actor } = await authenticate(services, credentials);
      const context = createRequestContext(services, logger, { actor, clientAddress: credentials.clientAddress ?? "192.0.2.1" });
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

/** The codes of a result's top-level errors. */
export function errorCodes(result: Result): unknown[] {
  return (result.errors ?? []).map((e) => e.extensions?.code);
}
