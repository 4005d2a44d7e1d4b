import { inject } from "vitest";
import { connect, type Database } from "@/lib/db/client";

let holder: ReturnType<typeof connect> | undefined;

/** The run's test database (see global-db.ts). */
export function testDb(): Database {
  holder ??= connect(inject("databaseUrl"), 4);
  return holder.db;
}

export function testSql() {
  holder ??= connect(inject("databaseUrl"), 4);
  return holder.sql;
}

/** Empty every application table, so a test starts from a known state. */
export async function resetDatabase(): Promise<void> {
  const sql = testSql();
  const tables = await sql<{ tablename: string }[]>`
    select tablename from pg_tables where schemaname = 'public'`;
  if (tables.length === 0) return;
  await sql.unsafe(`truncate ${tables.map((t) => `"${t.tablename}"`).join(", ")} restart identity cascade`);
}
