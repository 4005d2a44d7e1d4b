import "server-only";
import { sqlState } from "@/lib/db/errors";
import { AppError } from "@/lib/errors";

/**
 * Every failure as something safe to show: an AppError as it is; a database
 * "data exception" (SQLSTATE class 22: a value PostgreSQL cannot store, which
 * the text schema should already have refused) as a 400; anything else as a
 * generic error, logged here and never shown (no SQL, no stack, no path).
 */
export function toSafeError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const code = sqlState(error);
  if (code?.startsWith("22")) return new AppError("invalid:input", "The request holds a value that cannot be stored; nothing was changed.");
  console.error(error);
  return new AppError("internal", "Something went wrong on the server; nothing was changed. Please try again.");
}
