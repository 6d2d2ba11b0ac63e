import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { connectionOf } from "../../graphql/connection.js";
import { type RequestContext, commandOf } from "../../graphql/context.js";
import { fromGlobalIdOf, toGlobalId } from "../../graphql/global-id.js";
import { parseInput } from "../../graphql/inputs.js";
import { PageArguments } from "../../graphql/page-args.js";
import { mutationPayload } from "../../graphql/payload.js";
import {
  CreateWebhookSubscriptionInput,
  DeleteWebhookSubscriptionInput,
  EnableWebhookSubscriptionInput,
  RedeliverWebhookInput,
  createWebhookSubscriptionSchema,
  redeliverWebhookSchema,
  webhookSubscriptionInputSchema,
} from "./webhook.inputs.js";
import { webhookManager } from "./webhook.policy.js";
import {
  CreateWebhookSubscriptionPayload,
  DeleteWebhookSubscriptionPayload,
  EnableWebhookSubscriptionPayload,
  RedeliverWebhookPayload,
  WebhookDelivery,
  WebhookDeliveryAttempt,
  WebhookDeliveryConnection,
  WebhookDeliveryStatus,
  WebhookSubscription,
} from "./webhook.types.js";
import type { WebhookDelivery as DeliveryRow, WebhookSubscription as SubscriptionRow } from "./webhooks.service.js";

/** Webhooks are managed by partners with their own API key and by admins (the service checks who: webhook.policy.ts). */
@Resolver(() => WebhookSubscription)
export class WebhookSubscriptionResolver {
  @Query(() => [WebhookSubscription], { description: "A partner's own subscriptions; an admin's: every key's (or `apiKeyId`'s)." })
  webhookSubscriptions(@Arg("apiKeyId", () => ID, { nullable: true }) apiKeyId: string | undefined, @Ctx() { services, actor, outcome }: RequestContext) {
    outcome.uncacheable = true; // a partner's own, changing state: never from the public-read cache
    return services.webhooks.subscriptions(actor, apiKeyId != null ? fromGlobalIdOf("ApiKey", apiKeyId, "apiKeyId") : undefined);
  }

  @Query(() => WebhookDeliveryConnection, { description: "A subscription's deliveries, newest first, with their attempts (empty for another partner's subscription)." })
  webhookDeliveries(
    @Arg("subscriptionId", () => ID) subscriptionId: string,
    @Arg("status", () => WebhookDeliveryStatus, { nullable: true }) status: keyof typeof WebhookDeliveryStatus | undefined,
    @Args(() => PageArguments) page: PageArguments,
    @Ctx() { services, actor, outcome }: RequestContext,
  ) {
    outcome.uncacheable = true;
    webhookManager(actor);
    const id = fromGlobalIdOf("WebhookSubscription", subscriptionId, "subscriptionId");
    const filter = status ? { status } : {};
    return connectionOf(page, (p) => services.webhooks.deliveriesPage(actor, id, filter, p), () => services.webhooks.deliveriesCount(actor, id, filter));
  }

  @Mutation(() => CreateWebhookSubscriptionPayload, { description: "Subscribes a partner key to events; answers the signing secret, once." })
  createWebhookSubscription(@Arg("input", () => CreateWebhookSubscriptionInput) input: CreateWebhookSubscriptionInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => context.services.webhooks.createSubscription(commandOf(context), await parseInput(createWebhookSubscriptionSchema, input)));
  }

  @Mutation(() => DeleteWebhookSubscriptionPayload, { description: "Deletes a subscription and its deliveries." })
  deleteWebhookSubscription(@Arg("input", () => DeleteWebhookSubscriptionInput) input: DeleteWebhookSubscriptionInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const { subscriptionId } = await parseInput(webhookSubscriptionInputSchema, input);
      return { subscription: await context.services.webhooks.deleteSubscription(commandOf(context), subscriptionId) };
    });
  }

  @Mutation(() => EnableWebhookSubscriptionPayload, { description: "Turns a subscription that was disabled after failures back on; its pending deliveries are due at once." })
  enableWebhookSubscription(@Arg("input", () => EnableWebhookSubscriptionInput) input: EnableWebhookSubscriptionInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const { subscriptionId } = await parseInput(webhookSubscriptionInputSchema, input);
      return { subscription: await context.services.webhooks.enableSubscription(commandOf(context), subscriptionId) };
    });
  }

  @FieldResolver(() => ID)
  id(@Root() row: SubscriptionRow) {
    return toGlobalId("WebhookSubscription", row.id);
  }

  @FieldResolver(() => ID)
  apiKeyId(@Root() row: SubscriptionRow) {
    return toGlobalId("ApiKey", row.apiKeyId);
  }
}

@Resolver(() => WebhookDelivery)
export class WebhookDeliveryResolver {
  @Mutation(() => RedeliverWebhookPayload, { description: "Sends a delivery again now (same `X-Fupin-Delivery` id), whatever became of it." })
  redeliverWebhook(@Arg("input", () => RedeliverWebhookInput) input: RedeliverWebhookInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const { deliveryId } = await parseInput(redeliverWebhookSchema, input);
      return { delivery: await context.services.webhooks.redeliver(commandOf(context), deliveryId) };
    });
  }

  @FieldResolver(() => ID)
  id(@Root() row: DeliveryRow) {
    return toGlobalId("WebhookDelivery", row.id);
  }

  @FieldResolver(() => WebhookSubscription, { nullable: true })
  subscription(@Root() row: DeliveryRow, @Ctx() { loaders }: RequestContext) {
    return loaders.webhookSubscriptionById.load(row.subscriptionId);
  }

  @FieldResolver(() => [WebhookDeliveryAttempt], { description: "Every attempt so far, oldest first." })
  attempts(@Root() row: DeliveryRow, @Ctx() { loaders }: RequestContext) {
    return loaders.webhookAttemptsByDelivery.load(row.id);
  }
}
