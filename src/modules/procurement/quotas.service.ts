import { type SQL, and, eq, sql } from "drizzle-orm";
import { anyOf } from "../../db/any-of.js";
import type { Database, Drizzle } from "../../db/client.js";
import { ForbiddenError, UserErrorCode, UserFacingError } from "../../errors.js";
import type { Actor, Command, Policy } from "../../actor.js";
import type { AuditService } from "../audit/index.js";
import type { BudgetUnitsService } from "./budget-units.service.js";
import { minimumShare, percent, toFen } from "./money.js";
import { createQuotaPolicy } from "./procurement.policy.js";
import { type QuotaRevisionRow, type QuotaRow, orders, quotaRevisions, quotas } from "./procurement.schema.js";

export interface QuotaDeclaration {
  budgetUnitId: string;
  year: number;
  canteenFoodTotal: string;
  reservedAmount: string;
  noCanteen: boolean;
}

export interface QuotaFilter {
  year?: number | undefined;
  budgetUnitId?: string | undefined;
}

export interface QuotaProgress {
  deliveredAmount: string;
  openAmount: string;
  /** delivered ÷ reserved share, 4 decimals; null when nothing is reserved */
  completionRate: number | null;
}

/** Minimum reserved share per year (预留比例), from configuration. */
export class QuotaRatios {
  private readonly byYear = new Map<number, string>();

  constructor(
    spec: string | undefined,
    private readonly fallback: string,
  ) {
    for (const pair of spec?.split(",") ?? []) {
      const [year, ratio] = pair.split(":");
      this.byYear.set(Number(year), ratio!);
    }
  }

  forYear(year: number): string {
    return this.byYear.get(year) ?? this.fallback;
  }
}

/** Whether an actor may act for a budget unit (its own officer, or an admin). */
export function actsForUnit(actor: Actor, budgetUnitId: string): boolean {
  if (actor.kind !== "user") return false;
  return actor.role === "ADMIN" || (actor.role === "OFFICER" && actor.budgetUnitId === budgetUnitId);
}

/** 预留份额: each unit's yearly declaration, and how much of it has been delivered. */
export class QuotasService {
  readonly policy: Policy<QuotaRow>;

  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly units: BudgetUnitsService,
    private readonly ratios: QuotaRatios,
  ) {
    this.policy = createQuotaPolicy(database);
  }

  /**
   * Declares or revises a unit's quota for a year. The rules (DOMAIN.md "Budget units and the
   * reserved share"), in exact decimal arithmetic: 无食堂 means a reserved share of 0 and no canteen
   * total; otherwise ratio × canteen total ≤ reserved share ≤ canteen total (the year's ratio from
   * QUOTA_MIN_RATIOS, else QUOTA_DEFAULT_MIN_RATIO). A revision may not set the share below what the
   * unit has already had delivered that year (see `declareQuota`). The quota, its revision and the
   * audit entry are written in one transaction; the upper bound and 无食堂 are also CHECKs.
   */
  async declare(command: Command, input: QuotaDeclaration): Promise<QuotaRow> {
    if (!actsForUnit(command.actor, input.budgetUnitId)) throw new ForbiddenError("Only the unit's own procurement officer may declare its quota");
    const [unit] = await this.units.unitsByIds([input.budgetUnitId]);
    if (!unit) throw new UserFacingError(UserErrorCode.NOT_FOUND, "No such budget unit", ["input", "budgetUnitId"]);
    this.checkAmounts(input);
    return this.database.transaction(async (tx) => {
      const [before] = await tx
        .select()
        .from(quotas)
        .where(and(eq(quotas.budgetUnitId, input.budgetUnitId), eq(quotas.year, input.year)))
        .for("update");
      if (before) await this.checkNotBelowDelivered(tx, input);
      const values = { canteenFoodTotal: input.canteenFoodTotal, reservedAmount: input.reservedAmount, noCanteen: input.noCanteen, declaredAt: new Date() };
      // A first declaration racing another inserts once; the loser updates (a revision).
      const [after] = await tx
        .insert(quotas)
        .values({ budgetUnitId: input.budgetUnitId, year: input.year, ...values })
        .onConflictDoUpdate({ target: [quotas.budgetUnitId, quotas.year], set: { ...values, version: sql`${quotas.version} + 1` } })
        .returning();
      await tx.insert(quotaRevisions).values({
        quotaId: after!.id,
        canteenFoodTotal: after!.canteenFoodTotal,
        reservedAmount: after!.reservedAmount,
        noCanteen: after!.noCanteen,
        actorUserId: command.actor.kind === "user" ? command.actor.userId : null,
        at: after!.declaredAt,
      });
      await this.audit.record(tx, command, { operation: "declareQuota", entityType: "Quota", entityId: after!.id, before: before ?? null, after });
      return after!;
    });
  }

  private checkAmounts(input: QuotaDeclaration): void {
    const total = toFen(input.canteenFoodTotal);
    const reserved = toFen(input.reservedAmount);
    if (input.noCanteen) {
      if (total !== 0n) {
        throw new UserFacingError(UserErrorCode.INVALID, "无食堂单位的食堂食材采购总额应为 0: a unit without a canteen has no canteen total", ["input", "canteenFoodTotal"]);
      }
      if (reserved !== 0n) {
        throw new UserFacingError(UserErrorCode.INVALID, "无食堂单位的预留份额为 0: a unit without a canteen reserves no share", ["input", "reservedAmount"]);
      }
      return;
    }
    const ratio = this.ratios.forYear(input.year);
    const minimum = minimumShare(input.canteenFoodTotal, ratio);
    if (reserved < toFen(minimum)) {
      throw new UserFacingError(
        UserErrorCode.INVALID,
        `预留份额不足: the reserved share must be at least ${minimum} (${percent(ratio)}% of ${input.canteenFoodTotal} for ${input.year})`,
        ["input", "reservedAmount"],
      );
    }
    if (reserved > total) {
      throw new UserFacingError(
        UserErrorCode.INVALID,
        `预留份额不得超过食堂食材采购总额: the reserved share must be at most the canteen total ${input.canteenFoodTotal}`,
        ["input", "reservedAmount"],
      );
    }
  }

  /** A revision's share may not fall below the amount already delivered (the row is locked by the caller). */
  private async checkNotBelowDelivered(tx: Drizzle, input: QuotaDeclaration): Promise<void> {
    const [row] = await tx
      .select({ delivered: sql<string>`coalesce(sum(${orders.amount}), 0)::text` })
      .from(orders)
      .where(and(eq(orders.budgetUnitId, input.budgetUnitId), eq(orders.year, input.year), eq(orders.status, "DELIVERED")));
    const delivered = row?.delivered ?? "0";
    if (toFen(input.reservedAmount) < toFen(delivered)) {
      throw new UserFacingError(
        UserErrorCode.INVALID,
        `预留份额不得低于已验收金额: ${delivered} has already been delivered against the ${input.year} share, so a revision may not set it below that`,
        ["input", "reservedAmount"],
      );
    }
  }

  /** Each quota's revisions, oldest first. */
  async revisionsOf(quotaIds: readonly string[]): Promise<Map<string, QuotaRevisionRow[]>> {
    const byQuota = new Map<string, QuotaRevisionRow[]>();
    if (quotaIds.length === 0) return byQuota;
    const rows = await this.database.db
      .select()
      .from(quotaRevisions)
      .where(anyOf(quotaRevisions.quotaId, quotaIds, "uuid"))
      .orderBy(quotaRevisions.quotaId, quotaRevisions.at, quotaRevisions.id);
    for (const row of rows) byQuota.set(row.quotaId, [...(byQuota.get(row.quotaId) ?? []), row]);
    return byQuota;
  }

  async quotasByIds(ids: readonly string[]): Promise<QuotaRow[]> {
    if (ids.length === 0) return [];
    return this.database.db.select().from(quotas).where(anyOf(quotas.id, ids, "uuid"));
  }

  /** Delivered and open amounts of several quotas, in one aggregate statement. */
  async progressOf(quotaIds: readonly string[]): Promise<Map<string, QuotaProgress>> {
    const rows = await this.database.rows<{ id: string; delivered: string; open: string; rate: string | null }>(sql`
      select q.id,
             coalesce(sum(o.amount) filter (where o.status = 'DELIVERED'), 0)::text as delivered,
             coalesce(sum(o.amount) filter (where o.status in ('RESERVED', 'SHIPPED')), 0)::text as open,
             case when q.reserved_amount > 0
                  then round(coalesce(sum(o.amount) filter (where o.status = 'DELIVERED'), 0) / q.reserved_amount, 4)::text end as rate
      from ${quotas} q
      left join ${orders} o on o.budget_unit_id = q.budget_unit_id and o.year = q.year
      where ${anyOf(sql`q.id`, quotaIds, "uuid")}
      group by q.id, q.reserved_amount`);
    return new Map(
      rows.map((r) => [r.id, { deliveredAmount: r.delivered, openAmount: r.open, completionRate: r.rate === null ? null : Number(r.rate) }]),
    );
  }

  async list(actor: Actor, filter: QuotaFilter): Promise<QuotaRow[]> {
    const scope = this.policy.scope(actor);
    if (!scope) throw new ForbiddenError("Only procurement officers, poverty offices and admins may read quotas");
    const c: SQL[] = [scope];
    if (filter.year) c.push(eq(quotas.year, filter.year));
    if (filter.budgetUnitId) c.push(eq(quotas.budgetUnitId, filter.budgetUnitId));
    return this.database.db.select().from(quotas).where(and(...c)).orderBy(quotas.year, quotas.budgetUnitId).limit(1000);
  }

  async hasQuota(tx: Drizzle, budgetUnitId: string, year: number): Promise<boolean> {
    const [row] = await tx.select({ id: quotas.id }).from(quotas).where(and(eq(quotas.budgetUnitId, budgetUnitId), eq(quotas.year, year)));
    return Boolean(row);
  }
}
