import DataLoader from "dataloader";
import { rowLoader } from "../../graphql/dataloader.js";
import type { HouseholdRow } from "../households/index.js";
import type { PairingRow } from "../pairings/index.js";
import type { RequestContext } from "../../graphql/context.js";

/** Loaders of the industry side: households, pairings, and each product's 带贫人数. */
export function createIndustryLoaders({ services: { households, pairings, benefitLinks: links } }: RequestContext) {
  return {
    householdById: rowLoader<string, HouseholdRow>((ids) => households.householdsByIds(ids), (row) => row.id),
    pairingById: rowLoader<string, PairingRow>((ids) => pairings.pairingsByIds(ids), (row) => row.id),
    beneficiaryHouseholdCount: new DataLoader<string, number>(async (productIds) => {
      const counts = await links.beneficiaryCounts(productIds);
      return productIds.map((id) => counts.get(id) ?? 0);
    }),
  };
}
