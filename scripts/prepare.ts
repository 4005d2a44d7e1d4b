/**
 * `npm start`'s preparation, in a process of its own (scripts/start.ts runs
 * it and waits): apply migrations and import content/ into DATABASE_URL's
 * database. A separate process so that what it loads (drizzle, the MDX
 * compiler, the worker pool) is not kept in memory for the wiki's lifetime
 * by the launcher, which stays running beside the server.
 * Exit code 0 when the database is ready; otherwise 1, after printing why.
 */
import { connect } from "@/lib/db/client";
import { describeDatabaseError } from "@/lib/db/describe-error";
import { runMigrations } from "@/lib/db/migrate";
import { seed } from "@/lib/seed";
import { closePool } from "@/lib/workers/pool";

const url = process.env.DATABASE_URL;
const mode = process.env.PROPAGATE_DB_MODE === "embedded" ? "embedded" : "server";
if (!url) {
  console.error("prepare: DATABASE_URL is not set (scripts/start.ts sets it).");
  process.exit(1);
}

try {
  // One connection for every step (embedded PGlite runs one client's transaction at a time).
  const connection = connect(url, 1);
  try {
    await connection.sql`select 1`;
    const applied = await runMigrations(connection);
    const { pages: outcomes, talk } = await seed(connection.db);
    const changed = outcomes.filter((o) => o.result === "created" || o.result === "updated").length;
    console.log(`Database: ${mode}, ${applied} migrations applied; content: ${outcomes.length} files, ${changed} imported.`);
    for (const o of [...outcomes, ...talk].filter((o) => o.result === "invalid" || o.result === "skipped-edited")) {
      console.warn(`  content/${o.file}: ${o.result} (${o.message})`);
    }
  } finally {
    await connection.sql.end({ timeout: 2 });
    // Importing content validated pages in worker processes: end them, the server has its own.
    await closePool();
  }
} catch (error) {
  console.error(`\nPropagate cannot start: ${describeDatabaseError(error, process.env.PROPAGATE_DB_MODE === "embedded" ? undefined : url)}\n`);
  process.exit(1);
}
process.exit(0);
