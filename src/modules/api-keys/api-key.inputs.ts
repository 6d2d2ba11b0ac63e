import { Field, ID, InputType, Int } from "type-graphql";
import { z } from "zod";
import { idOf, optional } from "../../graphql/inputs.js";
import { ApiKeyScope } from "./api-key.types.js";
import { API_KEY_SCOPES, type NewApiKey } from "./api-keys.service.js";

@InputType()
export class CreateApiKeyInput {
  @Field(() => String)
  name!: string;

  @Field(() => String, { description: "合作电商平台名称" })
  partnerName!: string;

  @Field(() => [ApiKeyScope])
  scopes!: string[];

  @Field(() => Int, { nullable: true, description: "Request budget per minute (default from configuration)." })
  requestsPerMinute?: number;
}

export const createApiKeySchema = z.object({
  name: z.string().trim().min(1, "is required").max(100),
  partnerName: z.string().trim().min(1, "is required").max(200),
  scopes: z.array(z.enum(API_KEY_SCOPES)).min(1, "needs at least one scope"),
  requestsPerMinute: optional(z.number().int().min(1).max(100_000)),
}) satisfies z.ZodType<NewApiKey>;

@InputType()
export class RevokeApiKeyInput {
  @Field(() => ID)
  apiKeyId!: string;
}

/** ApiKey is not a Node (no node source): the service answers NOT_FOUND for a key that does not exist. */
export const revokeApiKeySchema = z.object({ apiKeyId: idOf("ApiKey") });
