import { type ClassType, Field, ObjectType } from "type-graphql";
import { type UserErrorCode, UserFacingError, UserFacingErrors } from "../errors.js";
import { type UserError, UserError as UserErrorType } from "./errors.js";

const userErrorObservers = new Set<(code: UserErrorCode) => void>();

/** Tells `observe` the code of every userError a mutation returns (/metrics); returns the unsubscribe. */
export function observeUserErrors(observe: (code: UserErrorCode) => void): () => void {
  userErrorObservers.add(observe);
  return () => userErrorObservers.delete(observe);
}

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
    const errors = error instanceof UserFacingError ? [error] : error instanceof UserFacingErrors ? error.errors : undefined;
    if (errors) {
      for (const e of errors) for (const observe of userErrorObservers) observe(e.code);
      return { userErrors: errors.map((e) => ({ field: e.field, message: e.message, code: e.code })) } as Partial<T> & { userErrors: UserError[] };
    }
    throw error;
  }
}

type PayloadFields = Record<string, { type: () => ClassType | [ClassType]; description?: string }>;

/**
 * Declares a mutation payload type: the changed object(s), each nullable (absent when the mutation
 * was refused), and `userErrors` (API.md). One factory instead of a hand-written class per mutation.
 */
export function PayloadType(name: string, fields: PayloadFields): ClassType {
  @ObjectType(name)
  class Payload {
    @Field(() => [UserErrorType])
    userErrors!: UserError[];
  }
  for (const [field, { type, description }] of Object.entries(fields)) {
    Field(type, { nullable: true, description })(Payload.prototype, field);
  }
  return Payload;
}
