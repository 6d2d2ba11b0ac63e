import { UnauthenticatedError } from "../errors.js";
import { type Actor, anonymous } from "../actor.js";
import type { Services } from "../graphql/context.js";

export interface Credentials {
  authorization?: string | undefined;
  apiKey?: string | undefined;
}

/**
 * Who is calling: a bearer token's user, an API key's partner, or anonymous. A credential that is
 * present but bad is UNAUTHENTICATED, never silently anonymous.
 */
export async function authenticate(services: Services, credentials: Credentials): Promise<{ actor: Actor; requestsPerMinute?: number }> {
  const { authorization, apiKey } = credentials;
  if (authorization && apiKey) throw new UnauthenticatedError("Send either a bearer token or an API key, not both");
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) throw new UnauthenticatedError("The Authorization header must be `Bearer <token>`");
    return { actor: await services.accounts.actorForToken(match[1]!) };
  }
  if (apiKey) {
    const { actor, requestsPerMinute } = await services.apiKeys.actorForKey(apiKey.trim());
    return { actor, requestsPerMinute };
  }
  return { actor: anonymous };
}
