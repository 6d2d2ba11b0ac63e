/** 疑似问题数据: suspicious records found by named SQL rules, and their resolutions. The module's face. */
import type { NodeSources } from "../../graphql/context.js";
import { issueKey } from "./data-quality.inputs.js";
import type { DataQualityService } from "./data-quality.service.js";

export { DataQualityCountResolver, DataQualityResolver } from "./data-quality.resolver.js";
export { DataQualityService } from "./data-quality.service.js";
export { DATA_QUALITY_RULES, type DataQualityRuleName } from "./data-quality.rules.js";
export { dataQualityResolutions, dataQualityResolution, type DataQualityResolutionRow } from "./data-quality.schema.js";

export const dataQualityNodeSources: NodeSources = {
  // Scoped as the list is: admins and the prefecture every county, a county office its own.
  DataQualityIssue: (context, key) => {
    const parsed = issueKey(key);
    return parsed ? context.services.dataQuality.issue(context.actor, parsed.rule, parsed.recordId) : Promise.resolve(null);
  },
};

declare module "../../graphql/context.js" {
  interface Services {
    dataQuality: DataQualityService;
  }
}
