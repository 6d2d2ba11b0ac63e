import DataLoader from "dataloader";
import { guardedLoader, rowLoader } from "../../graphql/dataloader.js";
import type { RequestContext } from "../../graphql/context.js";
import { benefitLinkPolicy } from "./benefit-link.policy.js";
import type { BenefitLinkRow } from "./benefit-link.schema.js";

/** Benefit links the caller may see, and each product's 带贫人数. */
export function createBenefitLinkLoaders(context: RequestContext) {
  const { benefitLinks: links } = context.services;
  const benefitLinkRowById = rowLoader<string, BenefitLinkRow>((ids) => links.benefitLinksByIds(ids), (row) => row.id);
  return {
    benefitLinkById: guardedLoader(benefitLinkRowById, (rows) => benefitLinkPolicy.may(context.actor, rows)),
    /** a count over every link (not a row of any), so public like the product it describes */
    beneficiaryHouseholdCount: new DataLoader<string, number>(async (productIds) => {
      const counts = await links.beneficiaryCounts(productIds);
      return productIds.map((id) => counts.get(id) ?? 0);
    }),
  };
}
