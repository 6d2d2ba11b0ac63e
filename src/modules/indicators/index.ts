/** The plan's indicators, computed live from the records. The module's face. */
import type { IndicatorsService } from "./indicators.service.js";

export { IndicatorResolver } from "./indicator.resolver.js";
export { IndicatorsService } from "./indicators.service.js";

declare module "../../graphql/context.js" {
  interface Services {
    indicators: IndicatorsService;
  }
}
