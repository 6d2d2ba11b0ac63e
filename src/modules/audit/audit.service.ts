import { type SQL, and, desc, eq, gte, lte, sql } from "drizzle-orm";
import type { Database, Drizzle } from "../../db/client.js";
import { type Page, type PageArgs, type SortKey, cursorParameter, pageFromRows, planPage } from "../../db/keyset.js";
import { type Command, actorIds } from "../../actor.js";
import { type AuditRow, auditLog } from "./audit.schema.js";

/** Fields never written to the audit log. */
export const SECRET_FIELDS = new Set(["password", "passwordHash", "secret", "secretHash", "headIdNumber", "headIdHash", "token"]);

export interface AuditEntry {
  operation: string;
  entityType: string;
  entityId: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

function comparable(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

/** The fields that differ, as { field: { before, after } }, secrets left out. */
export function changedFields(before: Record<string, unknown> | null | undefined, after: Record<string, unknown> | null | undefined) {
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const key of keys) {
    if (SECRET_FIELDS.has(key)) continue;
    const b = comparable(before?.[key]) ?? null;
    const a = comparable(after?.[key]) ?? null;
    if (JSON.stringify(b) !== JSON.stringify(a)) changes[key] = { before: b, after: a };
  }
  return changes;
}

export interface AuditFilter {
  entityType?: string;
  entityId?: string;
  actorUserId?: string;
  operation?: string;
  from?: Date;
  to?: Date;
}

const byTime: SortKey<AuditRow> = {
  name: "AT",
  expression: sql`${auditLog.at}`,
  valueOf: (row) => row.at.toISOString(),
  parameter: cursorParameter.timestamp,
};

/** 审计日志: who changed what, when, in which request. */
export class AuditService {
  constructor(private readonly database: Database) {}

  /** Writes one entry inside the mutation's transaction: if the mutation rolls back, so does this. */
  async record(tx: Drizzle, command: Command, entry: AuditEntry): Promise<void> {
    await tx.insert(auditLog).values({
      ...actorIds(command.actor),
      operation: entry.operation,
      entityType: entry.entityType,
      entityId: entry.entityId,
      changes: changedFields(entry.before, entry.after),
      requestId: command.requestId,
    });
  }

  private conditions(filter: AuditFilter): SQL[] {
    const c: SQL[] = [];
    if (filter.entityType) c.push(eq(auditLog.entityType, filter.entityType));
    if (filter.entityId) c.push(eq(auditLog.entityId, filter.entityId));
    if (filter.actorUserId) c.push(eq(auditLog.actorUserId, filter.actorUserId));
    if (filter.operation) c.push(eq(auditLog.operation, filter.operation));
    if (filter.from) c.push(gte(auditLog.at, filter.from));
    if (filter.to) c.push(lte(auditLog.at, filter.to));
    return c;
  }

  async entriesPage(filter: AuditFilter, args: PageArgs): Promise<Page<AuditRow>> {
    const idParameter = (v: unknown) => (typeof v === "string" && /^[0-9]{1,18}$/.test(v) ? sql`${v}::bigint` : undefined);
    const plan = planPage(args, byTime, "DESC", sql`${auditLog.id}`, idParameter);
    const rows = await this.database.db
      .select()
      .from(auditLog)
      .where(and(...this.conditions(filter), ...plan.conditions))
      .orderBy(...plan.orderBy)
      .limit(plan.limit);
    return pageFromRows(rows, plan, args, byTime, (row) => String(row.id));
  }

  async entriesCount(filter: AuditFilter): Promise<number> {
    const [row] = await this.database.db
      .select({ count: sql<number>`count(*)::int` })
      .from(auditLog)
      .where(and(...this.conditions(filter)));
    return row?.count ?? 0;
  }

  /** Newest entries for one entity (tests and support). */
  async entriesFor(entityType: string, entityId: string): Promise<AuditRow[]> {
    return this.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, entityType), eq(auditLog.entityId, entityId)))
      .orderBy(desc(auditLog.id));
  }
}
