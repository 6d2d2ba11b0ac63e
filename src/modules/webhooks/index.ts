/** Webhooks for partner keys: subscriptions, signed deliveries and the worker that sends them. The module's face. */
import type { NodeSources } from "../../graphql/context.js";
import type { createWebhookLoaders } from "./webhook.loaders.js";
import type { WebhooksService } from "./webhooks.service.js";

export { WebhookDeliveryResolver, WebhookSubscriptionResolver } from "./webhook.resolver.js";
export { WebhooksService } from "./webhooks.service.js";
export { createWebhookLoaders } from "./webhook.loaders.js";
export { WebhookQueue, type WebhookEventSource, type WebhookSourceEvent, type RetryPolicy, retryDelayMs } from "./webhook-queue.js";
export { WebhookSender } from "./webhook-sender.js";
export { outboxWebhookSource, webhookData } from "./webhook-outbox.js";
export { WebhookWorker, type WorkerOptions } from "./webhook.worker.js";
export { isPublicAddress, type AddressRules } from "./webhook-address.js";
export { signatureHeader, verifySignature } from "./webhook-signature.js";
export {
  WEBHOOK_EVENTS,
  type WebhookEventName,
  webhookEvent,
  webhookDeliveryStatus,
  webhookSubscriptions,
  webhookDeliveries,
  webhookDeliveryAttempts,
  webhookFanoutCursor,
} from "./webhook.schema.js";

/** A partner's own, changing state: an answer that holds one is never kept by the public-read cache. */
export const webhookNodeSources: NodeSources = {
  WebhookSubscription: (context, key) => {
    context.outcome.uncacheable = true;
    return context.loaders.webhookSubscriptionById.load(key);
  },
  WebhookDelivery: (context, key) => {
    context.outcome.uncacheable = true;
    return context.loaders.webhookDeliveryById.load(key);
  },
};

declare module "../../graphql/context.js" {
  interface Services {
    webhooks: WebhooksService;
  }
  interface Loaders extends ReturnType<typeof createWebhookLoaders> {}
}
