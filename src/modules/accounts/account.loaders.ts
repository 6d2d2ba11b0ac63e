import { rowLoader } from "../../graphql/dataloader.js";
import type { UserRow } from "./account.schema.js";
import type { AccountsService } from "./accounts.service.js";

export function createAccountLoaders(accounts: AccountsService) {
  return {
    userById: rowLoader<string, UserRow>((ids) => accounts.usersByIds(ids), (row) => row.id),
  };
}
