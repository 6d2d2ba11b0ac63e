import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import type { GraphQLSchema } from "graphql";
import type { Config } from "../config.js";
import { availabilityPlugin } from "./availability.js";
import type { RequestContext } from "./context.js";
import { formatError, isClientError } from "./errors.js";
import { inputHygienePlugin } from "./input-hygiene.js";
import { createJitExecutor, staticGateway } from "./jit-executor.js";
import { errorCapPlugin, queryLimitsPlugin } from "./limits.js";

/** Records the operation's name and outcome on the context for the request log line. */
const requestOutcomePlugin: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      async didEncounterErrors({ errors, contextValue, operationName }) {
        contextValue.outcome.errorCount = errors.length;
        for (const error of errors) {
          if (!isClientError(error)) {
            // The client sees "Internal server error"; the log keeps what failed (code, constraint,
            // a message without quoted values: the logger's `err` serializer), never the SQL
            // parameters, variables or the driver's query text.
            const cause = error.originalError ?? error;
            contextValue.logger.error({ err: cause, operationName: operationName?.slice(0, 100), path: error.path }, "masked error");
          }
        }
      },
      async willSendResponse({ contextValue, operationName }) {
        contextValue.outcome.operationName = operationName ?? null;
      },
    };
  },
};

export function createApolloServer(schema: GraphQLSchema, config: Config): ApolloServer<RequestContext> {
  return new ApolloServer<RequestContext>({
    // GRAPHQL_JIT: queries run compiled (graphql-jit), everything else by graphql-js (jit-executor.ts).
    ...(config.GRAPHQL_JIT ? { gateway: staticGateway(schema, createJitExecutor(schema).executor) } : { schema }),
    introspection: true,
    // main.ts drains the HTTP server first; Apollo's own handler would stop it under in-flight requests.
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    parseOptions: { maxTokens: config.MAX_QUERY_TOKENS },
    formatError,
    plugins: [
      // No cache hints are used; the default cache-control plugin would wrap every field resolver.
      ApolloServerPluginCacheControlDisabled(),
      // Apollo's landing page loads Sandbox from a CDN; src/http/graphiql.ts serves GraphiQL instead.
      ApolloServerPluginLandingPageDisabled(),
      queryLimitsPlugin({ maxDepth: config.MAX_QUERY_DEPTH, maxAliases: config.MAX_QUERY_ALIASES, maxCost: config.MAX_QUERY_COST }),
      inputHygienePlugin,
      requestOutcomePlugin,
      availabilityPlugin,
      // last: caps what the other plugins and graphql put in `errors`
      errorCapPlugin,
    ],
  });
}
