import DataLoader from "dataloader";
import type { RequestContext } from "../../graphql/context.js";
import { guardedLoader, rowLoader } from "../../graphql/dataloader.js";
import { mayManage } from "./webhook.policy.js";
import type { WebhookDeliveryAttemptRow } from "./webhook.schema.js";
import type { WebhookDelivery, WebhookSubscription } from "./webhooks.service.js";

export function createWebhookLoaders(context: RequestContext) {
  const { webhooks } = context.services;
  const subscriptionRowById = rowLoader<string, WebhookSubscription>((ids) => webhooks.subscriptionsByIds(ids), (row) => row.id);
  const webhookSubscriptionById = guardedLoader(subscriptionRowById, (rows) => rows.map((row) => mayManage(context.actor, row)));
  const deliveryRowById = rowLoader<string, WebhookDelivery>((ids) => webhooks.deliveriesByIds(ids), (row) => row.id);
  return {
    /** Only for its owner (the partner's key) and admins. */
    webhookSubscriptionById,
    /** Visible when its subscription is. */
    webhookDeliveryById: guardedLoader(deliveryRowById, async (rows) => {
      const subscriptions = await webhookSubscriptionById.loadMany(rows.map((row) => row.subscriptionId));
      return subscriptions.map((s) => s != null && !(s instanceof Error));
    }),
    /** A batch of deliveries' attempts in one statement (the deliveries were already checked). */
    webhookAttemptsByDelivery: new DataLoader<string, WebhookDeliveryAttemptRow[]>(async (ids) => {
      const rows = await webhooks.attemptsOf(ids);
      return ids.map((id) => rows.filter((row) => row.deliveryId === id));
    }),
  };
}
