import DataLoader from "dataloader";
import { rowLoader } from "../../graphql/dataloader.js";
import type { HouseholdRow } from "../households/household.schema.js";
import type { HouseholdsService } from "../households/households.service.js";
import type { PairingRow } from "../pairings/pairing.schema.js";
import type { PairingsService } from "../pairings/pairings.service.js";
import type { BenefitLinksService } from "./benefit-links.service.js";

/** Loaders of the industry side: households, pairings, and each product's 带贫人数. */
export function createIndustryLoaders(households: HouseholdsService, pairings: PairingsService, links: BenefitLinksService) {
  return {
    householdById: rowLoader<string, HouseholdRow>((ids) => households.householdsByIds(ids), (row) => row.id),
    pairingById: rowLoader<string, PairingRow>((ids) => pairings.pairingsByIds(ids), (row) => row.id),
    beneficiaryHouseholdCount: new DataLoader<string, number>(async (productIds) => {
      const counts = await links.beneficiaryCounts(productIds);
      return productIds.map((id) => counts.get(id) ?? 0);
    }),
  };
}
