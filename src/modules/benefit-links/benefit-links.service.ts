import { type SQL, and, eq, sql } from "drizzle-orm";
import { anyOf } from "../../db/any-of.js";
import type { Database } from "../../db/client.js";
import { type Page, type PageArgs, type SortKey, cursorParameter, pageFromRows, planPage } from "../../db/keyset.js";
import { ForbiddenError, UserErrorCode, UserFacingError } from "../../errors.js";
import { type Actor, type Command, jurisdictionPrefix, mayReviewIn } from "../../actor.js";
import type { AuditService } from "../audit/index.js";
import type { CatalogService } from "../catalog/index.js";
import { todayUtc } from "../../clock.js";
import type { HouseholdRow } from "../households/index.js";
import type { HouseholdsService } from "../households/index.js";
import { activeOn } from "../pairings/index.js";
import type { PairingsService } from "../pairings/index.js";
import { type BenefitLinkRow, benefitLinks } from "./benefit-link.schema.js";

/** Which household: by ID (offices), or by household number plus the head's ID number (enterprises). */
export type HouseholdReference = { householdId: string } | { householdNo: string; headIdNumber: string };

export interface NewBenefitLink {
  household: HouseholdReference;
  enterpriseId: string;
  productId: string | null;
  pairingId: string | null;
  mechanism: BenefitLinkRow["mechanism"];
  year: number;
  income: string;
  contractRef: string | null;
  startDate: string;
  endDate: string | null;
}

export interface BenefitLinkFilter {
  countyCode?: string;
  villageCode?: string;
  enterpriseId?: string;
  householdId?: string;
  productId?: string;
  mechanism?: BenefitLinkRow["mechanism"];
  activeOn?: string;
}

const byStart: SortKey<BenefitLinkRow> = {
  name: "START_DATE",
  expression: sql`${benefitLinks.startDate}`,
  valueOf: (row) => row.startDate,
  parameter: (v) => (typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) ? sql`${v}::date` : undefined),
};

/** Links an actor may read: offices within their jurisdiction, an enterprise its own, admins all. */
function linkScope(actor: Actor): SQL | null {
  if (actor.kind !== "user") return null;
  if (actor.role === "ADMIN") return sql`true`;
  if (actor.role === "REVIEWER" && actor.divisionCode) return sql`${benefitLinks.countyCode} like ${`${jurisdictionPrefix(actor.divisionCode)}%`}`;
  if (actor.role === "ENTERPRISE" && actor.enterpriseId) return eq(benefitLinks.enterpriseId, actor.enterpriseId);
  return null;
}

/** 利益联结: ties between households and the enterprises that raise their income. */
export class BenefitLinksService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly households: HouseholdsService,
    private readonly pairings: PairingsService,
    private readonly catalog: CatalogService,
  ) {}

  private async household(actor: Actor, reference: HouseholdReference): Promise<HouseholdRow> {
    if ("householdId" in reference) {
      if (actor.kind !== "user" || actor.role === "ENTERPRISE") {
        throw new ForbiddenError("Enterprises link a household by its number and the head's ID number");
      }
      const [row] = await this.households.householdsByIds([reference.householdId]);
      if (!row) throw new UserFacingError(UserErrorCode.NOT_FOUND, "No such household", ["input", "householdId"]);
      return row;
    }
    const row = await this.households.matchByNumberAndId(reference.householdNo, reference.headIdNumber);
    // One answer for a wrong number, a wrong ID number, or both: nothing about which part was wrong.
    if (!row) throw new UserFacingError(UserErrorCode.NOT_FOUND, "户编号与户主身份证号不匹配 No household matches this number and ID number", ["input", "household"]);
    return row;
  }

  private mayLink(actor: Actor, enterpriseId: string, household: HouseholdRow): boolean {
    if (actor.kind !== "user") return false;
    if (actor.role === "ENTERPRISE") return actor.enterpriseId === enterpriseId;
    return mayReviewIn(actor, household.villageCode);
  }

  async create(command: Command, input: NewBenefitLink): Promise<BenefitLinkRow> {
    const actor = command.actor;
    if (actor.kind === "user" && actor.role === "ENTERPRISE" && actor.enterpriseId !== input.enterpriseId) {
      throw new ForbiddenError("An enterprise links households to itself only");
    }
    const household = await this.household(actor, input.household);
    if (!this.mayLink(actor, input.enterpriseId, household)) throw new ForbiddenError("Only the enterprise itself or the household's poverty office may link them");
    if (input.productId) {
      const [product] = await this.catalog.productsByIds([input.productId]);
      if (product?.enterpriseId !== input.enterpriseId) throw new UserFacingError(UserErrorCode.INVALID, "The product is not the enterprise's", ["input", "productId"]);
    }
    if (input.pairingId) {
      const [pairing] = await this.pairings.pairingsByIds([input.pairingId]);
      if (pairing?.enterpriseId !== input.enterpriseId) throw new UserFacingError(UserErrorCode.INVALID, "The pairing is not the enterprise's", ["input", "pairingId"]);
    }
    if (input.endDate && input.endDate < input.startDate) throw new UserFacingError(UserErrorCode.INVALID, "The end date is before the start date", ["input", "endDate"]);
    const { household: _reference, ...fields } = input;
    return this.database.transaction(async (tx) => {
      const [row] = await tx
        .insert(benefitLinks)
        .values({ ...fields, householdId: household.id, villageCode: household.villageCode, countyCode: household.countyCode })
        .returning();
      await this.audit.record(tx, command, { operation: "createBenefitLink", entityType: "BenefitLink", entityId: row!.id, after: row });
      return row!;
    });
  }

  async end(command: Command, linkId: string, endDate: string, reason: string | null): Promise<BenefitLinkRow> {
    return this.database.transaction(async (tx) => {
      const [before] = await tx.select().from(benefitLinks).where(eq(benefitLinks.id, linkId)).for("update");
      if (!before) throw new UserFacingError(UserErrorCode.NOT_FOUND, "No such benefit link", ["input", "benefitLinkId"]);
      const actor = command.actor;
      const allowed = actor.kind === "user" && (actor.role === "ENTERPRISE" ? actor.enterpriseId === before.enterpriseId : mayReviewIn(actor, before.villageCode));
      if (!allowed) throw new ForbiddenError("Only the enterprise itself or the household's poverty office may end the link");
      if (before.endDate) throw new UserFacingError(UserErrorCode.INVALID_TRANSITION, `The link already ended on ${before.endDate}`, ["input", "benefitLinkId"]);
      if (endDate < before.startDate) throw new UserFacingError(UserErrorCode.INVALID, "The end date is before the start date", ["input", "endDate"]);
      const [after] = await tx
        .update(benefitLinks)
        .set({ endDate, endReason: reason, updatedAt: new Date(), version: sql`${benefitLinks.version} + 1` })
        .where(eq(benefitLinks.id, linkId))
        .returning();
      await this.audit.record(tx, command, { operation: "endBenefitLink", entityType: "BenefitLink", entityId: linkId, before, after });
      return after!;
    });
  }

  /** 带贫人数: distinct households with an active link to each product, in one statement. */
  async beneficiaryCounts(productIds: readonly string[], day = todayUtc()): Promise<Map<string, number>> {
    const rows = await this.database.rows<{ product_id: string; households: number }>(sql`
      select product_id, count(distinct household_id)::int as households from ${benefitLinks}
      where ${anyOf(sql`product_id`, productIds, "uuid")}
        and ${activeOn(sql`start_date`, sql`end_date`, day)}
      group by product_id`);
    return new Map(rows.map((r) => [r.product_id, Number(r.households)]));
  }

  private conditions(actor: Actor, filter: BenefitLinkFilter): SQL[] {
    const scope = linkScope(actor);
    if (!scope) throw new ForbiddenError("Benefit links are for the enterprises concerned, poverty offices and admins");
    const c: SQL[] = [scope];
    if (filter.countyCode) c.push(eq(benefitLinks.countyCode, filter.countyCode));
    if (filter.villageCode) c.push(eq(benefitLinks.villageCode, filter.villageCode));
    if (filter.enterpriseId) c.push(eq(benefitLinks.enterpriseId, filter.enterpriseId));
    if (filter.householdId) c.push(eq(benefitLinks.householdId, filter.householdId));
    if (filter.productId) c.push(eq(benefitLinks.productId, filter.productId));
    if (filter.mechanism) c.push(eq(benefitLinks.mechanism, filter.mechanism));
    if (filter.activeOn) c.push(activeOn(sql`${benefitLinks.startDate}`, sql`${benefitLinks.endDate}`, filter.activeOn));
    return c;
  }

  async page(actor: Actor, filter: BenefitLinkFilter, args: PageArgs): Promise<Page<BenefitLinkRow>> {
    const plan = planPage(args, byStart, "DESC", sql`${benefitLinks.id}`, cursorParameter.uuid);
    const rows = await this.database.db.select().from(benefitLinks).where(and(...this.conditions(actor, filter), ...plan.conditions)).orderBy(...plan.orderBy).limit(plan.limit);
    return pageFromRows(rows, plan, args, byStart, (row) => row.id);
  }

  async count(actor: Actor, filter: BenefitLinkFilter): Promise<number> {
    const [row] = await this.database.db.select({ count: sql<number>`count(*)::int` }).from(benefitLinks).where(and(...this.conditions(actor, filter)));
    return row?.count ?? 0;
  }
}
