import type { ProgressFigures } from "./consumption-progress.service.js";
import { QuotaStatus } from "./procurement.types.js";

/**
 * A consumptionProgress row as the API answers it (`UnitProgress`), for the query and the export
 * alike. A row with nothing to meet because all its units declared 无食堂 is met; a row with an
 * undeclared unit in it is declared: false. A unit row also says its quota status. `budgetUnit` is
 * the unit as the caller may see it (the query's field; null for totals and counties): one object
 * per row with every field a plain property, as graphql-jit reads it inline.
 */
export function progressRow(r: ProgressFigures & { unit_id?: string | null }, isUnit: boolean, budgetUnit: unknown = null) {
  return {
    budgetUnit,
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
  };
}
