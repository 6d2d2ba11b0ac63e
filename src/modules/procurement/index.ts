/** 预算单位 / 预留份额: budget units, their reserved shares and orders. The module's face. */
import type { NodeSources } from "../../graphql/context.js";
import type { BudgetUnitsService } from "./budget-units.service.js";
import type { ConsumptionProgressService } from "./consumption-progress.service.js";
import type { OrdersService } from "./orders.service.js";
import type { createProcurementLoaders } from "./procurement.loaders.js";
import type { QuotasService } from "./quotas.service.js";

export { BudgetUnitResolver } from "./budget-unit.resolver.js";
export { QuotaResolver, QuotaRevisionResolver } from "./quota.resolver.js";
export { OrderResolver } from "./order.resolver.js";
export { ConsumptionProgressFieldsResolver, ConsumptionProgressResolver } from "./consumption-progress.resolver.js";
export { BudgetUnitsService } from "./budget-units.service.js";
export { QuotaRatios, QuotasService } from "./quotas.service.js";
export { OrdersService } from "./orders.service.js";
export { ConsumptionProgressService, type ProgressFigures } from "./consumption-progress.service.js";
export { progressRow } from "./consumption-progress.rows.js";
export { BudgetUnit, Order, Quota } from "./procurement.types.js";
export { createProcurementLoaders } from "./procurement.loaders.js";
export { deliveredOrderSales } from "./procurement.sql.js";
export { budgetUnitPolicy, createOrderPolicy, createQuotaPolicy, productIdsOrderedBySubtree } from "./procurement.policy.js";
export { fenToYuan, toFen } from "./money.js";
export { yearSchema } from "./procurement.inputs.js";
export type { OrderFilter } from "./orders.service.js";
export {
  budgetUnits,
  quotas,
  quotaRevisions,
  orders,
  budgetUnitLevel,
  orderStatus,
  orderChannel,
  type BudgetUnitRow,
  type QuotaRow,
  type QuotaRevisionRow,
  type OrderRow,
} from "./procurement.schema.js";

/** `node`/`nodes`: through the guarded loaders, i.e. the types' policies. */
export const procurementNodeSources: NodeSources = {
  BudgetUnit: (context, key) => context.loaders.budgetUnitById.load(key),
  Quota: (context, key) => context.loaders.quotaById.load(key),
  Order: (context, key) => context.loaders.orderById.load(key),
};

declare module "../../graphql/context.js" {
  interface Services {
    budgetUnits: BudgetUnitsService;
    quotas: QuotasService;
    orders: OrdersService;
    consumption: ConsumptionProgressService;
  }
  interface Loaders extends ReturnType<typeof createProcurementLoaders> {}
}
