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
