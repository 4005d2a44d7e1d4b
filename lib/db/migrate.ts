import "server-only";
import path from "node:path";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import { connect } from "./client";

export const migrationsFolder = path.join(process.cwd(), "drizzle");

/** Apply pending migrations from drizzle/ (idempotent). Returns how many are applied in total. */
export async function runMigrations(url: string): Promise<number> {
  const { db, sql } = connect(url, 1);
  try {
    await migrate(db, { migrationsFolder });
    const rows = await sql<{ n: number }[]>`select count(*)::int as n from drizzle.__drizzle_migrations`;
    return rows[0]?.n ?? 0;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
