import { Field, ID, ObjectType, registerEnumType } from "type-graphql";
import { ConnectionType } from "../../graphql/connection.js";
import { Node } from "../../graphql/node.js";
import { PayloadType } from "../../graphql/payload.js";
import { DateTimeScalar } from "../../graphql/scalars.js";
import { NOTIFICATION_KINDS, type NotificationKindName } from "./notification.schema.js";

export const NotificationKind = Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, kind])) as { [K in NotificationKindName]: K };

registerEnumType(NotificationKind, {
  name: "NotificationKind",
  description: "通知类型: what a notification announces, and to whom.",
  valuesConfig: {
    PRODUCT_CERTIFIED: { description: "产品已通过认定 (to the enterprise; subject: the Product)" },
    PRODUCT_REJECTED: { description: "产品认定被驳回 (to the enterprise; subject: the Product)" },
    PRODUCT_LISTED: { description: "产品已入录目录 (to the enterprise; subject: the Product)" },
    PRODUCT_REVOKED: { description: "产品被撤销认定 (to the enterprise; subject: the Product)" },
    PRODUCT_SENT_BACK_TO_REVIEW: { description: "产品因价格或认定信息变更退回重新认定 (to the enterprise; subject: the Product)" },
    ORDER_PLACED: { description: "新订单 (to the supplying enterprise; subject: the Order)" },
    DELIVERY_REJECTED: { description: "订单被拒收 (to the supplying enterprise; subject: the Order)" },
    PRODUCT_SUBMITTED: { description: "新申报或退回重新认定的产品待审核 (to the origin county's office; subject: the Product)" },
    ENTERPRISE_REGISTERED: { description: "新经营主体注册待核实 (to the county's office; subject: the Enterprise)" },
    PRODUCT_AWAITING_LISTING: { description: "已认定产品待入录 (to the prefecture's office; subject: the Product)" },
    ORDER_SHIPPED: { description: "订单已发货待验货 (to the ordering budget unit; subject: the Order)" },
  },
});

@ObjectType({
  implements: Node,
  description:
    "通知: a change someone must hear of, for every account of one unit (an enterprise, an office, a budget unit); read state is per account.",
})
export class Notification extends Node {
  @Field(() => NotificationKind)
  kind!: string;

  @Field(() => String, { description: "What happened, in Chinese, as of the change." })
  message!: string;

  @Field(() => ID, { description: "The global ID of the object it is about (a Product, Order or Enterprise)." })
  subjectId!: string;

  @Field(() => Boolean, { description: "Whether you (this account) have marked it read." })
  read!: boolean;

  @Field(() => DateTimeScalar, { nullable: true, description: "When you marked it read." })
  readAt!: Date | null;

  @Field(() => DateTimeScalar)
  createdAt!: Date;
}

export const NotificationConnection = ConnectionType(Notification, "Notification");

export const MarkNotificationsReadPayload = PayloadType("MarkNotificationsReadPayload", {
  notifications: { type: () => [Notification], description: "The notifications marked, in the order of `ids` (each once)." },
});
