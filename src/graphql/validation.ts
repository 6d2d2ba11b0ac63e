import type { z } from "zod";
import { InvalidArgumentError } from "../errors.js";

/** Validates a query argument at the edge; the first problem becomes a BAD_USER_INPUT naming its path. */
export function parseArgument<S extends z.ZodType>(schema: S, value: unknown, argument: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = [argument, ...issue.path.map(String)].join(".");
  throw new InvalidArgumentError(`\`${path}\`: ${issue.message}`, path);
}
