/** Partner API keys and request budgets. The module's face. */
import type { ApiKeysService } from "./api-keys.service.js";
import type { RateLimitService } from "./rate-limit.service.js";

export { ApiKeyResolver } from "./api-key.resolver.js";
export { ApiKeysService, keyHasScope, type ApiKeyScope } from "./api-keys.service.js";
export { RateLimitService } from "./rate-limit.service.js";
export { apiKeys, rateLimitWindows, isActiveApiKey, type ApiKeyRow } from "./api-key.schema.js";

declare module "../../graphql/context.js" {
  interface Services {
    apiKeys: ApiKeysService;
    rateLimits: RateLimitService;
  }
}
