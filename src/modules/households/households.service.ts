import { type SQL, and, eq, sql } from "drizzle-orm";
import { anyOf } from "../../db/any-of.js";
import type { Database } from "../../db/client.js";
import { PgCode, pgConstraint, pgErrorCode } from "../../db/errors.js";
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

/** `headIdNumber` corrects a mistyped number (it is re-validated, re-hashed and must still head no other household). */
export type HouseholdChanges = Partial<Pick<NewHousehold, "members" | "laborCapacity" | "developmentWillingness" | "status" | "monitoringReason" | "exitYear" | "headName" | "headIdNumber">>;

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
  parameter: cursorParameter.varchar(32),
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

  /** The stored forms of a head's ID number, or INVALID naming the field. */
  private headIdentity(headIdNumber: string): Pick<HouseholdRow, "headIdHash" | "headIdMasked"> {
    const id = validateIdNumber(headIdNumber);
    if (!id.ok) throw new UserFacingError(UserErrorCode.INVALID, id.reason, ["input", "headIdNumber"]);
    return { headIdHash: this.hasher.hash(id.normalized), headIdMasked: maskIdNumber(id.normalized) };
  }

  /**
   * The one place a unique violation on households becomes a DUPLICATE userError, by the index that
   * refused the row (the database decides, so two requests racing with one number cannot both win).
   * The household already headed by the number is named only to a caller the household policy lets
   * see it; others learn that it exists, not which one it is.
   */
  private async duplicate(actor: Actor, error: unknown, row: { householdNo?: string; headIdHash: string }): Promise<UserFacingError | undefined> {
    if (pgErrorCode(error) !== PgCode.uniqueViolation) return undefined;
    switch (pgConstraint(error)) {
      case "households_household_no_key":
        return row.householdNo === undefined ? undefined : new UserFacingError(UserErrorCode.DUPLICATE, `户编号 ${row.householdNo} already exists`, ["input", "householdNo"]);
      case "households_head_id_hash_key": {
        const [existing] = await this.database.db.select().from(households).where(eq(households.headIdHash, row.headIdHash));
        const named = existing && (await householdPolicy.may(actor, [existing]))[0];
        const message = named
          ? `该户主已是户 ${existing.householdNo} 的户主 This person already heads household ${existing.householdNo}`
          : "该户主已是另一户的户主 This person already heads another household";
        return new UserFacingError(UserErrorCode.DUPLICATE, message, ["input", "headIdNumber"]);
      }
      default:
        return undefined;
    }
  }

  async create(command: Command, input: NewHousehold): Promise<HouseholdRow> {
    if (!mayReviewIn(command.actor, input.villageCode)) throw new ForbiddenError("Only the poverty office of the household's county may register it");
    const identity = this.headIdentity(input.headIdNumber);
    await this.village(input.villageCode);
    const { headIdNumber: _whole, ...fields } = input;
    try {
      return await this.database.transaction(async (tx) => {
        const [row] = (await tx
          .insert(households)
          .values({ ...fields, monitoringReason: fields.monitoringReason ?? null, exitYear: fields.exitYear ?? null, countyCode: input.villageCode.slice(0, 6), ...identity })
          .returning()) as [HouseholdRow];
        await this.audit.record(tx, command, { operation: "createHousehold", entityType: "Household", entityId: row.id, after: auditView(row) });
        return row;
      });
    } catch (error) {
      // After the rollback: the household named in the message is looked up outside the failed transaction.
      throw (await this.duplicate(command.actor, error, { householdNo: input.householdNo, headIdHash: identity.headIdHash })) ?? error;
    }
  }

  async update(command: Command, householdId: string, changes: HouseholdChanges): Promise<HouseholdRow> {
    const { headIdNumber, ...facts } = changes;
    const identity = headIdNumber === undefined ? undefined : this.headIdentity(headIdNumber);
    try {
      return await this.database.transaction(async (tx) => {
        const [before] = await tx.select().from(households).where(eq(households.id, householdId)).for("update");
        if (!before || !mayReviewIn(command.actor, before.villageCode)) {
          if (!before) throw new UserFacingError(UserErrorCode.NOT_FOUND, "No such household", ["input", "householdId"]);
          throw new ForbiddenError("Only the poverty office of the household's county may change it");
        }
        const [after] = await tx
          .update(households)
          .set({ ...facts, ...identity, updatedAt: new Date(), version: sql`${households.version} + 1` })
          .where(eq(households.id, householdId))
          .returning();
        await this.audit.record(tx, command, { operation: "updateHousehold", entityType: "Household", entityId: householdId, before: auditView(before), after: auditView(after!) });
        return after!;
      });
    } catch (error) {
      throw (identity && (await this.duplicate(command.actor, error, identity))) || error;
    }
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
