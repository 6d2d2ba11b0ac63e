import { Field, ID, InputType, ObjectType } from "type-graphql";
import { ConnectionType } from "../../graphql/connection.js";
import { DateTimeScalar } from "../../graphql/scalars.js";

@ObjectType({ description: "审计日志条目: one successful mutation." })
export class AuditEntry {
  @Field(() => ID)
  id!: string;

  @Field(() => DateTimeScalar)
  at!: Date;

  @Field(() => String, { description: "The mutation, e.g. reviewProduct." })
  operation!: string;

  @Field(() => String)
  entityType!: string;

  @Field(() => ID, { description: "Global ID of the changed entity." })
  entityId!: string;

  @Field(() => String, { description: 'Changed fields as JSON: {"field": {"before": …, "after": …}}; never secrets.' })
  changes!: string;

  @Field(() => String)
  requestId!: string;
}

export const AuditEntryConnection = ConnectionType(AuditEntry, "AuditEntry");

@InputType()
export class AuditLogFilter {
  @Field(() => String, { nullable: true, description: "Product, Enterprise, User, ApiKey …" })
  entityType?: string;

  @Field(() => ID, { nullable: true, description: "Global ID of the entity." })
  entityId?: string;

  @Field(() => ID, { nullable: true, description: "Global ID of the acting user." })
  actorUserId?: string;

  @Field(() => String, { nullable: true })
  operation?: string;

  @Field(() => DateTimeScalar, { nullable: true })
  from?: Date;

  @Field(() => DateTimeScalar, { nullable: true })
  to?: Date;
}
