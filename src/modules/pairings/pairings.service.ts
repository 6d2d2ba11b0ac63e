import { type SQL, and, eq, sql } from "drizzle-orm";
import { anyOf } from "../../db/any-of.js";
import type { Database } from "../../db/client.js";
import { type Page, type PageArgs, type SortKey, cursorParameter, pageFromRows, planPage } from "../../db/keyset.js";
import { ForbiddenError, UserErrorCode, UserFacingError } from "../../errors.js";
import { type Actor, type Command, mayReviewIn } from "../../actor.js";
import type { AuditService } from "../audit/index.js";
import { type EnterprisesService, assertEnterpriseVerified, enterprisesSuspendedOn, notVerified } from "../enterprises/index.js";
import type { GeographyService } from "../geography/index.js";
import { pairingPolicy } from "./pairing.policy.js";
import { type PairingRow, pairings } from "./pairing.schema.js";

export interface NewPairing {
  /** default: an enterprise user's own enterprise (offices must name it) */
  enterpriseId?: string;
  villageCode: string;
  mode: PairingRow["mode"];
  startDate: string;
  endDate?: string | null;
  industrialInvestment: string;
  welfareInvestment: string;
  jobsProvided: number;
  peopleTrained: number;
}

export interface PairingFilter {
  countyCode?: string;
  villageCode?: string;
  enterpriseId?: string;
  mode?: PairingRow["mode"];
  /** active on this date (started, not ended before it) */
  activeOn?: string;
}

/**
 * Active on a date (DOMAIN.md): started on or before it, and no end or an end on or after it; with
 * `enterpriseId` (the row's enterprise column), also its enterprise not suspended on that date (as
 * the enterprises' status history stood at the end of that business day).
 */
export const activeOn = (start: SQL, end: SQL, day: string, enterpriseId?: SQL): SQL =>
  enterpriseId
    ? sql`(${start} <= ${day}::date and (${end} is null or ${end} >= ${day}::date) and ${enterpriseId} not in (${enterprisesSuspendedOn(day)}))`
    : sql`(${start} <= ${day}::date and (${end} is null or ${end} >= ${day}::date))`;

const byStart: SortKey<PairingRow> = {
  name: "START_DATE",
  expression: sql`${pairings.startDate}`,
  valueOf: (row) => row.startDate,
  parameter: cursorParameter.date,
};

/** An enterprise acts for itself; a poverty office within its jurisdiction; an admin anywhere. */
export function mayPair(actor: Actor, enterpriseId: string, villageCode: string): boolean {
  if (actor.kind !== "user") return false;
  if (actor.role === "ENTERPRISE") return actor.enterpriseId === enterpriseId;
  return mayReviewIn(actor, villageCode);
}

/** 千企帮千村: enterprise–village pairings. */
export class PairingsService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly enterprises: EnterprisesService,
    private readonly geography: GeographyService,
  ) {}

  async create(command: Command, { enterpriseId: named, ...input }: NewPairing): Promise<PairingRow> {
    const actor = command.actor;
    const enterpriseId = named ?? (actor.kind === "user" && actor.role === "ENTERPRISE" ? actor.enterpriseId : null);
    if (!enterpriseId) throw new UserFacingError(UserErrorCode.INVALID, "enterpriseId is required", ["input", "enterpriseId"]);
    if (!mayPair(actor, enterpriseId, input.villageCode)) throw new ForbiddenError("Only the enterprise itself or the village's poverty office may pair them");
    const [village] = await this.geography.divisionsByCodes([input.villageCode]);
    if (village?.level !== "VILLAGE") throw new UserFacingError(UserErrorCode.INVALID, `${input.villageCode} is not a village of 湘西州`, ["input", "villageCode"]);
    const [enterprise] = await this.enterprises.enterprisesByIds([enterpriseId]);
    if (!enterprise) throw new UserFacingError(UserErrorCode.NOT_FOUND, "No such enterprise", ["input", "enterpriseId"]);
    if (input.endDate && input.endDate < input.startDate) throw new UserFacingError(UserErrorCode.INVALID, "The end date is before the start date", ["input", "endDate"]);
    if (enterprise.status !== "VERIFIED") throw notVerified(enterprise.status);
    return this.database.transaction(async (tx) => {
      await assertEnterpriseVerified(tx, enterpriseId); // again, locked: a suspension cannot slip in between
      const [row] = await tx.insert(pairings).values({ ...input, enterpriseId, endDate: input.endDate ?? null, countyCode: input.villageCode.slice(0, 6) }).returning();
      await this.audit.record(tx, command, { operation: "createPairing", entityType: "Pairing", entityId: row!.id, after: row });
      return row!;
    });
  }

  async end(command: Command, pairingId: string, endDate: string, reason: string | null): Promise<PairingRow> {
    return this.database.transaction(async (tx) => {
      const [before] = await tx.select().from(pairings).where(eq(pairings.id, pairingId)).for("update");
      if (!before) throw new UserFacingError(UserErrorCode.NOT_FOUND, "No such pairing", ["input", "pairingId"]);
      if (!mayPair(command.actor, before.enterpriseId, before.villageCode)) throw new ForbiddenError("Only the enterprise itself or the village's poverty office may end the pairing");
      if (before.endDate) throw new UserFacingError(UserErrorCode.INVALID_TRANSITION, `The pairing already ended on ${before.endDate}`, ["input", "pairingId"]);
      if (endDate < before.startDate) throw new UserFacingError(UserErrorCode.INVALID, "The end date is before the start date", ["input", "endDate"]);
      const [after] = await tx
        .update(pairings)
        .set({ endDate, endReason: reason, updatedAt: new Date(), version: sql`${pairings.version} + 1` })
        .where(eq(pairings.id, pairingId))
        .returning();
      await this.audit.record(tx, command, { operation: "endPairing", entityType: "Pairing", entityId: pairingId, before, after });
      return after!;
    });
  }

  async pairingsByIds(ids: readonly string[]): Promise<PairingRow[]> {
    if (ids.length === 0) return [];
    return this.database.db.select().from(pairings).where(anyOf(pairings.id, ids, "uuid"));
  }

  private conditions(actor: Actor, filter: PairingFilter): SQL[] {
    const scope = pairingPolicy.scope(actor);
    if (!scope) throw new ForbiddenError("You may not list pairings");
    const c: SQL[] = [scope];
    if (filter.countyCode) c.push(eq(pairings.countyCode, filter.countyCode));
    if (filter.villageCode) c.push(eq(pairings.villageCode, filter.villageCode));
    if (filter.enterpriseId) c.push(eq(pairings.enterpriseId, filter.enterpriseId));
    if (filter.mode) c.push(eq(pairings.mode, filter.mode));
    if (filter.activeOn) c.push(activeOn(sql`${pairings.startDate}`, sql`${pairings.endDate}`, filter.activeOn, sql`${pairings.enterpriseId}`));
    return c;
  }

  async page(actor: Actor, filter: PairingFilter, args: PageArgs): Promise<Page<PairingRow>> {
    const plan = planPage(args, byStart, "DESC", sql`${pairings.id}`, cursorParameter.uuid);
    const rows = await this.database.db.select().from(pairings).where(and(...this.conditions(actor, filter), ...plan.conditions)).orderBy(...plan.orderBy).limit(plan.limit);
    return pageFromRows(rows, plan, args, byStart, (row) => row.id);
  }

  async count(actor: Actor, filter: PairingFilter): Promise<number> {
    const [row] = await this.database.db.select({ count: sql<number>`count(*)::int` }).from(pairings).where(and(...this.conditions(actor, filter)));
    return row?.count ?? 0;
  }
}
