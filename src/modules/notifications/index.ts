/** 通知: notifications for people, written in the transaction of the change they announce. The module's face. */
import type { NodeSources } from "../../graphql/context.js";
import type { createNotificationLoaders } from "./notification.loaders.js";
import type { NotificationsService } from "./notifications.service.js";

export { NotificationResolver } from "./notification.resolver.js";
export { NotificationsService } from "./notifications.service.js";
export { createNotificationLoaders } from "./notification.loaders.js";
export { notificationPolicy, recipientOf } from "./notification.policy.js";
/** What other modules call in their own transactions: build the notices of a change, then `notify(tx, notices)`. */
export {
  type Notice,
  type ProductStep,
  recipient,
  productStepNotices,
  orderShippedNotice,
  deliveryRejectedNotice,
  enterpriseRegisteredNotice,
} from "./notification.notices.js";
export { notify, orderPlacedNotifications, type PlacedOrders } from "./notification.sql.js";
export { Notification, NotificationKind } from "./notification.types.js";
export { notifications, notificationReads, notificationKind, notificationRecipient, type NotificationRow } from "./notification.schema.js";

/** `node`/`nodes`: the caller's own notifications only. */
export const notificationNodeSources: NodeSources = {
  Notification: (context, key) => context.loaders.notificationById.load(key),
};

declare module "../../graphql/context.js" {
  interface Services {
    notifications: NotificationsService;
  }
  interface Loaders extends ReturnType<typeof createNotificationLoaders> {}
}
