import DataLoader from "dataloader";
import { guardedLoader, rowLoader } from "../../graphql/dataloader.js";
import type { RequestContext } from "../../graphql/context.js";
import { budgetUnitPolicy } from "./procurement.policy.js";
import type { BudgetUnitRow, OrderRow, QuotaRevisionRow, QuotaRow } from "./procurement.schema.js";
import type { QuotaProgress } from "./quotas.service.js";

/**
 * This module's per-request loaders. `budgetUnitById`, `quotaById` and `orderById` are guarded by
 * the types' policies (what the caller may not see loads as null): every path to a row uses them.
 */
export function createProcurementLoaders(context: RequestContext) {
  const { budgetUnits: units, quotas, orders } = context.services;
  const unitRows = rowLoader<string, BudgetUnitRow>((ids) => units.unitsByIds(ids), (row) => row.id);
  const quotaRows = rowLoader<string, QuotaRow>((ids) => quotas.quotasByIds(ids), (row) => row.id);
  const orderRows = rowLoader<string, OrderRow>((ids) => orders.ordersByIds(ids), (row) => row.id);
  return {
    /** The rows themselves, unguarded: a statement that already read them (consumption progress) primes this cache. */
    budgetUnitRowById: unitRows,
    budgetUnitById: guardedLoader(unitRows, (rows) => budgetUnitPolicy.may(context.actor, rows)),
    quotaById: guardedLoader(quotaRows, (rows) => quotas.policy.may(context.actor, rows)),
    orderById: guardedLoader(orderRows, (rows) => orders.policy.may(context.actor, rows)),
    budgetUnitChildren: new DataLoader<string, BudgetUnitRow[]>(async (ids) => {
      const byParent = await units.childrenOf(ids);
      return ids.map((id) => byParent.get(id) ?? []);
    }),
    /** by quota id; the quota itself was loaded through its policy */
    quotaRevisions: new DataLoader<string, QuotaRevisionRow[]>(async (ids) => {
      const byQuota = await quotas.revisionsOf(ids);
      return ids.map((id) => byQuota.get(id) ?? []);
    }),
    quotaProgress: new DataLoader<string, QuotaProgress>(async (ids) => {
      const progress = await quotas.progressOf(ids);
      return ids.map((id) => progress.get(id) ?? { deliveredAmount: "0.00", openAmount: "0.00", completionRate: null });
    }),
  };
}
