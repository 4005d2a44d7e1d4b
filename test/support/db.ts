import { inject } from "vitest";
import { connect, type Database } from "@/lib/db/client";

let holder: ReturnType<typeof connect> | undefined;
// PGlite is one session (lib/db/embedded-server.ts runs one client's transaction at a
// time): more connections would only wait for each other, and a test querying beside its
// own open transaction would wait for itself. So embedded mode gets one connection.
const poolSize = () => (inject("databaseMode") === "embedded" ? 1 : 4);

/** The run's test database (see global-db.ts). */
export function testDb(): Database {
  holder ??= connect(inject("databaseUrl"), poolSize());
  return holder.db;
}

export function testSql() {
  holder ??= connect(inject("databaseUrl"), poolSize());
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

/** Close the shared connection (before opening another one on single-session PGlite). */
export async function closeTestDb(): Promise<void> {
  await holder?.sql.end({ timeout: 5 });
  holder = undefined;
}
