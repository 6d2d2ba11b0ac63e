import type { z } from "zod";
import { InvalidArgumentError, UserErrorCode, UserFacingError } from "../errors.js";
import { type NodeTypeName, fromGlobalIdOf } from "./global-id.js";

/** Validates a query argument at the edge; the first problem becomes a BAD_USER_INPUT naming its path. */
export function parseArgument<S extends z.ZodType>(schema: S, value: unknown, argument: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = [argument, ...issue.path.map(String)].join(".");
  throw new InvalidArgumentError(`\`${path}\`: ${issue.message}`, path);
}

/** Validates a mutation's input at the edge; the first problem becomes a userError (INVALID) with its path. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = ["input", ...issue.path.map(String)];
  throw new UserFacingError(UserErrorCode.INVALID, `${path.slice(1).join(".") || "input"}: ${issue.message}`, path);
}

/** A global ID inside a mutation input: a malformed or foreign one is a userError, not a crash. */
export function inputId(type: NodeTypeName, id: string, field: string): string {
  try {
    return fromGlobalIdOf(type, id, field);
  } catch (error) {
    if (error instanceof InvalidArgumentError) throw new UserFacingError(UserErrorCode.INVALID, error.message, ["input", field]);
    throw error;
  }
}
