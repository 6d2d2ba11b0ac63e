import { type NodeTypeName, toGlobalId } from "../../graphql/global-id.js";
import { OUTBOX_CHANNEL, type OutboxEvent, type OutboxTopic, eventsAfter } from "../outbox/index.js";
import type { WebhookEventSource, WebhookSourceEvent } from "./webhook-queue.js";
import type { WebhookEventName } from "./webhook.schema.js";

/** Which webhook event each outbox topic is. */
const EVENT_OF_TOPIC: Record<OutboxTopic, WebhookEventName> = {
  "catalog.changed": "CATALOG_CHANGED",
  "order.changed": "ORDER_CHANGED",
  "product.reviewed": "PRODUCT_REVIEWED",
};

/**
 * What a partner receives of each topic: the fields named here and nothing else (the outbox may
 * carry more than a partner may see; e.g. an order's budget unit stays inside). Keys as the API names
 * them, IDs as global IDs.
 */
const PUBLIC_FIELDS: Record<OutboxTopic, readonly string[]> = {
  "catalog.changed": ["kind", "reason", "catalogNo", "fields"],
  "order.changed": ["status", "previousStatus", "productId"],
  "product.reviewed": ["decision", "status"],
};

const ID_FIELDS: Record<string, NodeTypeName> = { productId: "Product", enterpriseId: "Enterprise", orderId: "Order", budgetUnitId: "BudgetUnit" };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The `data` of a delivery: the object the event is about (its global ID) and the topic's public fields. */
export function webhookData(event: Pick<OutboxEvent, "topic" | "aggregateType" | "aggregateId" | "payload">): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  const aggregateType = event.aggregateType as NodeTypeName;
  if (UUID.test(event.aggregateId) && (aggregateType === "Product" || aggregateType === "Order")) {
    data[`${aggregateType.charAt(0).toLowerCase()}${aggregateType.slice(1)}Id`] = toGlobalId(aggregateType, event.aggregateId);
  }
  for (const field of PUBLIC_FIELDS[event.topic] ?? []) {
    if (!(field in event.payload)) continue;
    const value = event.payload[field];
    const idType = ID_FIELDS[field];
    data[field] = idType && typeof value === "string" && UUID.test(value) ? toGlobalId(idType, value) : value;
  }
  return data;
}

/** The outbox as the webhook fan-out reads it (the outbox's commit-order-safe reader, in the fan-out's transaction). */
export const outboxWebhookSource: WebhookEventSource = {
  channel: OUTBOX_CHANNEL,
  async eventsAfter(tx, position, limit) {
    const page = await eventsAfter(tx, position, limit);
    const events: WebhookSourceEvent[] = page.events.map((e) => ({
      id: `evt_${e.seq}`,
      event: EVENT_OF_TOPIC[e.topic],
      occurredAt: e.createdAt,
      data: webhookData(e),
    }));
    return { events, position: page.endCursor };
  },
};
