import type { AuthChecker } from "type-graphql";
import { ForbiddenError, UnauthenticatedError } from "../errors.js";
import type { RequestContext } from "./context.js";

/**
 * `@Authorized()` needs a logged-in user; `@Authorized("ADMIN", "REVIEWER")` one of those roles.
 * Jurisdiction (whose county, whose enterprise) is the services' to check.
 */
export const authChecker: AuthChecker<RequestContext> = ({ context }, roles) => {
  const actor = context.actor;
  if (actor.kind !== "user") throw new UnauthenticatedError("Log in first: send Authorization: Bearer <token> from `login`");
  if (roles.length > 0 && !roles.includes(actor.role)) throw new ForbiddenError(`This needs the role ${roles.join(" or ")}`);
  return true;
};
