import DataLoader from "dataloader";
import { rowLoader } from "../../graphql/dataloader.js";
import type { RequestContext } from "../../graphql/context.js";
import type { BudgetUnitRow, OrderRow, QuotaRow } from "./procurement.schema.js";
import type { QuotaProgress } from "./quotas.service.js";

export function createProcurementLoaders({ services: { budgetUnits: units, quotas, orders } }: RequestContext) {
  return {
    budgetUnitById: rowLoader<string, BudgetUnitRow>((ids) => units.unitsByIds(ids), (row) => row.id),
    budgetUnitChildren: new DataLoader<string, BudgetUnitRow[]>(async (ids) => {
      const byParent = await units.childrenOf(ids);
      return ids.map((id) => byParent.get(id) ?? []);
    }),
    quotaById: rowLoader<string, QuotaRow>((ids) => quotas.quotasByIds(ids), (row) => row.id),
    quotaProgress: new DataLoader<string, QuotaProgress>(async (ids) => {
      const progress = await quotas.progressOf(ids);
      return ids.map((id) => progress.get(id) ?? { deliveredAmount: "0.00", openAmount: "0.00", completionRate: null });
    }),
    orderById: rowLoader<string, OrderRow>((ids) => orders.ordersByIds(ids), (row) => row.id),
  };
}
