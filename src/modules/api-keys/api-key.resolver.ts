import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { type RequestContext, commandOf } from "../../graphql/context.js";
import { toGlobalId } from "../../graphql/global-id.js";
import { mutationPayload } from "../../graphql/payload.js";
import { parseInput } from "../../graphql/inputs.js";
import type { ApiKeyRow } from "./api-key.schema.js";
import { CreateApiKeyInput, RevokeApiKeyInput, createApiKeySchema, revokeApiKeySchema } from "./api-key.inputs.js";
import { ApiKey, CreateApiKeyPayload, RevokeApiKeyPayload } from "./api-key.types.js";

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
    return mutationPayload(async () => context.services.apiKeys.createApiKey(commandOf(context), await parseInput(createApiKeySchema, input, context)));
  }

  @Authorized("ADMIN")
  @Mutation(() => RevokeApiKeyPayload)
  revokeApiKey(@Arg("input", () => RevokeApiKeyInput) input: RevokeApiKeyInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const { apiKeyId } = await parseInput(revokeApiKeySchema, input, context);
      return { apiKey: await context.services.apiKeys.revokeApiKey(commandOf(context), apiKeyId) };
    });
  }

  @FieldResolver(() => ID)
  id(@Root() key: ApiKeyRow) {
    return toGlobalId("ApiKey", key.id);
  }
}
