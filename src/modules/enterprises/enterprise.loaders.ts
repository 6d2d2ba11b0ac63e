import { rowLoader } from "../../graphql/dataloader.js";
import type { EnterpriseRow } from "./enterprise.schema.js";
import type { RequestContext } from "../../graphql/context.js";

export function createEnterpriseLoaders({ services: { enterprises } }: RequestContext) {
  return {
    enterpriseById: rowLoader<string, EnterpriseRow>((ids) => enterprises.enterprisesByIds(ids), (row) => row.id),
  };
}
