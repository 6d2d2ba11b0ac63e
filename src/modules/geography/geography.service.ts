import { type SQL, and, asc, eq, sql } from "drizzle-orm";
import { anyOf } from "../../db/any-of.js";
import type { Database } from "../../db/client.js";
import { type Page, type PageArgs, type SortKey, cursorParameter, pageFromRows, planPage } from "../../db/keyset.js";
import { PREFECTURE_CODE } from "./county-scope.js";
import { type DivisionRow, divisions } from "./division.schema.js";

export type DivisionLevel = DivisionRow["level"];

export interface DivisionFilter {
  parentCode?: string;
  level?: DivisionLevel;
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

  private conditions(filter: DivisionFilter): SQL[] {
    const conditions: SQL[] = [];
    if (filter.parentCode) conditions.push(eq(divisions.parentCode, filter.parentCode));
    if (filter.level) conditions.push(eq(divisions.level, filter.level));
    return conditions;
  }

  async divisionsPage(filter: DivisionFilter, args: PageArgs): Promise<Page<DivisionRow>> {
    const plan = planPage(args, byCode, "ASC", sql`${divisions.code}`, cursorParameter.divisionCode);
    const rows = await this.database.db
      .select()
      .from(divisions)
      .where(and(...this.conditions(filter), ...plan.conditions))
      .orderBy(plan.orderBy[0]!)
      .limit(plan.limit);
    return pageFromRows(rows, plan, args, byCode, (row) => row.code);
  }

  async divisionsCount(filter: DivisionFilter): Promise<number> {
    const [row] = await this.database.db
      .select({ count: sql<number>`count(*)::int` })
      .from(divisions)
      .where(and(...this.conditions(filter)));
    return row?.count ?? 0;
  }
}
