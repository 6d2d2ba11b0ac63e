import { type SQL, and, eq, sql } from "drizzle-orm";
import { anyOf } from "../../db/any-of.js";
import type { Database } from "../../db/client.js";
import { type Page, type PageArgs, type SortDirection, type SortKey, cursorParameter, pageFromRows, planPage } from "../../db/keyset.js";
import { type EnterpriseRow, enterprises } from "./enterprise.schema.js";

export type EnterpriseSortField = "NAME" | "CREATED_AT";

export interface EnterpriseFilter {
  /** a county code (already checked to be one); absent means every county */
  countyCode?: string;
  kind?: EnterpriseRow["kind"];
  status?: EnterpriseRow["status"];
  search?: string;
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

  private conditions(filter: EnterpriseFilter): SQL[] {
    const conditions: SQL[] = [];
    if (filter.countyCode) conditions.push(eq(enterprises.countyCode, filter.countyCode));
    if (filter.kind) conditions.push(eq(enterprises.kind, filter.kind));
    if (filter.status) conditions.push(eq(enterprises.status, filter.status));
    if (filter.search) conditions.push(sql`strpos(lower(${enterprises.name}), ${filter.search.toLowerCase()}) > 0`);
    return conditions;
  }

  async enterprisesPage(
    filter: EnterpriseFilter,
    order: { field: EnterpriseSortField; direction: SortDirection },
    args: PageArgs,
  ): Promise<Page<EnterpriseRow>> {
    const key = sortKeys[order.field];
    const plan = planPage(args, key, order.direction, sql`${enterprises.id}`, cursorParameter.uuid);
    const rows = await this.database.db
      .select()
      .from(enterprises)
      .where(and(...this.conditions(filter), ...plan.conditions))
      .orderBy(...plan.orderBy)
      .limit(plan.limit);
    return pageFromRows(rows, plan, args, key, (row) => row.id);
  }

  async enterprisesCount(filter: EnterpriseFilter): Promise<number> {
    const [row] = await this.database.db
      .select({ count: sql<number>`count(*)::int` })
      .from(enterprises)
      .where(and(...this.conditions(filter)));
    return row?.count ?? 0;
  }
}
