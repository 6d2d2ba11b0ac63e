/** The plan's indicators, computed live from the records. The module's face. */
import type { IndicatorsService } from "./indicators.service.js";

export { ExpiringListingResolver, IndicatorResolver } from "./indicator.resolver.js";
export { CollectiveIncomeCoverageResolver } from "./collective-income.resolver.js";
export { IndicatorsService } from "./indicators.service.js";
export { computeIndicator, planIndicators, type IndicatorValue, type CountyIndicatorValue, type PlanIndicatorKey } from "./indicator.values.js";

declare module "../../graphql/context.js" {
  interface Services {
    indicators: IndicatorsService;
  }
}
