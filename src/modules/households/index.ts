/** 建档立卡户: registered households and their personal data. The module's face. */
import type { NodeSources } from "../../graphql/context.js";
import type { HouseholdsService } from "./households.service.js";

export { HouseholdResolver } from "./household.resolver.js";
export { HouseholdsService, type NewHousehold } from "./households.service.js";
export { IdNumberHasher, idCheckCharacter, maskIdNumber } from "./id-number.js";
export { Household } from "./household.types.js";
export { households, householdStatus, type HouseholdRow } from "./household.schema.js";

export const householdNodeSources: NodeSources = {
  // Only offices of its jurisdiction and admins see a household at all.
  Household: async (context, key) => {
    const row = await context.loaders.householdById.load(key);
    return row && context.services.households.mayRead(context.actor, row) ? row : null;
  },
};

declare module "../../graphql/context.js" {
  interface Services {
    households: HouseholdsService;
  }
}
