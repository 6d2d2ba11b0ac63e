/** 认定 and 入录: the certification workflow of products. The module's face. */
import type { createCertificationLoaders } from "./certification.loaders.js";
import type { CertificationService } from "./certification.service.js";

export { CertificationResolver, CertificationEventResolver, CertificationActorResolver } from "./certification.resolver.js";
export { CertificationService, type PriceChange } from "./certification.service.js";
export { createCertificationLoaders } from "./certification.loaders.js";
export { certifiedFields } from "./certification.machine.js";
/** SQL pieces other modules compose (see certification.sql.ts). */
export { listedOnDay, listingLastDayOn, productStatusesOn, unitPricesOnDay } from "./certification.sql.js";
export { certificationEvents, certificationEventKind, catalogSequences, type CertificationEventRow } from "./certification.schema.js";

declare module "../../graphql/context.js" {
  interface Services {
    certification: CertificationService;
  }
  interface Loaders extends ReturnType<typeof createCertificationLoaders> {}
}
