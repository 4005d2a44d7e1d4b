import "server-only";
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import lockfile from "proper-lockfile";
import { ConfigError } from "@/lib/env";
import { SerialSocketServer } from "./embedded-server";
import { isAlive } from "./process-alive";

export type EmbeddedDatabase = {
  /** A postgres:// URL for postgres.js, served on loopback. */
  url: string;
  stop: () => Promise<void>;
};

/** The data directory is held by another process (a running wiki, or an admin command). */
export class DataDirLockedError extends ConfigError {}

/** Where the process holding a data directory says how to reach its database (readable by this user only). */
export const SERVED_FILE = "database.json";

/**
 * Start PGlite and serve it on a loopback port, so the app talks to it through
 * postgres.js exactly as it talks to a real server. `dataDir` undefined keeps
 * the database in memory (tests). The data directory is locked while in use,
 * and its SERVED_FILE gives other processes (`npm run admin`) the URL.
 */
export async function startEmbeddedDatabase(dataDir?: string): Promise<EmbeddedDatabase> {
  let release: (() => Promise<void>) | undefined;
  let pgDir: string | undefined;
  let dir: string | undefined;
  if (dataDir) {
    dir = path.resolve(dataDir);
    try {
      await mkdir(dir, { recursive: true });
    } catch (error) {
      throw new ConfigError(`The data directory ${dir} cannot be created (${(error as Error).message}).`);
    }
    try {
      release = await lockfile.lock(dir, { stale: 15_000, update: 5_000, realpath: false });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ELOCKED") {
        throw new DataDirLockedError(`The data directory ${dir} is locked by another running Propagate; stop it first (or set PROPAGATE_DATA_DIR to another directory).`);
      }
      throw new ConfigError(`The data directory ${dir} cannot be locked (${(error as Error).message}).`);
    }
    pgDir = path.join(dir, "pglite");
  }

  let db: PGlite;
  try {
    db = await PGlite.create({ dataDir: pgDir, extensions: { pg_trgm } });
  } catch (error) {
    await release?.();
    throw new ConfigError(`The embedded database in ${pgDir ?? "memory"} could not be opened (${(error as Error).message}).`);
  }
  // PGlite is one session: the server lets each client hold it for a whole transaction or message group (embedded-server.ts).
  const password = randomBytes(24).toString("base64url");
  const server = new SerialSocketServer({ db, password });
  const port = await server.start();
  const url = `postgres://postgres:${password}@127.0.0.1:${port}/postgres?sslmode=disable`;
  const served = dir ? path.join(dir, SERVED_FILE) : undefined;
  if (served) await writeFile(served, `${JSON.stringify({ url, pid: process.pid })}\n`, { mode: 0o600 });

  let stopped = false;
  return {
    url,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      if (served) await rm(served, { force: true });
      await server.stop();
      await db.close();
      await release?.();
    },
  };
}

/**
 * The embedded database for a script (`npm run admin`, `npm run seed`): the one
 * the running wiki serves, reached through its SERVED_FILE, or else opened here
 * (and closed by `stop`). `shared` says which.
 */
export async function openEmbeddedDatabase(dataDir: string, waitMs = 15_000): Promise<EmbeddedDatabase & { shared: boolean }> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    // The running process's database first: never try (and perhaps take, were it stale) the lock of a live one.
    const url = await servedUrl(dataDir);
    if (url) return { url, stop: async () => {}, shared: true };
    try {
      return { ...(await startEmbeddedDatabase(dataDir)), shared: false };
    } catch (error) {
      if (!(error instanceof DataDirLockedError)) throw error;
    }
    // Locked but not served yet (the wiki is starting) or any more (it is stopping): ask again.
    if (Date.now() > deadline) {
      throw new ConfigError(`The data directory ${path.resolve(dataDir)} is locked by another Propagate that does not serve its database (starting or stopping?); try again in a moment.`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function servedUrl(dataDir: string): Promise<string | undefined> {
  try {
    const { url, pid } = JSON.parse(await readFile(path.join(path.resolve(dataDir), SERVED_FILE), "utf8")) as { url?: unknown; pid?: unknown };
    if (typeof url !== "string" || !url.startsWith("postgres://") || typeof pid !== "number") return undefined;
    return isAlive(pid) ? url : undefined; // a file left by a process that is gone (its lock goes stale soon)
  } catch {
    return undefined;
  }
}
