import { ConfigError } from "@/lib/env";

/**
 * Turn a failure to reach or use the configured database into one plain
 * sentence naming the problem (never a stack trace alone).
 */
export function describeDatabaseError(error: unknown, url: string | undefined): string {
  if (error instanceof ConfigError) return error.message;
  const e = error as { code?: string; message?: string; errno?: string };
  let where = "the database server";
  try {
    if (url) {
      const u = new URL(url);
      where = `the database server at ${u.hostname}:${u.port || "5432"}`;
    }
  } catch {
    return "DATABASE_URL is not a valid URL (expected postgres://user@host:port/database).";
  }
  switch (e.code) {
    case "ECONNREFUSED":
      return `Cannot reach ${where}: the connection was refused. Is PostgreSQL running, and is DATABASE_URL right?`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `Cannot reach ${where}: the host name does not resolve. Check DATABASE_URL.`;
    case "ETIMEDOUT":
    case "CONNECT_TIMEOUT":
      return `Cannot reach ${where}: the connection timed out. Check DATABASE_URL and the network.`;
    case "3D000":
      return `${where} has no such database: ${e.message}. Create it or fix DATABASE_URL.`;
    case "28P01":
    case "28000":
      return `${where} refused the credentials in DATABASE_URL: ${e.message}.`;
    default:
      return `The database could not be used (${e.message ?? String(error)}).`;
  }
}
