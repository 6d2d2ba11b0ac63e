import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { z } from "zod";
import { type RequestContext, commandOf } from "../../graphql/context.js";
import { toGlobalId } from "../../graphql/global-id.js";
import { mutationPayload } from "../../graphql/payload.js";
import { inputId, parseInput } from "../../graphql/validation.js";
import type { ApiKeyRow } from "./api-key.schema.js";
import { ApiKey, CreateApiKeyInput, CreateApiKeyPayload, RevokeApiKeyInput, RevokeApiKeyPayload } from "./api-key.types.js";
import { API_KEY_SCOPES } from "./api-keys.service.js";

const createApiKeySchema = z.object({
  name: z.string().trim().min(1, "is required").max(100),
  partnerName: z.string().trim().min(1, "is required").max(200),
  scopes: z.array(z.enum(API_KEY_SCOPES)).min(1, "needs at least one scope"),
  requestsPerMinute: z.number().int().min(1).max(100_000).optional(),
});

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @Authorized("ADMIN")
  @Query(() => [ApiKey], { description: "Partner API keys (admins)." })
  apiKeys(@Arg("includeRevoked", () => Boolean, { defaultValue: false }) includeRevoked: boolean, @Ctx() { services }: RequestContext) {
    return services.apiKeys.list(includeRevoked);
  }

  @Authorized("ADMIN")
  @Mutation(() => CreateApiKeyPayload)
  createApiKey(@Arg("input", () => CreateApiKeyInput) input: CreateApiKeyInput, @Ctx() context: RequestContext) {
    return mutationPayload(() => context.services.apiKeys.createApiKey(commandOf(context), parseInput(createApiKeySchema, input)));
  }

  @Authorized("ADMIN")
  @Mutation(() => RevokeApiKeyPayload)
  revokeApiKey(@Arg("input", () => RevokeApiKeyInput) input: RevokeApiKeyInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => ({
      apiKey: await context.services.apiKeys.revokeApiKey(commandOf(context), inputId("ApiKey", input.apiKeyId, "apiKeyId")),
    }));
  }

  @FieldResolver(() => ID)
  id(@Root() key: ApiKeyRow) {
    return toGlobalId("ApiKey", key.id);
  }
}
