import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginLandingPageLocalDefault } from "@apollo/server/plugin/landingPage/default";
import type { GraphQLSchema } from "graphql";
import type { Config } from "../config.js";
import type { RequestContext } from "./context.js";
import { formatError, isClientError } from "./errors.js";
import { queryLimitsPlugin } from "./limits.js";

/** Records the operation's name and outcome on the context for the request log line. */
const requestOutcomePlugin: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      async didEncounterErrors({ errors, contextValue, operationName }) {
        contextValue.outcome.errorCount = errors.length;
        for (const error of errors) {
          if (!isClientError(error)) {
            // The client sees "Internal server error"; the log keeps the cause, without variables.
            const cause = error.originalError ?? error;
            contextValue.logger.error({ err: cause, operationName, path: error.path }, "masked error");
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
    schema,
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
      config.NODE_ENV === "production" ? ApolloServerPluginLandingPageDisabled() : ApolloServerPluginLandingPageLocalDefault({ embed: true }),
      queryLimitsPlugin({ maxDepth: config.MAX_QUERY_DEPTH, maxAliases: config.MAX_QUERY_ALIASES, maxCost: config.MAX_QUERY_COST }),
      requestOutcomePlugin,
    ],
  });
}
