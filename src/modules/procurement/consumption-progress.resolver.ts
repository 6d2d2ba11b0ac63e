import type { GraphQLResolveInfo } from "graphql";
import { Arg, Authorized, Ctx, FieldResolver, Info, Int, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../graphql/context.js";
import { labelOf } from "../../graphql/enums.js";
import { ProductCategory } from "../catalog/index.js";
import { parseArgument } from "../../graphql/inputs.js";
import { countyScope } from "../geography/index.js";
import { yearSchema } from "./procurement.inputs.js";
import { progressRow } from "./consumption-progress.rows.js";
import type { AmountRow, UnitProgressRow } from "./consumption-progress.service.js";
import { toGlobalId } from "../../graphql/global-id.js";
import { selectedPaths } from "../../graphql/selection.js";
import { budgetUnitPolicy } from "./procurement.policy.js";
import { AmountByKey, ConsumptionProgress, CountyProgress } from "./procurement.types.js";

/** 采购执行进度, the procurement indicator. */
@Resolver()
export class ConsumptionProgressResolver {
  @Authorized("ADMIN", "REVIEWER", "OFFICER")
  @Query(() => ConsumptionProgress, {
    description:
      "采购执行进度: per unit, per supervising unit, totals; delivered by origin county, category, month (every month of the year) and enterprise. " +
      "For the quotas' audience: admins, reviewers and procurement officers (others: FORBIDDEN). An officer gets the unit and " +
      "supervising-unit rows of its own unit and the units below it only (so a supervising row only when its own unit is top-level); " +
      "totals and the breakdowns cover every unit (of `countyCode`, if given).",
  })
  async consumptionProgress(
    @Arg("year", () => Int) yearArg: number,
    @Arg("countyCode", () => String, { nullable: true }) countyCode: string | undefined,
    @Ctx() { services, loaders, actor }: RequestContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    const y = parseArgument(yearSchema, yearArg, "year");
    const county = await countyScope(countyCode, loaders.divisionByCode, "countyCode");
    const progress = await services.consumption.progressFor(actor, y, county ?? null);
    // The rows' units came with them: no further round trip. They pass the unit policy as one batch
    // here and ride on the rows, so `budgetUnit` is a plain field (no resolver call, no promise per
    // row: at the prefecture's 2,600 rows that per-row work was most of the GraphQL time). The policy
    // is asked directly, not through a DataLoader per unit (a promise and a cache entry per row); the
    // rows' loader is primed for fields below `budgetUnit` (parent, children) that load units again.
    const selected = selectedPaths(info);
    const unitOf = new Map<string, unknown>();
    if (selected.has("units.budgetUnit") || selected.has("supervisingUnits.budgetUnit")) {
      const records = progress.unitRecords;
      for (const unit of records) loaders.budgetUnitRowById.prime(unit.id, unit);
      const allowed = await budgetUnitPolicy.may(actor, records);
      records.forEach((unit, i) => unitOf.set(unit.id, allowed[i] ? unit : null));
      // A row without its unit's columns (none: the statement joins every row's unit) loads it as before.
      const missing = [...new Set([...progress.units, ...progress.supervisingUnits].map((r) => r.unit_id))].filter((id) => !unitOf.has(id));
      if (missing.length > 0) {
        const shown = await loaders.budgetUnitById.loadMany(missing);
        missing.forEach((id, i) => unitOf.set(id, shown[i] instanceof Error ? null : shown[i]));
      }
    }
    const withUnit = (r: UnitProgressRow, isUnit: boolean) => progressRow(r, isUnit, unitOf.get(r.unit_id) ?? null);
    return {
      year: y,
      countyCode: county ?? null,
      byCounty: undefined, // ConsumptionProgressFieldsResolver.byCounty, when selected
      totals: progressRow(progress.totals, false),
      units: progress.units.map((r) => withUnit(r, true)),
      supervisingUnits: progress.supervisingUnits.map((r) => withUnit(r, false)),
      deliveredByOriginCounty: progress.byOriginCounty.map((r) => ({ ...r, label: r.label ?? null })),
      deliveredByCategory: progress.byCategory.map((r) => ({ ...r, label: labelOf(ProductCategory, r.key) })),
      // 3月; a month of another year (a December order delivered in January) with its year: 2021年1月
      deliveredByMonth: progress.byMonth.map((r) => ({ ...r, label: `${r.key.startsWith(`${y}-`) ? "" : `${r.key.slice(0, 4)}年`}${Number(r.key.slice(5))}月` })),
      byEnterprise: progress.byEnterprise, // deliveredByEnterprise, when selected (names through the enterprise loader)
    };
  }
}

/** `byCounty`: one more aggregate statement, run only when the query selects it. */
@Resolver(() => ConsumptionProgress)
export class ConsumptionProgressFieldsResolver {
  @FieldResolver(() => [CountyProgress])
  async byCounty(@Root() root: { year: number; countyCode: string | null }, @Ctx() { services, actor }: RequestContext) {
    const [rows, counties] = await Promise.all([services.consumption.countyTotalsFor(actor, root.year, root.countyCode), services.geography.counties()]);
    const byCode = new Map(rows.filter((r) => r.kind === "county").map((r) => [r.county_code, r]));
    const empty = { reserved: "0.00", delivered: "0.00", open: "0.00", rate: null, units: 0, undeclared: 0, no_canteen: 0 };
    const shown = counties.filter((c) => !root.countyCode || c.code === root.countyCode);
    const lines = shown.map((c) => ({ county: c, label: c.name, progress: progressRow(byCode.get(c.code) ?? empty, false) }));
    const elsewhere = byCode.get(null);
    if (elsewhere) lines.push({ county: null as never, label: "州直及中央省直驻州单位", progress: progressRow(elsewhere, false) });
    return lines;
  }

  @FieldResolver(() => [AmountByKey], {
    description:
      "Delivered amount by the products' supplying enterprise, largest first: key the Enterprise's ID, label its name " +
      "(null where the caller may not see the enterprise).",
  })
  deliveredByEnterprise(@Root() root: { byEnterprise: readonly AmountRow[] }, @Ctx() { loaders }: RequestContext) {
    return enterpriseAmounts(root.byEnterprise, loaders);
  }
}

/**
 * Delivered amounts by supplying enterprise: the key is the enterprise's global ID, the label its name
 * (through the enterprise policy: null where the caller may not see the enterprise).
 */
async function enterpriseAmounts(rows: readonly AmountRow[], loaders: RequestContext["loaders"]) {
  const enterprises = await loaders.enterpriseById.loadMany(rows.map((r) => r.key));
  return rows.map((r, i) => {
    const enterprise = enterprises[i];
    return { key: toGlobalId("Enterprise", r.key), label: enterprise && !(enterprise instanceof Error) ? enterprise.name : null, amount: r.amount };
  });
}
