/** PostgreSQL error codes the services react to. drizzle wraps driver errors: the code is on `cause`. */
export const PgCode = {
  uniqueViolation: "23505",
  foreignKeyViolation: "23503",
  checkViolation: "23514",
  numericValueOutOfRange: "22003",
  exclusionViolation: "23P01",
  serializationFailure: "40001",
  deadlockDetected: "40P01",
  /** query_canceled: statement_timeout (or a cancel request) cut the statement off */
  queryCanceled: "57014",
} as const;

export function pgErrorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

export function pgConstraint(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const c = (e as { constraint?: unknown; constraint_name?: unknown }).constraint ?? (e as { constraint_name?: unknown }).constraint_name;
    if (typeof c === "string") return c;
  }
  return undefined;
}

/** A statement that ran past statement_timeout (STATEMENT_TIMEOUT_MS): answered as a TIMEOUT error. */
export function isStatementTimeout(error: unknown): boolean {
  return pgErrorCode(error) === PgCode.queryCanceled;
}

/** postgres.js's and Node's own codes for a connection that broke or could not be made. */
const connectionCodes = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_DESTROYED",
  "CONNECTION_ENDED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/**
 * The database cannot be reached or dropped the connection: refused, closed, reset, an
 * administrator's shutdown or termination (57P01-57P03), a connection exception (class 08), or no
 * free connection slot (53300). Answered as SERVICE_UNAVAILABLE (HTTP 503, Retry-After), never masked.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== "string") continue;
    if (connectionCodes.has(code) || /^08[0-9A-Z]{3}$/.test(code) || /^57P0[123]$/.test(code) || code === "53300") return true;
  }
  return false;
}
