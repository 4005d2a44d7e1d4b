import "server-only";
import { readFile } from "node:fs/promises";
import { sql } from "drizzle-orm";
import { env } from "@/lib/env";
import { getDb } from "@/lib/db/client";
import { migrationsFolder } from "@/lib/db/migrate";
import { countPages } from "@/lib/wiki/page-store";

export type Health = {
  status: "ok" | "error";
  database: { mode: "embedded" | "server"; reachable: boolean; migrations: { applied: number; expected: number; current: boolean } };
  pages: number;
  message?: string;
};

/** Database mode, migration state and page count, for /api/health. Never throws. */
export async function checkHealth(): Promise<Health> {
  const mode = env().PROPAGATE_DB_MODE ?? "server";
  const journal = JSON.parse(await readFile(`${migrationsFolder}/meta/_journal.json`, "utf8")) as { entries: unknown[] };
  const expected = journal.entries.length;
  try {
    const db = getDb();
    const rows = await db.execute<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    const applied = rows[0]?.n ?? 0;
    const pages = await countPages(db);
    return {
      status: applied === expected ? "ok" : "error",
      database: { mode, reachable: true, migrations: { applied, expected, current: applied === expected } },
      pages,
      ...(applied === expected ? {} : { message: "Migrations are not current; restart with npm start." }),
    };
  } catch {
    return {
      status: "error",
      database: { mode, reachable: false, migrations: { applied: 0, expected, current: false } },
      pages: 0,
      message: "The database cannot be reached.",
    };
  }
}
