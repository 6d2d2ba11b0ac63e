import { guardedLoader, rowLoader } from "../../graphql/dataloader.js";
import type { RequestContext } from "../../graphql/context.js";
import type { SalesReportRow } from "./sales.schema.js";

/** Sales reports by id, through the report policy (what the caller may not see loads as null). */
export function createSalesLoaders(context: RequestContext) {
  const reports = context.services.salesReports;
  const rows = rowLoader<string, SalesReportRow>((ids) => reports.reportsByIds(ids), (row) => row.id);
  return { salesReportById: guardedLoader(rows, (loaded) => reports.policy.may(context.actor, loaded)) };
}
