import { UserFacingError } from "../errors.js";
import type { UserError } from "./errors.js";

/**
 * Runs a mutation's service call: its result goes into the payload; a UserFacingError becomes
 * `userErrors` (the service's transaction has rolled back, so nothing changed). Anything else
 * propagates (FORBIDDEN, or masked as INTERNAL_SERVER_ERROR).
 */
export async function mutationPayload<T extends object>(
  work: () => Promise<T>,
): Promise<Partial<T> & { userErrors: UserError[] }> {
  try {
    return { ...(await work()), userErrors: [] };
  } catch (error) {
    if (error instanceof UserFacingError) {
      return { userErrors: [{ field: error.field, message: error.message, code: error.code }] } as Partial<T> & { userErrors: UserError[] };
    }
    throw error;
  }
}
