/** 建档立卡户: registered households and their personal data. The module's face. */
import type { NodeSources } from "../../graphql/context.js";
import type { createHouseholdLoaders } from "./household.loaders.js";
import type { HouseholdsService } from "./households.service.js";

export { HouseholdResolver } from "./household.resolver.js";
export { HouseholdsService, type NewHousehold } from "./households.service.js";
export { createHouseholdLoaders } from "./household.loaders.js";
export { householdPolicy } from "./household.policy.js";
export { ableAndWillingHouseholds, householdDiffers, mergeHouseholdsFrom, type HouseholdSource } from "./household.sql.js";
export { IdNumberHasher, idCheckCharacter, maskIdNumber, maskName, validateIdNumber } from "./id-number.js";
export { householdFieldSchemas } from "./household.inputs.js";
export { maySeeHeadName } from "./household.policy.js";
export { Household } from "./household.types.js";
export { households, householdStatus, type HouseholdRow } from "./household.schema.js";

export const householdNodeSources: NodeSources = {
  // Through the policy-guarded loader: only offices of its jurisdiction and admins see a household.
  Household: (context, key) => context.loaders.householdById.load(key),
};

declare module "../../graphql/context.js" {
  interface Services {
    households: HouseholdsService;
  }
  interface Loaders extends ReturnType<typeof createHouseholdLoaders> {}
}
