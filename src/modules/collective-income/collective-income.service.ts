import { and, eq, sql } from "drizzle-orm";
import { type Command, mayReviewIn } from "../../actor.js";
import { businessYear } from "../../clock.js";
import type { Database } from "../../db/client.js";
import { ForbiddenError, UserErrorCode, UserFacingError } from "../../errors.js";
import { yuanToFen } from "../../money.js";
import type { AuditService } from "../audit/index.js";
import type { GeographyService } from "../geography/index.js";
import { type CollectiveIncomeRow, collectiveIncomes } from "./collective-income.schema.js";
import { COLLECTIVE_INCOME_LINE } from "./collective-income.sql.js";

export type CollectiveIncomeSourceValue = CollectiveIncomeRow["source"];

export interface NewCollectiveIncome {
  villageCode: string;
  year: number;
  source: CollectiveIncomeSourceValue;
  amount: string;
  note?: string | undefined;
}

export interface VillageIncome {
  villageCode: string;
  year: number;
  income: string;
  met: boolean;
}

function snapshot(row: CollectiveIncomeRow | undefined) {
  return row ? { villageCode: row.villageCode, year: row.year, source: row.source, amount: row.amount, note: row.note } : null;
}

/**
 * 村级集体经济收入: a village collective's income per year and source, recorded by the county office
 * of the village (or the prefecture office, or an admin). Recording a source again revises it; every
 * value is in the audit log.
 */
export class CollectiveIncomeService {
  constructor(
    private readonly database: Database,
    private readonly audit: AuditService,
    private readonly geography: GeographyService,
  ) {}

  async record(command: Command, input: NewCollectiveIncome): Promise<{ collectiveIncome: CollectiveIncomeRow; villageIncome: VillageIncome }> {
    const [village] = await this.geography.divisionsByCodes([input.villageCode]);
    if (!village || village.level !== "VILLAGE") {
      throw new UserFacingError(UserErrorCode.NOT_FOUND, `villageCode: no village has the code ${input.villageCode}`, ["input", "villageCode"]);
    }
    if (!mayReviewIn(command.actor, input.villageCode)) throw new ForbiddenError("Only the county office of the village (or an admin) records its collective income");
    if (input.year > businessYear()) throw new UserFacingError(UserErrorCode.INVALID, `year: ${input.year} has not begun yet (China time)`, ["input", "year"]);
    const actorUserId = command.actor.kind === "user" ? command.actor.userId : null;
    return this.database.transaction(async (tx) => {
      const key = and(eq(collectiveIncomes.villageCode, input.villageCode), eq(collectiveIncomes.year, input.year), eq(collectiveIncomes.source, input.source));
      const [before] = await tx.select().from(collectiveIncomes).where(key).for("update");
      const [after] = await tx
        .insert(collectiveIncomes)
        .values({ villageCode: input.villageCode, year: input.year, source: input.source, amount: input.amount, note: input.note ?? null, recordedBy: actorUserId })
        .onConflictDoUpdate({
          target: [collectiveIncomes.villageCode, collectiveIncomes.year, collectiveIncomes.source],
          set: { amount: input.amount, note: input.note ?? null, recordedBy: actorUserId, updatedAt: new Date() },
        })
        .returning();
      await this.audit.record(tx, command, {
        operation: "recordCollectiveIncome",
        entityType: "CollectiveIncome",
        entityId: after!.id,
        before: snapshot(before),
        after: snapshot(after),
      });
      const [sum] = await tx
        .select({ income: sql<string>`coalesce(sum(${collectiveIncomes.amount}), 0)::text` })
        .from(collectiveIncomes)
        .where(and(eq(collectiveIncomes.villageCode, input.villageCode), eq(collectiveIncomes.year, input.year)));
      const income = sum?.income ?? "0.00";
      return {
        collectiveIncome: after!,
        villageIncome: { villageCode: input.villageCode, year: input.year, income, met: yuanToFen(income) >= yuanToFen(COLLECTIVE_INCOME_LINE) },
      };
    });
  }
}
