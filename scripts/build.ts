/** `npm run build`: the render worker and the Next.js production bundle. */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { buildIsStale, recordBuildStarting } from "./build-inputs";
import { buildRenderWorker } from "./build-worker";

await buildRenderWorker();
// Record the inputs as pending, so that `npm start` after this build knows it was made from them and does not build again.
recordBuildStarting();
const result = spawnSync(process.execPath, [path.join("node_modules", "next", "dist", "bin", "next"), "build"], { stdio: "inherit" });
// The record now names the new BUILD_ID as made from these inputs.
if (result.status === 0) buildIsStale();
process.exit(result.status ?? 1);
