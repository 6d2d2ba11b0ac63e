/** 销售报送 and 消费扶贫总额: sales reported by partners and offices, and consumption from every channel. The module's face. */
import type { NodeSources } from "../../graphql/context.js";
import type { ConsumptionSalesService } from "./consumption-sales.service.js";
import type { createSalesLoaders } from "./sales.loaders.js";
import type { SalesReportsService } from "./sales-reports.service.js";

export { ConsumptionSalesRecordResolver, ConsumptionSalesResolver, EnterpriseSalesResolver, SalesReportResolver } from "./sales.resolver.js";
export { SalesReportsService, salesReportPolicy, type NewSalesLine, type NewSalesReport } from "./sales-reports.service.js";
export { ConsumptionSalesService, type ConsumptionFigures } from "./consumption-sales.service.js";
export { consumptionSalesAnswer, type ConsumptionSalesAnswer } from "./consumption-sales.answer.js";
export { CONSUMPTION_AUDIENCE } from "./sales.types.js";
export { createSalesLoaders } from "./sales.loaders.js";
export { MAX_REPORT_LINES } from "./sales.inputs.js";
export { salesReports, salesLines, salesChannel, type SalesReportRow, type SalesLineRow } from "./sales.schema.js";

/** `node`/`nodes`: through the guarded loader, i.e. the report policy. */
export const salesNodeSources: NodeSources = {
  SalesReport: (context, key) => context.loaders.salesReportById.load(key),
};

declare module "../../graphql/context.js" {
  interface Services {
    salesReports: SalesReportsService;
    consumptionSales: ConsumptionSalesService;
  }
  interface Loaders extends ReturnType<typeof createSalesLoaders> {}
}
