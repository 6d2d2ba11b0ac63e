import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../graphql/context.js";
import { connectionOf } from "../../graphql/connection.js";
import { type NodeTypeName, toGlobalId } from "../../graphql/global-id.js";
import { parseArgument } from "../../graphql/inputs.js";
import { PageArguments } from "../../graphql/page-args.js";
import { User } from "../accounts/index.js";
import type { AuditRow } from "./audit.schema.js";
import { AuditLogFilter, auditLogFilterSchema } from "./audit.inputs.js";
import { AuditEntry, AuditEntryConnection } from "./audit.types.js";

@Resolver(() => AuditEntry)
export class AuditResolver {
  @Authorized("ADMIN")
  @Query(() => AuditEntryConnection, { description: "审计日志, newest first (admins)." })
  auditLog(
    @Arg("filter", () => AuditLogFilter, { nullable: true }) input: AuditLogFilter | undefined,
    @Args(() => PageArguments) page: PageArguments,
    @Ctx() { services }: RequestContext,
  ) {
    const filter = parseArgument(auditLogFilterSchema, input ?? {}, "filter");
    return connectionOf(page, (p) => services.audit.entriesPage(filter, p), () => services.audit.entriesCount(filter));
  }

  @FieldResolver(() => ID)
  id(@Root() row: AuditRow) {
    return String(row.id);
  }

  @FieldResolver(() => ID)
  entityId(@Root() row: AuditRow) {
    return toGlobalId(row.entityType as NodeTypeName, row.entityId);
  }

  @FieldResolver(() => String)
  changes(@Root() row: AuditRow) {
    return JSON.stringify(row.changes);
  }

  @FieldResolver(() => User, { nullable: true, description: "The acting user (null for an API key or the system)." })
  actor(@Root() row: AuditRow, @Ctx() { loaders }: RequestContext) {
    return row.actorUserId ? loaders.userById.load(row.actorUserId) : null;
  }
}
