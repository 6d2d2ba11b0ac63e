import { Arg, Authorized, Ctx, FieldResolver, Int, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../graphql/context.js";
import { labelOf } from "../../graphql/enums.js";
import { ProductCategory } from "../catalog/index.js";
import { parseArgument } from "../../graphql/inputs.js";
import { countyScope } from "../geography/index.js";
import { yearSchema } from "./procurement.inputs.js";
import type { ProgressFigures } from "./consumption-progress.service.js";
import { BudgetUnit, ConsumptionProgress, QuotaStatus, UnitProgress } from "./procurement.types.js";

/** 采购执行进度, the procurement indicator. */
@Resolver()
export class ConsumptionProgressResolver {
  @Authorized("ADMIN", "REVIEWER", "OFFICER")
  @Query(() => ConsumptionProgress, {
    description:
      "采购执行进度: per unit, per supervising unit, totals; delivered by origin county, category and month. " +
      "For the quotas' audience: admins, reviewers and procurement officers (others: FORBIDDEN). An officer gets the unit and " +
      "supervising-unit rows of its own unit and the units below it only (so a supervising row only when its own unit is top-level); " +
      "totals and the breakdowns cover every unit (of `countyCode`, if given).",
  })
  async consumptionProgress(
    @Arg("year", () => Int) yearArg: number,
    @Arg("countyCode", () => String, { nullable: true }) countyCode: string | undefined,
    @Ctx() { services, loaders, actor }: RequestContext,
  ) {
    const y = parseArgument(yearSchema, yearArg, "year");
    const county = await countyScope(countyCode, loaders.divisionByCode, "countyCode");
    const progress = await services.consumption.progressFor(actor, y, county ?? null);
    // A row with nothing to meet because all its units declared 无食堂 is met; a row with an
    // undeclared unit in it is declared: false. A unit row also says its quota status.
    const row = (r: ProgressFigures & { unit_id?: string | null }, isUnit: boolean) => ({
      budgetUnitId: r.unit_id ?? null,
      reservedAmount: r.reserved,
      deliveredAmount: r.delivered,
      openAmount: r.open,
      completionRate: r.rate === null ? null : Number(r.rate),
      met: (r.rate !== null && Number(r.rate) >= 1) || (r.units > 0 && r.no_canteen === r.units),
      declared: r.undeclared === 0,
      status: !isUnit || r.undeclared > 0 ? null : r.no_canteen > 0 ? QuotaStatus.NO_CANTEEN : QuotaStatus.DECLARED,
      unitCount: r.units,
      undeclaredUnits: r.undeclared,
      noCanteenUnits: r.no_canteen,
    });
    const counties = new Map((await services.geography.divisionsByCodes(progress.byOriginCounty.map((r) => r.key))).map((d) => [d.code, d.name]));
    return {
      year: y,
      countyCode: county ?? null,
      totals: row(progress.totals, false),
      units: progress.units.map((r) => row(r, true)),
      supervisingUnits: progress.supervisingUnits.map((r) => row(r, false)),
      deliveredByOriginCounty: progress.byOriginCounty.map((r) => ({ ...r, label: counties.get(r.key) ?? null })),
      deliveredByCategory: progress.byCategory.map((r) => ({ ...r, label: labelOf(ProductCategory, r.key) })),
      deliveredByMonth: progress.byMonth.map((r) => ({ ...r, label: null })),
    };
  }
}

/** A progress row's unit, loaded (through the budget-unit policy) only when the query selects it. */
@Resolver(() => UnitProgress)
export class UnitProgressResolver {
  @FieldResolver(() => BudgetUnit, { nullable: true, description: "null for the totals" })
  budgetUnit(@Root() row: { budgetUnitId: string | null }, @Ctx() { loaders }: RequestContext) {
    return row.budgetUnitId ? loaders.budgetUnitById.load(row.budgetUnitId) : null;
  }
}
