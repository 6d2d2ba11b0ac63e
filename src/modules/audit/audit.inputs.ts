import { Field, ID, InputType } from "type-graphql";
import { z } from "zod";
import { anyId, idOf, optional } from "../../graphql/inputs.js";
import { DateTimeScalar } from "../../graphql/scalars.js";
import type { AuditFilter } from "./audit.service.js";

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

/** The audit log filter: an entity's ID fixes its type too (it wins over `entityType`); "" filters nothing, as before. */
export const auditLogFilterSchema = z
  .object({
    entityType: optional(z.string().max(32)),
    entityId: optional(anyId()),
    actorUserId: optional(idOf("User")),
    operation: optional(z.string().max(64)),
    from: optional(z.date()),
    to: optional(z.date()),
  })
  .transform(({ entityType, entityId, ...rest }): AuditFilter => ({ ...rest, entityType: entityId?.type ?? entityType, entityId: entityId?.key }));
