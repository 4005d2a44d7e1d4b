/**
 * `npm start`: the one command that runs the wiki. It validates the
 * configuration, opens the database (DATABASE_URL, or the embedded PGlite
 * under .data/ served on loopback), has scripts/prepare.ts migrate and import
 * content/ in a process of its own, builds when needed and runs the front
 * server (which forks Next.js) with DATABASE_URL pointing at that database.
 * It stays running beside the server (it holds the embedded database, and
 * relays signals and the exit code), so it loads as little as it can.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import type { EmbeddedDatabase } from "@/lib/db/embedded";
import { embeddedAuthSecret } from "@/lib/auth/secret";
import { env } from "@/lib/env";
import { buildIsStale } from "./build-inputs";
import { buildRenderWorker } from "./build-worker";

const dev = process.argv.includes("--dev");
const skipBuild = process.argv.includes("--no-build");

function fatal(message: string): never {
  console.error(`\nPropagate cannot start: ${message}\n`);
  process.exit(1);
}

/** A production build is needed when there is none or it was made from other sources (by content, see build-inputs.ts). */
function needsBuild(): boolean {
  return buildIsStale();
}

function run(cmd: string, args: string[], extraEnv: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: "inherit", env: { ...process.env, ...extraEnv } });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

let config;
try {
  config = env();
} catch (error) {
  fatal((error as Error).message);
}

// Sessions are signed with AUTH_SECRET: required for a server database in
// production; the embedded default generates one and keeps it in .data/.
let authSecret = config.AUTH_SECRET;
if (!authSecret) {
  if (config.DATABASE_URL && !dev) {
    fatal("AUTH_SECRET is not set. It signs sign-in sessions and is required with DATABASE_URL; generate one with `openssl rand -base64 32`.");
  }
  authSecret = embeddedAuthSecret(config.PROPAGATE_DATA_DIR);
}

// Saving a page validates it in the render worker, so build that first.
await buildRenderWorker();

let embedded: EmbeddedDatabase | undefined;
let url = config.DATABASE_URL;
const mode = url ? "server" : "embedded";
if (!url) {
  try {
    // Loaded only when needed: PGlite is large, and a server database does without it.
    const { startEmbeddedDatabase } = await import("@/lib/db/embedded");
    embedded = await startEmbeddedDatabase(config.PROPAGATE_DATA_DIR);
    url = embedded.url;
  } catch (error) {
    const { describeDatabaseError } = await import("@/lib/db/describe-error");
    fatal(describeDatabaseError(error, undefined));
  }
}
// Migrations and content/ in a process of their own, with this process's Node.js options (tsx's loader).
const prepared = await run(process.execPath, [...process.execArgv, path.join("scripts", "prepare.ts")], { DATABASE_URL: url, PROPAGATE_DB_MODE: mode });
if (prepared !== 0) {
  await embedded?.stop();
  process.exit(1);
}

const appEnv: Record<string, string> = {
  DATABASE_URL: url,
  PROPAGATE_DB_MODE: mode,
  AUTH_SECRET: authSecret,
  // next-auth builds its URLs from PUBLIC_URL when given, else from the request's host.
  ...(config.PUBLIC_URL ? { NEXTAUTH_URL: config.PUBLIC_URL } : { AUTH_TRUST_HOST: "true" }),
  ...(mode === "embedded" ? { DB_POOL_MAX: "1" } : {}),
};
const nextBin = path.join("node_modules", "next", "dist", "bin", "next");
if (!dev && !skipBuild && needsBuild()) {
  console.log("Building the production bundle (first start or changed sources)…");
  const code = await run(process.execPath, [nextBin, "build"], appEnv);
  if (code !== 0) {
    await embedded?.stop();
    fatal("the production build failed (see the output above).");
  }
}

// PROPAGATE_PROFILE_DIR: write a CPU profile of the server there when it stops (profiling benchmarks).
const profile = process.env.PROPAGATE_PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.PROPAGATE_PROFILE_DIR}`] : [];
const child = spawn(process.execPath, [...profile, path.join(".build", "server.mjs"), ...(dev ? ["--dev"] : [])], {
  stdio: "inherit",
  env: { ...process.env, ...appEnv, PORT: String(config.PORT), ...(dev ? {} : { NODE_ENV: "production" }) },
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => child.kill(signal));
}
child.on("exit", async (code) => {
  await embedded?.stop();
  process.exit(code ?? 0);
});
