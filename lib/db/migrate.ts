import "server-only";
import path from "node:path";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { connect, type Database } from "./client";

export const migrationsFolder = path.join(process.cwd(), "drizzle");

/**
 * Apply pending migrations from drizzle/ (idempotent) on a connection, or on a
 * new one to `url`. Returns how many migrations are applied in total.
 */
export async function runMigrations(target: string | { db: Database }): Promise<number> {
  const owned = typeof target === "string" ? connect(target, 1) : undefined;
  const db = owned?.db ?? (target as { db: Database }).db;
  try {
    await migrate(db, { migrationsFolder });
    const rows = await db.execute<{ n: number }>("select count(*)::int as n from drizzle.__drizzle_migrations");
    return rows[0]?.n ?? 0;
  } finally {
    await owned?.sql.end({ timeout: 5 });
  }
}
