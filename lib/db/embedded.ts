import "server-only";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import lockfile from "proper-lockfile";
import { ConfigError } from "@/lib/env";

export type EmbeddedDatabase = {
  /** A postgres:// URL for postgres.js, served on loopback. */
  url: string;
  stop: () => Promise<void>;
};

/**
 * Start PGlite and serve it on a loopback port, so the app talks to it through
 * postgres.js exactly as it talks to a real server. `dataDir` undefined keeps
 * the database in memory (tests). The data directory is locked while in use.
 */
export async function startEmbeddedDatabase(dataDir?: string): Promise<EmbeddedDatabase> {
  let release: (() => Promise<void>) | undefined;
  let pgDir: string | undefined;
  if (dataDir) {
    const dir = path.resolve(dataDir);
    try {
      await mkdir(dir, { recursive: true });
    } catch (error) {
      throw new ConfigError(`The data directory ${dir} cannot be created (${(error as Error).message}).`);
    }
    try {
      release = await lockfile.lock(dir, { stale: 15_000, update: 5_000, realpath: false });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new ConfigError(
        code === "ELOCKED"
          ? `The data directory ${dir} is locked by another running Propagate; stop it first (or set PROPAGATE_DATA_DIR to another directory).`
          : `The data directory ${dir} cannot be locked (${(error as Error).message}).`,
      );
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
  // PGlite is single-session and the socket server interleaves the protocol
  // messages of concurrent connections, so exactly one client at a time.
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections: 1 });
  await server.start();
  const url = `postgres://postgres@${server.getServerConn()}/postgres?sslmode=disable`;

  let stopped = false;
  return {
    url,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await db.close();
      await release?.();
    },
  };
}
