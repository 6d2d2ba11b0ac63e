import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { ConnectionType } from "../../graphql/connection.js";
import { UserError } from "../../graphql/errors.js";
import { Node } from "../../graphql/node.js";
import { PayloadType } from "../../graphql/payload.js";
import { DateTimeScalar } from "../../graphql/scalars.js";

export const WebhookEvent = { CATALOG_CHANGED: "CATALOG_CHANGED", ORDER_CHANGED: "ORDER_CHANGED", PRODUCT_REVIEWED: "PRODUCT_REVIEWED" } as const;
registerEnumType(WebhookEvent, {
  name: "WebhookEvent",
  valuesConfig: {
    CATALOG_CHANGED: { description: "目录变更: a product added to, changed in or removed from the public catalog (as in `catalogChanges`)" },
    ORDER_CHANGED: { description: "订单变更: an order reserved, shipped, delivered, cancelled or rejected" },
    PRODUCT_REVIEWED: { description: "产品认定结果: a county office's review decision on a product" },
  },
});

export const WebhookDeliveryStatus = { PENDING: "PENDING", DELIVERED: "DELIVERED", FAILED: "FAILED" } as const;
registerEnumType(WebhookDeliveryStatus, {
  name: "WebhookDeliveryStatus",
  valuesConfig: {
    PENDING: { description: "待投递: due at `nextAttemptAt` (retried with exponential backoff)" },
    DELIVERED: { description: "已送达: the receiver answered 2xx" },
    FAILED: { description: "投递失败: every attempt failed; `redeliverWebhook` tries again" },
  },
});

@ObjectType({ implements: Node, description: "A partner key's webhook: signed POSTs of the chosen events to `url`." })
export class WebhookSubscription extends Node {
  @Field(() => String)
  url!: string;

  @Field(() => [WebhookEvent])
  events!: string[];

  @Field(() => ID, { description: "The partner API key it belongs to." })
  apiKeyId!: string;

  @Field(() => Boolean, { description: "Off after a run of failed attempts (WEBHOOK_DISABLE_AFTER_FAILURES); its owner turns it back on with `enableWebhookSubscription`." })
  enabled!: boolean;

  @Field(() => Int, { description: "Failed attempts in a row; a delivered one resets it." })
  consecutiveFailures!: number;

  @Field(() => DateTimeScalar, { nullable: true })
  disabledAt!: Date | null;

  @Field(() => String, { nullable: true })
  disabledReason!: string | null;

  @Field(() => DateTimeScalar)
  createdAt!: Date;
}

@ObjectType({ description: "One attempt of a delivery." })
export class WebhookDeliveryAttempt {
  @Field(() => Int)
  attempt!: number;

  @Field(() => DateTimeScalar)
  at!: Date;

  @Field(() => Int, { nullable: true, description: "The receiver's HTTP status; null when there was no answer." })
  statusCode!: number | null;

  @Field(() => String, { nullable: true, description: "Why it failed (HTTP 500, connection refused, timed out, URL refused...)." })
  error!: string | null;

  @Field(() => Int)
  durationMs!: number;
}

@ObjectType({ implements: Node, description: "One event for one subscription. Its ID is the `X-Fupin-Delivery` header: the same for every attempt." })
export class WebhookDelivery extends Node {
  @Field(() => WebhookEvent)
  event!: string;

  @Field(() => String, { description: "The event's own id (the same for every subscription), also `id` in the body." })
  eventId!: string;

  @Field(() => String, { description: "The exact JSON body every attempt POSTs (the signature covers these bytes)." })
  body!: string;

  @Field(() => WebhookDeliveryStatus)
  status!: string;

  @Field(() => Int)
  attemptCount!: number;

  @Field(() => DateTimeScalar, { description: "When the next attempt is due (PENDING)." })
  nextAttemptAt!: Date;

  @Field(() => Int, { nullable: true })
  lastStatusCode!: number | null;

  @Field(() => String, { nullable: true })
  lastError!: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  lastAttemptAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  deliveredAt!: Date | null;

  @Field(() => DateTimeScalar)
  createdAt!: Date;
}

export const WebhookDeliveryConnection = ConnectionType(WebhookDelivery, "WebhookDelivery");

@ObjectType()
export class CreateWebhookSubscriptionPayload {
  @Field(() => WebhookSubscription, { nullable: true })
  subscription?: unknown;

  @Field(() => String, {
    nullable: true,
    description: "Verifies `X-Fupin-Signature` (HMAC-SHA256 over `<t>.<raw body>`). Shown only now: store it safely.",
  })
  signingSecret?: string;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

export const DeleteWebhookSubscriptionPayload = PayloadType("DeleteWebhookSubscriptionPayload", {
  subscription: { type: () => WebhookSubscription, description: "The subscription as it was (now deleted, with its deliveries)." },
});
export const EnableWebhookSubscriptionPayload = PayloadType("EnableWebhookSubscriptionPayload", { subscription: { type: () => WebhookSubscription } });
export const RedeliverWebhookPayload = PayloadType("RedeliverWebhookPayload", { delivery: { type: () => WebhookDelivery } });
