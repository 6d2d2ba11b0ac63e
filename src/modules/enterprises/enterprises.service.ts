import { type SQL, and, asc, eq, sql } from "drizzle-orm";
import { anyOf } from "../../db/any-of.js";
import type { Database } from "../../db/client.js";
import { ForbiddenError } from "../../errors.js";
import { type Page, type PageArgs, type SortDirection, type SortKey, cursorParameter, pageFromRows, planPage } from "../../db/keyset.js";
import { type Actor, anonymous } from "../../actor.js";
import { enterprisePolicy } from "./enterprise.policy.js";
import { type EnterpriseStatusRow, enterpriseStatusHistory } from "./enterprise-status.schema.js";
import { type EnterpriseRow, enterprises } from "./enterprise.schema.js";

export type EnterpriseSortField = "NAME" | "CREATED_AT";

export interface EnterpriseOrder {
  field: EnterpriseSortField;
  direction: SortDirection;
}

/** Filters of the enterprise list, already validated at the edge (absent and null both mean "any"). */
export interface EnterpriseFilter {
  /** a county code (already checked to be one); absent means every county */
  countyCode?: string | undefined;
  kind?: EnterpriseRow["kind"] | undefined;
  status?: EnterpriseRow["status"] | undefined;
  search?: string | undefined;
}

const sortKeys: Record<EnterpriseSortField, SortKey<EnterpriseRow>> = {
  NAME: {
    name: "NAME",
    expression: sql`${enterprises.name} collate "C"`,
    valueOf: (row) => row.name,
    parameter: cursorParameter.text,
  },
  CREATED_AT: {
    name: "CREATED_AT",
    expression: sql`${enterprises.createdAt}`,
    valueOf: (row) => row.createdAt.toISOString(),
    parameter: cursorParameter.timestamp,
  },
};

/** 经营主体: enterprises and co-operatives. */
export class EnterprisesService {
  /** Built once: the DataLoaders' hot path skips drizzle's per-call SQL building. */
  private readonly byIds;

  constructor(private readonly database: Database) {
    this.byIds = this.database.db
      .select()
      .from(enterprises)
      .where(sql`${enterprises.id} = any(${sql.placeholder("ids")}::uuid[])`)
      .prepare("enterprises_by_ids");
  }

  async enterprisesByIds(ids: readonly string[]): Promise<EnterpriseRow[]> {
    if (ids.length === 0) return [];
    return this.byIds.execute({ ids: [...ids] });
  }

  /** Each enterprise's status history (核实, 暂停, 恢复), oldest first, for several enterprises at once. */
  async statusHistories(enterpriseIds: readonly string[]): Promise<Map<string, EnterpriseStatusRow[]>> {
    const byEnterprise = new Map<string, EnterpriseStatusRow[]>(enterpriseIds.map((id) => [id, []]));
    if (enterpriseIds.length === 0) return byEnterprise;
    const rows = await this.database.db
      .select()
      .from(enterpriseStatusHistory)
      .where(anyOf(enterpriseStatusHistory.enterpriseId, enterpriseIds, "uuid"))
      .orderBy(asc(enterpriseStatusHistory.at), asc(enterpriseStatusHistory.seq));
    for (const row of rows) byEnterprise.get(row.enterpriseId)?.push(row);
    return byEnterprise;
  }

  /** The list's conditions: what the policy lets the actor list, and the filter. */
  private conditions(actor: Actor, filter: EnterpriseFilter): SQL[] {
    const scope = enterprisePolicy.scope(actor);
    if (!scope) throw new ForbiddenError("You may not list enterprises");
    const conditions: SQL[] = [scope];
    if (filter.countyCode) conditions.push(eq(enterprises.countyCode, filter.countyCode));
    if (filter.kind) conditions.push(eq(enterprises.kind, filter.kind));
    if (filter.status) conditions.push(eq(enterprises.status, filter.status));
    if (filter.search) conditions.push(sql`strpos(lower(${enterprises.name}), ${filter.search.toLowerCase()}) > 0`);
    return conditions;
  }

  /** A page of the enterprises `actor` may list (default: what the public sees). */
  async enterprisesPage(filter: EnterpriseFilter, order: EnterpriseOrder, args: PageArgs, actor: Actor = anonymous): Promise<Page<EnterpriseRow>> {
    const key = sortKeys[order.field];
    const plan = planPage(args, key, order.direction, sql`${enterprises.id}`, cursorParameter.uuid);
    const rows = await this.database.db
      .select()
      .from(enterprises)
      .where(and(...this.conditions(actor, filter), ...plan.conditions))
      .orderBy(...plan.orderBy)
      .limit(plan.limit);
    return pageFromRows(rows, plan, args, key, (row) => row.id);
  }

  async enterprisesCount(filter: EnterpriseFilter, actor: Actor = anonymous): Promise<number> {
    const [row] = await this.database.db
      .select({ count: sql<number>`count(*)::int` })
      .from(enterprises)
      .where(and(...this.conditions(actor, filter)));
    return row?.count ?? 0;
  }
}
