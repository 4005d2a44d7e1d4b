import "server-only";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { env } from "@/lib/env";
import * as schema from "./schema";

export type Database = PostgresJsDatabase<typeof schema>;
/** A transaction handle, accepted wherever a Database is. */
export type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

type Holder = { db: Database; sql: postgres.Sql; url: string };
const globalKey = Symbol.for("propagate.db");
const store = globalThis as unknown as Record<symbol, Holder | undefined>;

/** Open a postgres.js + drizzle connection to `url`. */
export function connect(url: string, max = 10): Holder {
  const sql = postgres(url, {
    max,
    onnotice: () => {},
    connection: { application_name: "propagate" },
  });
  return { db: drizzle(sql, { schema, casing: "snake_case" }), sql, url };
}

/**
 * The process-wide database. The launcher always hands the app a DATABASE_URL:
 * the configured server, or the embedded PGlite it serves on loopback (one
 * connection there, since PGlite is single-session).
 */
export function getDb(): Database {
  return holder().db;
}

/** The raw postgres.js client behind getDb(). */
export function getSql(): postgres.Sql {
  return holder().sql;
}

function holder(): Holder {
  const e = env();
  const existing = store[globalKey];
  if (existing && existing.url === e.DATABASE_URL) return existing;
  if (!e.DATABASE_URL) {
    throw new Error("DATABASE_URL is not set; start the app with `npm start`, which provides one.");
  }
  const max = e.DB_POOL_MAX ?? (e.PROPAGATE_DB_MODE === "embedded" ? 1 : 10);
  const created = connect(e.DATABASE_URL, max);
  store[globalKey] = created;
  return created;
}

/** Close the process-wide connection (scripts, tests). */
export async function closeDb(): Promise<void> {
  const existing = store[globalKey];
  store[globalKey] = undefined;
  await existing?.sql.end({ timeout: 5 });
}

/**
 * The postgres.js client behind a drizzle handle (drizzle keeps it as `$client`), for what
 * drizzle has no words for: cursors, COPY, a read-only snapshot transaction.
 */
export function rawSql(db: Database): postgres.Sql {
  return (db as Database & { $client: postgres.Sql }).$client;
}
