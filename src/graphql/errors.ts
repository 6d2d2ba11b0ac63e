import type { GraphQLFormattedError } from "graphql";
import { GraphQLError } from "graphql";
import { Field, ObjectType, registerEnumType } from "type-graphql";
import { isDatabaseUnavailable, isStatementTimeout } from "../db/errors.js";
import { ForbiddenError, InvalidArgumentError, RateLimitedError, UnauthenticatedError, UserErrorCode } from "../errors.js";

registerEnumType(UserErrorCode, {
  name: "UserErrorCode",
  description: "Why a mutation's input was refused.",
  valuesConfig: {
    INVALID: { description: "输入无效: a value is malformed or breaks a rule" },
    NOT_FOUND: { description: "不存在: the referenced record does not exist (or is not visible to you)" },
    DUPLICATE: { description: "重复: a record with this unique value already exists" },
    INVALID_TRANSITION: { description: "状态不允许: the record's status does not allow this step" },
    NOT_CERTIFIED: { description: "未认定: the product is not certified and listed" },
    INSUFFICIENT_SUPPLY: { description: "供应不足: not enough available supply" },
    NO_QUOTA: { description: "未申报预留份额: the budget unit has no quota for the year" },
    IDEMPOTENCY_CONFLICT: { description: "幂等键冲突: the idempotency key was used for a different request" },
    STALE_VERSION: { description: "版本已过期: someone else changed the record first" },
    INVALID_CREDENTIALS: { description: "用户名或密码错误" },
    TOO_MANY_ATTEMPTS: { description: "尝试次数过多: throttled; the message says when to retry" },
    ENTERPRISE_NOT_VERIFIED: { description: "企业未核实: the enterprise is not VERIFIED (PENDING or SUSPENDED), so it cannot do this and its products cannot be ordered" },
  },
});

/** An error the user can fix, returned in a mutation payload (API.md). */
@ObjectType({ description: "An error the caller can fix; the mutation changed nothing." })
export class UserError {
  @Field(() => [String], { nullable: true, description: "Path to the input field, e.g. [\"input\", \"quantity\"]." })
  field!: string[] | null;

  @Field(() => String)
  message!: string;

  @Field(() => UserErrorCode)
  code!: UserErrorCode;
}

/** Top-level error codes that carry a message meant for the client. */
const clientCodes = new Set([
  "BAD_USER_INPUT",
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "OPERATION_RESOLUTION_FAILURE",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "BAD_REQUEST",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "RATE_LIMITED",
  "QUERY_TOO_DEEP",
  "QUERY_TOO_COSTLY",
  "TOO_MANY_ALIASES",
  "PAYLOAD_TOO_LARGE",
]);

/**
 * TIMEOUT: a database statement ran past STATEMENT_TIMEOUT_MS and was cancelled (a mutation's
 * transaction rolled back with it). Narrow the query or retry later.
 */
const timeoutMessage = "The database did not answer within the statement timeout; narrow the query or retry later.";

/**
 * SERVICE_UNAVAILABLE: the database cannot be reached (HTTP 503 with Retry-After). A query was
 * already tried twice; a mutation is never repeated by the server: retry it (reservePurchase with
 * the same idempotencyKey), a reservation that did commit is then returned, not made again.
 */
export const SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE";
export const unavailableRetryAfterSeconds = 2;
export const unavailableMessage = "The database is unavailable; retry shortly.";

/** The top-level code of the services' own errors. */
function domainErrorCode(error: unknown): string | undefined {
  if (error instanceof InvalidArgumentError) return "BAD_USER_INPUT";
  if (error instanceof UnauthenticatedError) return "UNAUTHENTICATED";
  if (error instanceof ForbiddenError) return "FORBIDDEN";
  if (error instanceof RateLimitedError) return "RATE_LIMITED";
  if (isStatementTimeout(error)) return "TIMEOUT";
  if (isDatabaseUnavailable(error)) return SERVICE_UNAVAILABLE;
  return undefined;
}

/** Whether an error (as Apollo hands it over) is meant for the client, or must be masked. */
export function isClientError(error: unknown): boolean {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  if (domainErrorCode(original)) return true;
  const code = error instanceof GraphQLError ? error.extensions?.code : undefined;
  return typeof code === "string" && clientCodes.has(code) && original instanceof GraphQLError;
}

/**
 * Apollo's formatError: known client errors pass with their code; anything else is masked
 * (no stack, SQL or driver text); the request's plugin logs the original (apollo.ts).
 */
export function formatError(
  formatted: GraphQLFormattedError,
  error: unknown,
): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  const code = domainErrorCode(original);
  if (code) {
    const extensions: Record<string, unknown> = { code };
    if (original instanceof InvalidArgumentError && original.argument) extensions.argument = original.argument;
    if (original instanceof RateLimitedError) extensions.retryAfterSeconds = original.retryAfterSeconds;
    if (code === SERVICE_UNAVAILABLE) extensions.retryAfterSeconds = unavailableRetryAfterSeconds;
    // The driver's text is not for the client: a timeout and an outage get messages of their own.
    const message = code === "TIMEOUT" ? timeoutMessage : code === SERVICE_UNAVAILABLE ? unavailableMessage : (original as Error).message;
    return { message, locations: formatted.locations, path: formatted.path, extensions };
  }
  if (isClientError(error)) {
    const { stacktrace: _dropped, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  return {
    message: "Internal server error",
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: "INTERNAL_SERVER_ERROR" },
  };
}
