/** Accounts, roles, login and tokens. The module's face. */
// First: values other modules use while their own files are being evaluated (a leaf file).
export { passwordSchema, usernameSchema } from "./account.inputs.js";
import type { NodeSources } from "../../graphql/context.js";
import type { createAccountLoaders } from "./account.loaders.js";
import type { AccountsService } from "./accounts.service.js";

export { AccountResolver, ViewerResolver } from "./account.resolver.js";
export { AccountsService, actorOf } from "./accounts.service.js";
export { LoginThrottle } from "./login-throttle.js";
export { TokenIssuer } from "./token.js";
export { hashPassword } from "./password.js";
export { createAccountLoaders } from "./account.loaders.js";
export { userPolicy } from "./account.policy.js";
export { Role, User } from "./account.types.js";
export { users, loginFailures, userRole, type UserRow } from "./account.schema.js";

export const accountNodeSources: NodeSources = {
  User: (context, key) => context.loaders.userById.load(key),
};

declare module "../../graphql/context.js" {
  interface Services {
    accounts: AccountsService;
  }
  interface Loaders extends ReturnType<typeof createAccountLoaders> {}
}
