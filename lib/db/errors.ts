/**
 * PostgreSQL's SQLSTATE of a failed query, looked for on the error and its
 * causes (drizzle wraps postgres.js's errors), or undefined.
 */
export function sqlState(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && typeof e === "object" && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  }
  return undefined;
}

/** Whether a query failed on a unique constraint (23505). */
export function isUniqueViolation(error: unknown): boolean {
  return sqlState(error) === "23505";
}
