/**
 * Errors the services raise. They know nothing of GraphQL: the GraphQL layer turns an
 * `InvalidArgumentError` into a coded top-level error and a `UserFacingError` into a `userError`.
 */

/** Codes of `UserError.code` (API.md). */
export enum UserErrorCode {
  INVALID = "INVALID",
  NOT_FOUND = "NOT_FOUND",
  DUPLICATE = "DUPLICATE",
  INVALID_TRANSITION = "INVALID_TRANSITION",
  NOT_CERTIFIED = "NOT_CERTIFIED",
  INSUFFICIENT_SUPPLY = "INSUFFICIENT_SUPPLY",
  NO_QUOTA = "NO_QUOTA",
  IDEMPOTENCY_CONFLICT = "IDEMPOTENCY_CONFLICT",
  STALE_VERSION = "STALE_VERSION",
  INVALID_CREDENTIALS = "INVALID_CREDENTIALS",
  TOO_MANY_ATTEMPTS = "TOO_MANY_ATTEMPTS",
  ENTERPRISE_NOT_VERIFIED = "ENTERPRISE_NOT_VERIFIED",
}

/** Something the caller can fix in a mutation's input: reported in the payload's `userErrors`. */
export class UserFacingError extends Error {
  constructor(
    readonly code: UserErrorCode,
    message: string,
    readonly field: string[] | null = null,
  ) {
    super(message);
    this.name = "UserFacingError";
  }
}

/**
 * Several things the caller can fix at once (e.g. the bad lines of a sales report, each naming its
 * index): every one becomes a `userError`; like a single UserFacingError, nothing changed.
 */
export class UserFacingErrors extends Error {
  constructor(readonly errors: readonly UserFacingError[]) {
    super(errors.map((e) => e.message).join("; "));
    this.name = "UserFacingErrors";
  }
}

/** A malformed argument of a query (bad ID, cursor, page size, filter): a BAD_USER_INPUT error. */
export class InvalidArgumentError extends Error {
  constructor(
    message: string,
    readonly argument?: string,
  ) {
    super(message);
    this.name = "InvalidArgumentError";
  }
}

/** The caller is not (or no longer) authenticated: a bad, expired or revoked credential. */
export class UnauthenticatedError extends Error {
  constructor(message = "Authentication required") {
    super(message);
    this.name = "UnauthenticatedError";
  }
}

/** The caller may not do this; nothing changed. */
export class ForbiddenError extends Error {
  constructor(message = "You are not allowed to do this") {
    super(message);
    this.name = "ForbiddenError";
  }
}

/** Over a request budget; retry after the given number of seconds. */
export class RateLimitedError extends Error {
  constructor(
    readonly retryAfterSeconds: number,
    readonly limit: number,
  ) {
    super(`Rate limit of ${limit} requests per minute exceeded; retry after ${retryAfterSeconds} s`);
    this.name = "RateLimitedError";
  }
}
