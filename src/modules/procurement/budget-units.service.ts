import { type SQL, and, asc, eq, sql } from "drizzle-orm";
import { anyOf } from "../../db/any-of.js";
import type { Database } from "../../db/client.js";
import { PgCode, pgConstraint, pgErrorCode } from "../../db/errors.js";
import { type Page, type PageArgs, type SortKey, cursorParameter, pageFromRows, planPage } from "../../db/keyset.js";
import { ForbiddenError, UserErrorCode, UserFacingError } from "../../errors.js";
import type { Actor, Command } from "../../actor.js";
import type { AuditService } from "../audit/index.js";
import type { GeographyService } from "../geography/index.js";
import { noCycleConstraint, subtreeOf, treeLock } from "./budget-unit-tree.js";
import { budgetUnitPolicy } from "./procurement.policy.js";
import { type BudgetUnitRow, budgetUnits } from "./procurement.schema.js";

export interface BudgetUnitFields {
  code: string;
  name: string;
  level: BudgetUnitRow["level"];
  countyCode: string | null;
  parentId: string | null;
  hasCanteen: boolean;
}

/** An edit of a unit: absent fields stay; `parentId: null` makes it a top-level (supervising) unit. */
export interface BudgetUnitUpdate {
  budgetUnitId: string;
  name?: string | undefined;
  parentId?: string | null | undefined;
  hasCanteen?: boolean | undefined;
}

export interface BudgetUnitFilter {
  parentId?: string | undefined;
  countyCode?: string | undefined;
  level?: BudgetUnitRow["level"] | undefined;
  /** only this unit and the units below it */
  withinUnitId?: string;
}

const byCode: SortKey<BudgetUnitRow> = {
  name: "CODE",
  expression: sql`${budgetUnits.code}`,
  valueOf: (row) => row.code,
  parameter: cursorParameter.varchar(32),
};

/** 预算单位: the tree of supervising and subordinate budget units. */
export class BudgetUnitsService {
  readonly policy = budgetUnitPolicy;

  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly geography: GeographyService,
  ) {}

  async unitsByIds(ids: readonly string[]): Promise<BudgetUnitRow[]> {
    if (ids.length === 0) return [];
    return this.database.db.select().from(budgetUnits).where(anyOf(budgetUnits.id, ids, "uuid"));
  }

  async childrenOf(parentIds: readonly string[]): Promise<Map<string, BudgetUnitRow[]>> {
    const rows = await this.database.db.select().from(budgetUnits).where(anyOf(budgetUnits.parentId, parentIds, "uuid")).orderBy(asc(budgetUnits.code));
    const byParent = new Map<string, BudgetUnitRow[]>(parentIds.map((id) => [id, []]));
    for (const row of rows) byParent.get(row.parentId!)?.push(row);
    return byParent;
  }

  /** Whether `unitId` is `ancestorId` or below it. */
  async isWithin(unitId: string, ancestorId: string): Promise<boolean> {
    if (unitId === ancestorId) return true;
    const rows = await this.database.rows<{ inside: boolean }>(sql`select ${unitId}::uuid in ${subtreeOf(ancestorId)} as inside`);
    return Boolean(rows[0]?.inside);
  }

  private conditions(actor: Actor, filter: BudgetUnitFilter): SQL[] {
    const scope = this.policy.scope(actor);
    if (!scope) throw new ForbiddenError("Log in to read budget units");
    const c: SQL[] = [scope];
    if (filter.parentId) c.push(eq(budgetUnits.parentId, filter.parentId));
    if (filter.countyCode) c.push(eq(budgetUnits.countyCode, filter.countyCode));
    if (filter.level) c.push(eq(budgetUnits.level, filter.level));
    if (filter.withinUnitId) c.push(sql`${budgetUnits.id} in ${subtreeOf(filter.withinUnitId)}`);
    return c;
  }

  async unitsPage(actor: Actor, filter: BudgetUnitFilter, args: PageArgs): Promise<Page<BudgetUnitRow>> {
    const plan = planPage(args, byCode, "ASC", sql`${budgetUnits.id}`, cursorParameter.uuid);
    const rows = await this.database.db
      .select()
      .from(budgetUnits)
      .where(and(...this.conditions(actor, filter), ...plan.conditions))
      .orderBy(...plan.orderBy)
      .limit(plan.limit);
    return pageFromRows(rows, plan, args, byCode, (row) => row.id);
  }

  async unitsCount(actor: Actor, filter: BudgetUnitFilter): Promise<number> {
    const [row] = await this.database.db.select({ count: sql<number>`count(*)::int` }).from(budgetUnits).where(and(...this.conditions(actor, filter)));
    return row?.count ?? 0;
  }

  private async validate(fields: BudgetUnitFields, selfId?: string): Promise<void> {
    if (fields.level === "COUNTY") {
      const [county] = fields.countyCode ? await this.geography.divisionsByCodes([fields.countyCode]) : [];
      if (county?.level !== "COUNTY") throw new UserFacingError(UserErrorCode.INVALID, "A county-level unit needs the code of a county of 湘西州", ["input", "countyCode"]);
    }
    if (fields.parentId) {
      const [parent] = await this.unitsByIds([fields.parentId]);
      if (!parent) throw new UserFacingError(UserErrorCode.NOT_FOUND, "No such supervising unit", ["input", "parentId"]);
      if (selfId && (await this.isWithin(fields.parentId, selfId))) {
        throw new UserFacingError(UserErrorCode.INVALID, "A unit cannot be supervised by itself or a unit below it", ["input", "parentId"]);
      }
    }
  }

  async createUnit(command: Command, fields: BudgetUnitFields): Promise<BudgetUnitRow> {
    await this.validate(fields);
    return this.database.transaction(async (tx) => {
      const [row] = await this.writing(() => tx.insert(budgetUnits).values(fields).returning());
      await this.audit.record(tx, command, { operation: "createBudgetUnit", entityType: "BudgetUnit", entityId: row!.id, after: row });
      return row!;
    });
  }

  async updateUnit(command: Command, { budgetUnitId: unitId, ...edit }: BudgetUnitUpdate): Promise<BudgetUnitRow> {
    const [current] = await this.unitsByIds([unitId]);
    if (!current) throw new UserFacingError(UserErrorCode.NOT_FOUND, "No such budget unit", ["input", "budgetUnitId"]);
    // Absent (undefined) fields stay as they are; only a given value (or parentId: null) changes.
    const changes = Object.fromEntries(Object.entries(edit).filter(([, v]) => v !== undefined)) as Partial<BudgetUnitFields>;
    const next = { ...current, ...changes };
    await this.validate(next, unitId);
    return this.database.transaction(async (tx) => {
      // Parent changes take the tree's lock first (before any row lock, so no deadlock with the
      // trigger that takes it too); the trigger then refuses a cycle against committed data.
      if (changes.parentId !== undefined && changes.parentId !== current.parentId) await tx.execute(treeLock);
      const [before] = await tx.select().from(budgetUnits).where(eq(budgetUnits.id, unitId)).for("update");
      const [after] = await this.writing(() =>
        tx.update(budgetUnits).set({ ...changes, updatedAt: new Date(), version: sql`${budgetUnits.version} + 1` }).where(eq(budgetUnits.id, unitId)).returning(),
      );
      await this.audit.record(tx, command, { operation: "updateBudgetUnit", entityType: "BudgetUnit", entityId: unitId, before, after });
      return after!;
    });
  }

  private async writing<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const code = pgErrorCode(error);
      if (code === PgCode.uniqueViolation) throw new UserFacingError(UserErrorCode.DUPLICATE, "A budget unit with this code exists", ["input", "code"]);
      if (code === PgCode.checkViolation && pgConstraint(error) === noCycleConstraint) {
        throw new UserFacingError(UserErrorCode.INVALID, "A unit cannot be supervised by itself or a unit below it", ["input", "parentId"]);
      }
      if (code === PgCode.checkViolation) throw new UserFacingError(UserErrorCode.INVALID, "The unit's level, county and parent do not fit together", ["input"]);
      throw error;
    }
  }
}
