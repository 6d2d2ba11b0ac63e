import { guardedLoader, rowLoader } from "../../graphql/dataloader.js";
import type { RequestContext } from "../../graphql/context.js";
import { userPolicy } from "./account.policy.js";
import type { UserRow } from "./account.schema.js";

export function createAccountLoaders(context: RequestContext) {
  const { accounts } = context.services;
  const userRowById = rowLoader<string, UserRow>((ids) => accounts.usersByIds(ids), (row) => row.id);
  return {
    /** Users the caller may see (admins: all; others: themselves); everyone else loads as null. */
    userById: guardedLoader(userRowById, (rows) => userPolicy.may(context.actor, rows)),
  };
}
