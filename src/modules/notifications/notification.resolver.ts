import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { connectionOf } from "../../graphql/connection.js";
import { type RequestContext, commandOf } from "../../graphql/context.js";
import { type NodeTypeName, toGlobalId } from "../../graphql/global-id.js";
import { parseInput } from "../../graphql/inputs.js";
import { Node } from "../../graphql/node.js";
import { loadNode } from "../../graphql/node.resolver.js";
import { PageArguments } from "../../graphql/page-args.js";
import { mutationPayload } from "../../graphql/payload.js";
import { MarkNotificationsReadInput, markNotificationsReadSchema } from "./notification.inputs.js";
import { MarkNotificationsReadPayload, Notification, NotificationConnection } from "./notification.types.js";
import type { NotificationView } from "./notifications.service.js";

@Resolver(() => Notification)
export class NotificationResolver {
  @Authorized()
  @Query(() => NotificationConnection, {
    description: "通知: your unit's notifications (your enterprise's, office's or budget unit's), newest first. Admins have none.",
  })
  notifications(
    @Arg("unreadOnly", () => Boolean, { nullable: true, description: "Only those you have not marked read." }) unreadOnly: boolean | undefined,
    @Args(() => PageArguments) page: PageArguments,
    @Ctx() { services, actor }: RequestContext,
  ) {
    const filter = { unreadOnly: unreadOnly === true };
    return connectionOf(page, (p) => services.notifications.page(actor, filter, p), () => services.notifications.count(actor, filter));
  }

  @Authorized()
  @Mutation(() => MarkNotificationsReadPayload, { description: "标为已读, for you only; another's notification's ID is NOT_FOUND and nothing is marked." })
  markNotificationsRead(@Arg("input", () => MarkNotificationsReadInput) input: MarkNotificationsReadInput, @Ctx() context: RequestContext) {
    return mutationPayload(async () => {
      const { ids } = await parseInput(markNotificationsReadSchema, input);
      return { notifications: await context.services.notifications.markRead(commandOf(context), ids) };
    });
  }

  @FieldResolver(() => ID)
  id(@Root() row: NotificationView) {
    return toGlobalId("Notification", row.id);
  }

  @FieldResolver(() => ID)
  subjectId(@Root() row: NotificationView) {
    return toGlobalId(row.subjectType as NodeTypeName, row.subjectId);
  }

  @FieldResolver(() => Node, { nullable: true, description: "The object it is about, as `node(id: subjectId)` answers it (null when no longer visible to you)." })
  subject(@Root() row: NotificationView, @Ctx() context: RequestContext) {
    return loadNode({ type: row.subjectType as NodeTypeName, key: row.subjectId }, context);
  }

  @FieldResolver(() => Boolean)
  read(@Root() row: NotificationView) {
    return row.readAt != null;
  }
}
