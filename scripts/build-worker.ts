import { build } from "esbuild";

/** Bundle the MDX render worker to .build/render-worker.mjs (dependencies stay external). */
export async function buildRenderWorker(): Promise<void> {
  await build({
    entryPoints: ["lib/mdx/render-worker.ts"],
    outfile: ".build/render-worker.mjs",
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    jsx: "automatic",
    tsconfig: "tsconfig.json",
    logLevel: "warning",
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildRenderWorker();
}
