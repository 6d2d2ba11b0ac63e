import { type SQL, and, eq, sql } from "drizzle-orm";
import { anyOf } from "../../db/any-of.js";
import type { Database } from "../../db/client.js";
import { PgCode, pgConstraint, pgErrorCode } from "../../db/errors.js";
import { type Page, type PageArgs, type SortKey, cursorParameter, pageFromRows, planPage } from "../../db/keyset.js";
import { ForbiddenError, UserErrorCode, UserFacingError } from "../../errors.js";
import { type Actor, type Command, mayReviewIn } from "../../actor.js";
import type { AuditService } from "../audit/index.js";
import type { CatalogService } from "../catalog/index.js";
import { assertEnterpriseVerified } from "../enterprises/index.js";
import { businessToday } from "../../clock.js";
import { type HouseholdRow, type HouseholdsService, householdPolicy } from "../households/index.js";
import { activeOn } from "../pairings/index.js";
import type { PairingsService } from "../pairings/index.js";
import { benefitLinkPolicy } from "./benefit-link.policy.js";
import { type BenefitLinkRow, benefitLinks } from "./benefit-link.schema.js";

/** Which household: by ID (offices), or by household number plus the head's ID number (enterprises). */
export type HouseholdReference = { householdId: string } | { householdNo: string; headIdNumber: string };

export interface NewBenefitLink {
  household: HouseholdReference;
  /** default: an enterprise user's own enterprise (offices must name it) */
  enterpriseId?: string;
  productId?: string | null;
  pairingId?: string | null;
  mechanism: BenefitLinkRow["mechanism"];
  year: number;
  income: string;
  contractRef?: string | null;
  startDate: string;
  endDate?: string | null;
}

/** The input field behind each foreign key of `benefit_links` (drizzle's constraint names). */
const referenceFields: Record<string, string> = {
  benefit_links_household_id_households_id_fk: "householdId",
  benefit_links_enterprise_id_enterprises_id_fk: "enterpriseId",
  benefit_links_product_id_products_id_fk: "productId",
  benefit_links_pairing_id_pairings_id_fk: "pairingId",
};

/** The input field behind each CHECK of `benefit_links`, for the mutation that wrote the row. */
const checkFields: Record<"create" | "end", Record<string, string>> = {
  create: { benefit_links_year_within_dates: "year", benefit_links_dates_in_order: "endDate", benefit_links_income_nonnegative: "income" },
  end: { benefit_links_year_within_dates: "endDate", benefit_links_dates_in_order: "endDate" },
};

/** The days a link is active on, as the exclusion constraint benefit_links_no_overlap compares them. */
const daysOf = (start: SQL, end: SQL) => sql`daterange(${start}, coalesce(${end}, 'infinity'::date), '[]')`;

const yearOf = (day: string) => Number(day.slice(0, 4));

/**
 * DOMAIN.md: the year (of the income paid) lies between the start and end dates. A link with no end
 * yet runs until today, so its year is at most this year, or its start year if it starts later
 * (the CHECK constraint benefit_links_year_within_dates cannot read the date, so it holds only the
 * rest: start year <= year <= end year).
 */
function yearWithinDates(year: number, startDate: string, endDate: string | null | undefined): boolean {
  const last = endDate == null ? Math.max(yearOf(startDate), yearOf(businessToday())) : yearOf(endDate);
  return yearOf(startDate) <= year && year <= last;
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
  parameter: cursorParameter.date,
};

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
      // One answer for a household that does not exist and one the office may not see (householdPolicy).
      const visible = row ? (await householdPolicy.may(actor, [row]))[0] : false;
      if (!row || !visible) throw new UserFacingError(UserErrorCode.NOT_FOUND, "householdId: no Household with this ID (or it is not visible to you)", ["input", "householdId"]);
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

  async create(command: Command, { enterpriseId: named, ...input }: NewBenefitLink): Promise<BenefitLinkRow> {
    const actor = command.actor;
    const own = actor.kind === "user" && actor.role === "ENTERPRISE" ? actor.enterpriseId : null;
    const enterpriseId = named ?? own;
    if (!enterpriseId) throw new UserFacingError(UserErrorCode.INVALID, "enterpriseId is required", ["input", "enterpriseId"]);
    if (own && own !== enterpriseId) throw new ForbiddenError("An enterprise links households to itself only");
    const household = await this.household(actor, input.household);
    if (!this.mayLink(actor, enterpriseId, household)) throw new ForbiddenError("Only the enterprise itself or the household's poverty office may link them");
    if (input.productId) {
      const [product] = await this.catalog.productsByIds([input.productId]);
      if (!product) throw new UserFacingError(UserErrorCode.NOT_FOUND, "productId: no such product", ["input", "productId"]);
      if (product.enterpriseId !== enterpriseId) throw new UserFacingError(UserErrorCode.INVALID, "The product is not the enterprise's", ["input", "productId"]);
    }
    if (input.pairingId) {
      const [pairing] = await this.pairings.pairingsByIds([input.pairingId]);
      if (!pairing) throw new UserFacingError(UserErrorCode.NOT_FOUND, "pairingId: no such pairing", ["input", "pairingId"]);
      if (pairing.enterpriseId !== enterpriseId) throw new UserFacingError(UserErrorCode.INVALID, "The pairing is not the enterprise's", ["input", "pairingId"]);
    }
    if (input.endDate && input.endDate < input.startDate) throw new UserFacingError(UserErrorCode.INVALID, "The end date is before the start date", ["input", "endDate"]);
    if (!yearWithinDates(input.year, input.startDate, input.endDate)) {
      throw new UserFacingError(UserErrorCode.INVALID, `year: ${input.year} is not within the link's dates (${input.startDate} – ${input.endDate ?? "open"})`, ["input", "year"]);
    }
    const { household: _reference, ...fields } = input;
    try {
      return await this.database.transaction(async (tx) => {
        // Racers for one household, enterprise and mechanism take turns: the exclusion constraint
        // still decides, but a waiting insert then sees the winner's row (23P01 → DUPLICATE)
        // instead of PostgreSQL aborting one of two inserts that wait on each other (deadlock).
        await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`benefit-link:${household.id}:${enterpriseId}:${input.mechanism}`}, 0))`);
        await assertEnterpriseVerified(tx, enterpriseId); // locked: a suspension cannot slip in between
        const [row] = (await tx
          .insert(benefitLinks)
          .values({
            ...fields,
            enterpriseId,
            productId: fields.productId ?? null,
            pairingId: fields.pairingId ?? null,
            contractRef: fields.contractRef ?? null,
            endDate: fields.endDate ?? null,
            householdId: household.id,
            villageCode: household.villageCode,
            countyCode: household.countyCode,
          })
          .returning()) as [BenefitLinkRow];
        await this.audit.record(tx, command, { operation: "createBenefitLink", entityType: "BenefitLink", entityId: row.id, after: row });
        return row;
      });
    } catch (error) {
      throw (await this.refusal(error, "create", { householdId: household.id, enterpriseId, mechanism: input.mechanism, startDate: input.startDate, endDate: input.endDate ?? null })) ?? error;
    }
  }

  /**
   * The one place the database's refusals of a link become userErrors: the last line behind the
   * service's own checks (which a caller of the service may have skipped), and the only line
   * against a same-day duplicate, which two requests racing each other would both pass in
   * JavaScript. Runs after the rollback, so it may look up the link that is already there.
   */
  private async refusal(
    error: unknown,
    operation: "create" | "end",
    link?: Pick<BenefitLinkRow, "householdId" | "enterpriseId" | "mechanism" | "startDate" | "endDate">,
  ): Promise<UserFacingError | undefined> {
    const constraint = pgConstraint(error) ?? "";
    switch (pgErrorCode(error)) {
      case PgCode.foreignKeyViolation: {
        const field = referenceFields[constraint];
        return field ? new UserFacingError(UserErrorCode.NOT_FOUND, `${field}: no such row`, ["input", field]) : undefined;
      }
      case PgCode.checkViolation: {
        const field = checkFields[operation][constraint];
        return field ? new UserFacingError(UserErrorCode.INVALID, `${field}: the link's year must lie within its dates, which must be in order`, ["input", field]) : undefined;
      }
      case PgCode.exclusionViolation: {
        // Ending a link only shortens it, so only a new link can overlap another.
        if (constraint !== "benefit_links_no_overlap" || !link) return undefined;
        // The caller may link this household and enterprise, so it may see their links (benefitLinkPolicy).
        const [existing] = await this.database.db
          .select({ startDate: benefitLinks.startDate, endDate: benefitLinks.endDate })
          .from(benefitLinks)
          .where(and(
            eq(benefitLinks.householdId, link.householdId),
            eq(benefitLinks.enterpriseId, link.enterpriseId),
            eq(benefitLinks.mechanism, link.mechanism),
            sql`${daysOf(sql`${benefitLinks.startDate}`, sql`${benefitLinks.endDate}`)} && ${daysOf(sql`${link.startDate}::date`, sql`${link.endDate}::date`)}`,
          ))
          .orderBy(benefitLinks.startDate)
          .limit(1);
        const when = existing ? ` (${existing.startDate} – ${existing.endDate ?? "open"})` : "";
        return new UserFacingError(
          UserErrorCode.DUPLICATE,
          `该农户与该企业已有同一联结方式的联结在这些日期内有效 This household already has a ${link.mechanism} link with this enterprise active on some of these days${when}`,
          ["input", "startDate"],
        );
      }
      default:
        return undefined;
    }
  }

  async end(command: Command, linkId: string, endDate: string, reason: string | null): Promise<BenefitLinkRow> {
    try {
      return await this.database.transaction(async (tx) => {
        const [before] = await tx.select().from(benefitLinks).where(eq(benefitLinks.id, linkId)).for("update");
        if (!before) throw new UserFacingError(UserErrorCode.NOT_FOUND, "No such benefit link", ["input", "benefitLinkId"]);
        const actor = command.actor;
        const allowed = actor.kind === "user" && (actor.role === "ENTERPRISE" ? actor.enterpriseId === before.enterpriseId : mayReviewIn(actor, before.villageCode));
        if (!allowed) throw new ForbiddenError("Only the enterprise itself or the household's poverty office may end the link");
        if (before.endDate) throw new UserFacingError(UserErrorCode.INVALID_TRANSITION, `The link already ended on ${before.endDate}`, ["input", "benefitLinkId"]);
        if (endDate < before.startDate) throw new UserFacingError(UserErrorCode.INVALID, "The end date is before the start date", ["input", "endDate"]);
        if (!yearWithinDates(before.year, before.startDate, endDate)) {
          throw new UserFacingError(UserErrorCode.INVALID, `The link is for ${before.year}: it cannot end before that year`, ["input", "endDate"]);
        }
        const [after] = await tx
          .update(benefitLinks)
          .set({ endDate, endReason: reason, updatedAt: new Date(), version: sql`${benefitLinks.version} + 1` })
          .where(eq(benefitLinks.id, linkId))
          .returning();
        await this.audit.record(tx, command, { operation: "endBenefitLink", entityType: "BenefitLink", entityId: linkId, before, after });
        return after!;
      });
    } catch (error) {
      throw (await this.refusal(error, "end")) ?? error;
    }
  }

  async benefitLinksByIds(ids: readonly string[]): Promise<BenefitLinkRow[]> {
    if (ids.length === 0) return [];
    return this.database.db.select().from(benefitLinks).where(anyOf(benefitLinks.id, ids, "uuid"));
  }

  /** 带贫人数: distinct households with an active link to each product, in one statement. */
  async beneficiaryCounts(productIds: readonly string[], day = businessToday()): Promise<Map<string, number>> {
    const rows = await this.database.rows<{ product_id: string; households: number }>(sql`
      select product_id, count(distinct household_id)::int as households from ${benefitLinks}
      where ${anyOf(sql`product_id`, productIds, "uuid")}
        and ${activeOn(sql`start_date`, sql`end_date`, day, sql`enterprise_id`)}
      group by product_id`);
    return new Map(rows.map((r) => [r.product_id, Number(r.households)]));
  }

  private conditions(actor: Actor, filter: BenefitLinkFilter): SQL[] {
    const scope = benefitLinkPolicy.scope(actor);
    if (!scope) throw new ForbiddenError("Benefit links are for the enterprises concerned, poverty offices and admins");
    const c: SQL[] = [scope];
    if (filter.countyCode) c.push(eq(benefitLinks.countyCode, filter.countyCode));
    if (filter.villageCode) c.push(eq(benefitLinks.villageCode, filter.villageCode));
    if (filter.enterpriseId) c.push(eq(benefitLinks.enterpriseId, filter.enterpriseId));
    if (filter.householdId) c.push(eq(benefitLinks.householdId, filter.householdId));
    if (filter.productId) c.push(eq(benefitLinks.productId, filter.productId));
    if (filter.mechanism) c.push(eq(benefitLinks.mechanism, filter.mechanism));
    if (filter.activeOn) c.push(activeOn(sql`${benefitLinks.startDate}`, sql`${benefitLinks.endDate}`, filter.activeOn, sql`${benefitLinks.enterpriseId}`));
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
