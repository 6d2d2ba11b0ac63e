import { type SQL, and, eq, sql } from "drizzle-orm";
import { anyOf } from "../../db/any-of.js";
import type { Database } from "../../db/client.js";
import { PgCode, pgErrorCode } from "../../db/errors.js";
import { type Page, type PageArgs, type SortKey, cursorParameter, pageFromRows, planPage } from "../../db/keyset.js";
import { ForbiddenError, UserErrorCode, UserFacingError } from "../../errors.js";
import { type Actor, type Command, mayReviewIn } from "../../actor.js";
import type { AuditService } from "../audit/index.js";
import type { GeographyService } from "../geography/index.js";
import { householdPolicy } from "./household.policy.js";
import { type HouseholdRow, households } from "./household.schema.js";
import { type IdNumberHasher, maskIdNumber, validateIdNumber } from "./id-number.js";

export interface NewHousehold {
  householdNo: string;
  villageCode: string;
  headName: string;
  headIdNumber: string;
  members: number;
  laborCapacity: boolean;
  developmentWillingness: boolean;
  status: HouseholdRow["status"];
  monitoringReason?: string | null;
  exitYear?: number | null;
}

export type HouseholdChanges = Partial<Pick<NewHousehold, "members" | "laborCapacity" | "developmentWillingness" | "status" | "monitoringReason" | "exitYear" | "headName">>;

export interface HouseholdFilter {
  countyCode?: string;
  villageCode?: string;
  status?: HouseholdRow["status"];
  laborCapacityAndWillingness?: boolean;
}

const byNumber: SortKey<HouseholdRow> = {
  name: "HOUSEHOLD_NO",
  expression: sql`${households.householdNo}`,
  valueOf: (row) => row.householdNo,
  parameter: (v) => (typeof v === "string" && v.length <= 32 ? sql`${v}::varchar` : undefined),
};

/** What the audit log may hold of a household: never the ID number or its hash. */
function auditView(row: HouseholdRow) {
  const { headIdHash: _hash, ...rest } = row;
  return rest;
}

/** 建档立卡户: registered households, with their personal data kept masked. */
export class HouseholdsService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly geography: GeographyService,
    private readonly hasher: IdNumberHasher,
  ) {}

  private async village(code: string) {
    const [village] = await this.geography.divisionsByCodes([code]);
    if (village?.level !== "VILLAGE") throw new UserFacingError(UserErrorCode.INVALID, `${code} is not a village of 湘西州`, ["input", "villageCode"]);
    return village;
  }

  async create(command: Command, input: NewHousehold): Promise<HouseholdRow> {
    if (!mayReviewIn(command.actor, input.villageCode)) throw new ForbiddenError("Only the poverty office of the household's county may register it");
    const id = validateIdNumber(input.headIdNumber);
    if (!id.ok) throw new UserFacingError(UserErrorCode.INVALID, id.reason, ["input", "headIdNumber"]);
    await this.village(input.villageCode);
    const { headIdNumber: _whole, ...fields } = input;
    return this.database.transaction(async (tx) => {
      let row: HouseholdRow;
      try {
        [row] = (await tx
          .insert(households)
          .values({ ...fields, monitoringReason: fields.monitoringReason ?? null, exitYear: fields.exitYear ?? null, countyCode: input.villageCode.slice(0, 6), headIdHash: this.hasher.hash(id.normalized), headIdMasked: maskIdNumber(id.normalized) })
          .returning()) as [HouseholdRow];
      } catch (error) {
        if (pgErrorCode(error) === PgCode.uniqueViolation) {
          throw new UserFacingError(UserErrorCode.DUPLICATE, `户编号 ${input.householdNo} already exists`, ["input", "householdNo"]);
        }
        throw error;
      }
      await this.audit.record(tx, command, { operation: "createHousehold", entityType: "Household", entityId: row.id, after: auditView(row) });
      return row;
    });
  }

  async update(command: Command, householdId: string, changes: HouseholdChanges): Promise<HouseholdRow> {
    return this.database.transaction(async (tx) => {
      const [before] = await tx.select().from(households).where(eq(households.id, householdId)).for("update");
      if (!before || !mayReviewIn(command.actor, before.villageCode)) {
        if (!before) throw new UserFacingError(UserErrorCode.NOT_FOUND, "No such household", ["input", "householdId"]);
        throw new ForbiddenError("Only the poverty office of the household's county may change it");
      }
      const [after] = await tx
        .update(households)
        .set({ ...changes, updatedAt: new Date(), version: sql`${households.version} + 1` })
        .where(eq(households.id, householdId))
        .returning();
      await this.audit.record(tx, command, { operation: "updateHousehold", entityType: "Household", entityId: householdId, before: auditView(before), after: auditView(after!) });
      return after!;
    });
  }

  async householdsByIds(ids: readonly string[]): Promise<HouseholdRow[]> {
    if (ids.length === 0) return [];
    return this.database.db.select().from(households).where(anyOf(households.id, ids, "uuid"));
  }

  /**
   * The household with this number whose head has this ID number, or undefined. Either part wrong
   * gives the same answer, so a caller learns nothing about which one it was.
   */
  async matchByNumberAndId(householdNo: string, headIdNumber: string): Promise<HouseholdRow | undefined> {
    const id = validateIdNumber(headIdNumber);
    if (!id.ok) return undefined;
    const [row] = await this.database.db
      .select()
      .from(households)
      .where(and(eq(households.householdNo, householdNo), eq(households.headIdHash, this.hasher.hash(id.normalized))));
    return row;
  }

  private conditions(actor: Actor, filter: HouseholdFilter): SQL[] {
    const scope = householdPolicy.scope(actor);
    if (!scope) throw new ForbiddenError("Households are for poverty offices and admins only");
    const c: SQL[] = [scope];
    if (filter.countyCode) c.push(eq(households.countyCode, filter.countyCode));
    if (filter.villageCode) c.push(eq(households.villageCode, filter.villageCode));
    if (filter.status) c.push(eq(households.status, filter.status));
    if (filter.laborCapacityAndWillingness != null) {
      c.push(filter.laborCapacityAndWillingness ? sql`(${households.laborCapacity} and ${households.developmentWillingness})` : sql`not (${households.laborCapacity} and ${households.developmentWillingness})`);
    }
    return c;
  }

  async page(actor: Actor, filter: HouseholdFilter, args: PageArgs): Promise<Page<HouseholdRow>> {
    const plan = planPage(args, byNumber, "ASC", sql`${households.id}`, cursorParameter.uuid);
    const rows = await this.database.db
      .select()
      .from(households)
      .where(and(...this.conditions(actor, filter), ...plan.conditions))
      .orderBy(...plan.orderBy)
      .limit(plan.limit);
    return pageFromRows(rows, plan, args, byNumber, (row) => row.id);
  }

  async count(actor: Actor, filter: HouseholdFilter): Promise<number> {
    const [row] = await this.database.db.select({ count: sql<number>`count(*)::int` }).from(households).where(and(...this.conditions(actor, filter)));
    return row?.count ?? 0;
  }
}
