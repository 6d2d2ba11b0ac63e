import type { ApolloServerPlugin } from "@apollo/server";
import type { RequestContext } from "./context.js";
import { SERVICE_UNAVAILABLE, unavailableRetryAfterSeconds } from "./errors.js";

/**
 * Records the validated operation and the response's error codes on the context (the HTTP layer's
 * read retry and /metrics use them), and answers an unreachable database with HTTP 503 and
 * Retry-After (API.md "Second round"): the error itself is SERVICE_UNAVAILABLE (errors.ts).
 */
export const availabilityPlugin: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation, operationName, contextValue }) {
        if (operation) contextValue.outcome.operation = { type: operation.operation, name: operationName ?? null };
      },
      async willSendResponse({ response, contextValue }) {
        if (response.body.kind !== "single") return;
        const codes = (response.body.singleResult.errors ?? []).map((error) => String(error.extensions?.code ?? "UNKNOWN"));
        contextValue.outcome.errorCodes = codes;
        if (codes.includes(SERVICE_UNAVAILABLE)) {
          response.http.status = 503;
          response.http.headers.set("retry-after", String(unavailableRetryAfterSeconds));
        }
      },
    };
  },
};
