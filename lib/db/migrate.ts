import "server-only";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
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
    return await appliedMigrations(db);
  } finally {
    await owned?.sql.end({ timeout: 5 });
  }
}

/** How many migrations this code knows (drizzle/meta/_journal.json). */
export async function knownMigrations(): Promise<number> {
  const journal = JSON.parse(await readFile(path.join(migrationsFolder, "meta", "_journal.json"), "utf8")) as { entries: unknown[] };
  return journal.entries.length;
}

/** How many migrations the database has applied (0 for an empty one). */
export async function appliedMigrations(db: Database): Promise<number> {
  const [exists] = await db.execute<{ present: boolean }>("select to_regclass('drizzle.__drizzle_migrations') is not null as present");
  if (!exists?.present) return 0;
  const rows = await db.execute<{ n: number }>("select count(*)::int as n from drizzle.__drizzle_migrations");
  return rows[0]?.n ?? 0;
}

/**
 * Apply only the first `count` migrations (a restore brings the schema to the
 * level its backup was made at, fills it, then applies the rest): drizzle's
 * migrator reads a journal, so it is handed a copy cut to `count` entries.
 */
export async function migrateUpTo(db: Database, count: number): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), "propagate-migrations-"));
  try {
    await cp(migrationsFolder, dir, { recursive: true });
    const journalPath = path.join(dir, "meta", "_journal.json");
    const journal = JSON.parse(await readFile(journalPath, "utf8")) as { entries: unknown[] };
    await writeFile(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, count) }));
    await migrate(db, { migrationsFolder: dir });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
