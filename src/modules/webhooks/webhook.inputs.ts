import { Field, ID, InputType } from "type-graphql";
import { z } from "zod";
import { idCheckedByService, idOf, optional } from "../../graphql/inputs.js";
import type { NewWebhookSubscription } from "./webhooks.service.js";
import { WEBHOOK_EVENTS } from "./webhook.schema.js";
import { WebhookEvent } from "./webhook.types.js";

@InputType()
export class CreateWebhookSubscriptionInput {
  @Field(() => String, { description: "Where to POST: https, on the public internet." })
  url!: string;

  @Field(() => [WebhookEvent])
  events!: string[];

  @Field(() => ID, { nullable: true, description: "The partner key it belongs to: required for admins; a partner's own key by default." })
  apiKeyId?: string;
}

export const createWebhookSubscriptionSchema = z.object({
  url: z.string().trim().min(1, "is required").max(2000, "is longer than 2000 characters"),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1, "needs at least one event"),
  apiKeyId: optional(idOf("ApiKey")),
}) satisfies z.ZodType<NewWebhookSubscription>;

@InputType()
export class DeleteWebhookSubscriptionInput {
  @Field(() => ID)
  subscriptionId!: string;
}

@InputType({ description: "Turns a subscription disabled after failures back on." })
export class EnableWebhookSubscriptionInput {
  @Field(() => ID)
  subscriptionId!: string;
}

/** The service answers NOT_FOUND itself for a subscription that is not the caller's. */
export const webhookSubscriptionInputSchema = z.object({ subscriptionId: idCheckedByService("WebhookSubscription") });

@InputType()
export class RedeliverWebhookInput {
  @Field(() => ID)
  deliveryId!: string;
}

export const redeliverWebhookSchema = z.object({ deliveryId: idCheckedByService("WebhookDelivery") });
