/** 利益联结: benefit links from enterprises to households. The module's face. */
import type { NodeSources } from "../../graphql/context.js";
import type { createBenefitLinkLoaders } from "./benefit-link.loaders.js";
import type { BenefitLinksService } from "./benefit-links.service.js";

export { BenefitLinkResolver, ProductBeneficiariesResolver } from "./benefit-link.resolver.js";
export { BenefitLinksService } from "./benefit-links.service.js";
export { createBenefitLinkLoaders } from "./benefit-link.loaders.js";
export { benefitLinkPolicy } from "./benefit-link.policy.js";
export { beneficiaryHouseholdCountOf, householdsLinkedOn, householdsLinkedOnInOrder, villageLinkOn } from "./benefit-link.sql.js";
export { benefitLinks, benefitMechanism, type BenefitLinkRow } from "./benefit-link.schema.js";

export const benefitLinkNodeSources: NodeSources = {
  // Through the policy-guarded loader: offices their jurisdiction's links, an enterprise its own, admins all.
  BenefitLink: (context, key) => context.loaders.benefitLinkById.load(key),
};

declare module "../../graphql/context.js" {
  interface Services {
    benefitLinks: BenefitLinksService;
  }
  interface Loaders extends ReturnType<typeof createBenefitLinkLoaders> {}
}
