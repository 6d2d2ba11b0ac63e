import DataLoader from "dataloader";
import type { RequestContext } from "../../graphql/context.js";
import type { CertificationEventRow } from "./certification.schema.js";

export function createCertificationLoaders({ services: { certification } }: RequestContext) {
  return {
    /** `Product.certificationHistory`: every product's events in one statement. */
    certificationHistory: new DataLoader<string, CertificationEventRow[]>(async (ids) => {
      const byProduct = await certification.historyOf(ids);
      return ids.map((id) => byProduct.get(id) ?? []);
    }),
  };
}
