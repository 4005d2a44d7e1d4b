import postgres from "postgres";
import { startEmbeddedDatabase } from "@/lib/db/embedded";
import { runMigrations } from "@/lib/db/migrate";

export type TestDatabase = { url: string; mode: "server" | "embedded"; drop: () => Promise<void> };

/**
 * A migrated database that exists only for this run. With DATABASE_URL set a
 * uniquely named database is created on that server and dropped at the end;
 * otherwise an in-memory PGlite is served on loopback.
 */
export async function createTestDatabase(prefix: string, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  let result: TestDatabase;
  if (serverUrl) {
    const name = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    result = {
      url: url.toString(),
      mode: "server",
      drop: async () => {
        const a = postgres(serverUrl, { max: 1, onnotice: () => {} });
        await a.unsafe(`drop database if exists "${name}" with (force)`);
        await a.end();
      },
    };
  } else {
    const embedded = await startEmbeddedDatabase();
    result = { url: embedded.url, mode: "embedded", drop: embedded.stop };
  }
  if (options.migrate !== false) await runMigrations(result.url);
  return result;
}
