import { type SQL, sql } from "drizzle-orm";
import { type Command, actorIds } from "../../actor.js";
import { auditLog } from "./audit.schema.js";
import { SECRET_FIELDS } from "./audit.service.js";

/** One audit entry per row a composed statement wrote (the rows are usually a CTE's name). */
export interface AuditEntriesOf {
  operation: string;
  entityType: string;
  /** the rows written, e.g. sql`placed` for `placed as (insert ... returning *)` */
  rows: SQL;
  /** the entity's key in terms of those rows, as text, e.g. sql`id::text` */
  entityId: SQL;
  /** the changes as jsonb, in the audit log's shape: see `createdChanges` */
  changes: SQL;
}

/**
 * `insert into audit_log ... select ... from <rows>`: the audit module's piece for a write that must
 * stay ONE statement (e.g. reservePurchase takes supply, inserts the order and audits it at once).
 * Use it as a CTE: `audited as (${insertAuditEntries(command, {...})})`. Like `AuditService.record`,
 * it commits or rolls back with the statement it is part of.
 */
export function insertAuditEntries(command: Command, entry: AuditEntriesOf): SQL {
  const { actorUserId, actorApiKeyId } = actorIds(command.actor);
  return sql`insert into ${auditLog} (actor_user_id, actor_api_key_id, operation, entity_type, entity_id, changes, request_id)
    select ${actorUserId}::uuid, ${actorApiKeyId}::uuid, ${entry.operation}::varchar, ${entry.entityType}::varchar,
           ${entry.entityId}, ${entry.changes}, ${command.requestId}::varchar
    from ${entry.rows}`;
}

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9]*$/;

/**
 * The changes of a created row as jsonb, `{ field: { before: null, after: <value> } }` (the shape
 * `changedFields` writes), from SQL expressions over the written row; secret fields are left out.
 * Field names are the audited (camelCase) names, inlined as literals, so they must be plain words.
 */
export function createdChanges(fields: Record<string, SQL>): SQL {
  const pairs = Object.entries(fields)
    .filter(([field]) => !SECRET_FIELDS.has(field))
    .map(([field, value]) => {
      if (!FIELD_NAME.test(field)) throw new Error(`createdChanges: "${field}" is not a plain field name`);
      return sql`${sql.raw(`'${field}'`)}, jsonb_build_object('before', null, 'after', ${value})`;
    });
  return sql`jsonb_build_object(${sql.join(pairs, sql`, `)})`;
}
