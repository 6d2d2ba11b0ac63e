import { rowLoader } from "../../graphql/dataloader.js";
import type { UserRow } from "./account.schema.js";
import type { RequestContext } from "../../graphql/context.js";

export function createAccountLoaders({ services: { accounts } }: RequestContext) {
  return {
    userById: rowLoader<string, UserRow>((ids) => accounts.usersByIds(ids), (row) => row.id),
  };
}
