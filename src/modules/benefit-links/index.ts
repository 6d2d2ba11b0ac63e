/** 利益联结: benefit links from enterprises to households. The module's face. */
import type { BenefitLinksService } from "./benefit-links.service.js";
import type { createIndustryLoaders } from "./industry.loaders.js";

export { BenefitLinkResolver, ProductBeneficiariesResolver } from "./benefit-link.resolver.js";
export { BenefitLinksService } from "./benefit-links.service.js";
export { createIndustryLoaders } from "./industry.loaders.js";
export { benefitLinks, benefitMechanism, type BenefitLinkRow } from "./benefit-link.schema.js";

declare module "../../graphql/context.js" {
  interface Services {
    benefitLinks: BenefitLinksService;
  }
  interface Loaders extends ReturnType<typeof createIndustryLoaders> {}
}
