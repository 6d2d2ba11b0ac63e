import { rowLoader } from "../../graphql/dataloader.js";
import type { EnterpriseRow } from "./enterprise.schema.js";
import type { EnterprisesService } from "./enterprises.service.js";

export function createEnterpriseLoaders(enterprises: EnterprisesService) {
  return {
    enterpriseById: rowLoader<string, EnterpriseRow>((ids) => enterprises.enterprisesByIds(ids), (row) => row.id),
  };
}
