import { type SQL, and, asc, eq, sql } from "drizzle-orm";
import { anyOf } from "../../db/any-of.js";
import type { Database } from "../../db/client.js";
import { type Page, type PageArgs, type SortKey, cursorParameter, pageFromRows, planPage } from "../../db/keyset.js";
import { type Actor, anonymous } from "../../actor.js";
import { ForbiddenError } from "../../errors.js";
import { PREFECTURE_CODE } from "./county-scope.js";
import { divisionPolicy } from "./division.policy.js";
import { type DivisionRow, divisions } from "./division.schema.js";

export type DivisionLevel = DivisionRow["level"];

/** Filters of the division list, already validated at the edge (absent and null both mean "any"). */
export interface DivisionFilter {
  parentCode?: string | undefined;
  level?: DivisionLevel | undefined;
}

const byCode: SortKey<DivisionRow> = {
  name: "CODE",
  expression: sql`${divisions.code}`,
  valueOf: (row) => row.code,
  parameter: cursorParameter.divisionCode,
};

/** 行政区划: the prefecture, its counties, towns and villages. */
export class GeographyService {
  /** Built once: the DataLoaders' hot path skips drizzle's per-call SQL building. */
  private readonly byCodes;

  constructor(private readonly database: Database) {
    this.byCodes = this.database.db
      .select()
      .from(divisions)
      .where(sql`${divisions.code} = any(${sql.placeholder("codes")}::varchar[])`)
      .prepare("divisions_by_codes");
  }

  async divisionsByCodes(codes: readonly string[]): Promise<DivisionRow[]> {
    if (codes.length === 0) return [];
    return this.byCodes.execute({ codes: [...codes] });
  }

  private countiesOnce?: Promise<DivisionRow[]>;

  /** The prefecture's counties: reference data, read once per process (a cache that may be lost). */
  counties(): Promise<DivisionRow[]> {
    this.countiesOnce ??= this.childrenOf([PREFECTURE_CODE])
      .then((byParent) => byParent.get(PREFECTURE_CODE) ?? [])
      .catch((error: unknown) => {
        this.countiesOnce = undefined;
        throw error;
      });
    return this.countiesOnce;
  }

  async childrenOf(parentCodes: readonly string[]): Promise<Map<string, DivisionRow[]>> {
    const rows = await this.database.db
      .select()
      .from(divisions)
      .where(anyOf(divisions.parentCode, parentCodes, "varchar"))
      .orderBy(asc(divisions.code));
    const byParent = new Map<string, DivisionRow[]>(parentCodes.map((code) => [code, []]));
    for (const row of rows) byParent.get(row.parentCode!)?.push(row);
    return byParent;
  }

  /** The list's conditions: what the policy lets the actor list, and the filter. */
  private conditions(actor: Actor, filter: DivisionFilter): SQL[] {
    const scope = divisionPolicy.scope(actor);
    if (!scope) throw new ForbiddenError("You may not list divisions");
    const conditions: SQL[] = [scope];
    if (filter.parentCode) conditions.push(eq(divisions.parentCode, filter.parentCode));
    if (filter.level) conditions.push(eq(divisions.level, filter.level));
    return conditions;
  }

  /** A page of the divisions `actor` may list (default: what the public sees). */
  async divisionsPage(filter: DivisionFilter, args: PageArgs, actor: Actor = anonymous): Promise<Page<DivisionRow>> {
    const plan = planPage(args, byCode, "ASC", sql`${divisions.code}`, cursorParameter.divisionCode);
    const rows = await this.database.db
      .select()
      .from(divisions)
      .where(and(...this.conditions(actor, filter), ...plan.conditions))
      .orderBy(plan.orderBy[0]!)
      .limit(plan.limit);
    return pageFromRows(rows, plan, args, byCode, (row) => row.code);
  }

  async divisionsCount(filter: DivisionFilter, actor: Actor = anonymous): Promise<number> {
    const [row] = await this.database.db
      .select({ count: sql<number>`count(*)::int` })
      .from(divisions)
      .where(and(...this.conditions(actor, filter)));
    return row?.count ?? 0;
  }
}
