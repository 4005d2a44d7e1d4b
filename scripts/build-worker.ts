import { build, stop } from "esbuild";

/**
 * Bundle the code that runs outside Next.js's own build (dependencies stay
 * external): the CPU worker (MDX validation and rendering) to .build/cpu-worker.mjs, the front
 * server with its page cache to .build/server.mjs and the application server (Next.js) it forks
 * to .build/app-server.mjs.
 */
export async function buildRenderWorker(): Promise<void> {
  await build({
    entryPoints: { "cpu-worker": "scripts/cpu-worker.ts", server: "scripts/server.ts", "app-server": "scripts/app-server.ts" },
    outdir: ".build",
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    // The application server imports server modules (the mail loop, the database); outside React's
    // react-server conditions the "server-only" package throws, and these bundles are server code.
    alias: { "server-only": "./scripts/server-only-stub.ts" },
    jsx: "automatic",
    tsconfig: "tsconfig.json",
    logLevel: "warning",
  });
  // End esbuild's service process: the launcher that called this stays running beside the wiki.
  await stop();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildRenderWorker();
}
