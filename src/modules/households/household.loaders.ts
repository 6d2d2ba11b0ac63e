import { guardedLoader, rowLoader } from "../../graphql/dataloader.js";
import type { RequestContext } from "../../graphql/context.js";
import { householdPolicy } from "./household.policy.js";
import type { HouseholdRow } from "./household.schema.js";

export function createHouseholdLoaders(context: RequestContext) {
  const { households } = context.services;
  const householdRowById = rowLoader<string, HouseholdRow>((ids) => households.householdsByIds(ids), (row) => row.id);
  return {
    /** Households the caller may see (offices of their jurisdiction, admins); others load as null. */
    householdById: guardedLoader(householdRowById, (rows) => householdPolicy.may(context.actor, rows)),
  };
}
