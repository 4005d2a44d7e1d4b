/** `npm run seed`: import content/ into the configured or embedded database (idempotent). */
import path from "node:path";
import { connect } from "@/lib/db/client";
import { describeDatabaseError } from "@/lib/db/describe-error";
import { openEmbeddedDatabase, type EmbeddedDatabase } from "@/lib/db/embedded";
import { runMigrations } from "@/lib/db/migrate";
import { env } from "@/lib/env";
import { seed } from "@/lib/seed";
import { closePool } from "@/lib/workers/pool";
import { buildRenderWorker } from "./build-worker";

let embedded: EmbeddedDatabase | undefined;
const configured = (() => {
  try {
    return env();
  } catch (error) {
    console.error(`Seeding failed: ${(error as Error).message}`);
    process.exit(1);
  }
})();
try {
  await buildRenderWorker();
  const url = configured.DATABASE_URL ?? (embedded = await openEmbeddedDatabase(configured.PROPAGATE_DATA_DIR)).url;
  const connection = connect(url, 1);
  const { db, sql } = connection;
  await runMigrations(connection);
  const { pages: outcomes, talk } = await seed(db, path.join(process.cwd(), "content"));
  await sql.end({ timeout: 2 });
  await closePool();
  for (const o of outcomes) console.log(`${o.result.padEnd(15)} content/${o.file}${o.message ? ` — ${o.message}` : ""}`);
  for (const t of talk) console.log(`${t.result.padEnd(15)} content/talk/${t.file}${t.message ? ` — ${t.message}` : ""}`);
  const failed = [...outcomes, ...talk].filter((o) => o.result === "invalid");
  await embedded?.stop();
  process.exit(failed.length > 0 ? 1 : 0);
} catch (error) {
  await embedded?.stop();
  console.error(`Seeding failed: ${describeDatabaseError(error, configured.DATABASE_URL)}`);
  process.exit(1);
}
