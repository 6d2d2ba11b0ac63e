import type { RequestContext } from "../../graphql/context.js";
import { rowLoader } from "../../graphql/dataloader.js";
import type { NotificationView } from "./notifications.service.js";

export function createNotificationLoaders(context: RequestContext) {
  const { notifications } = context.services;
  return {
    /** The caller's own notifications only (the service reads them through the notification policy). */
    notificationById: rowLoader<string, NotificationView>((ids) => notifications.notificationsByIds(context.actor, ids), (row) => row.id),
  };
}
