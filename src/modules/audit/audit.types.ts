import { Field, ID, ObjectType } from "type-graphql";
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
