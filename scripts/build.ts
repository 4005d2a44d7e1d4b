/** `npm run build`: the render worker and the Next.js production bundle. */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { buildRenderWorker } from "./build-worker";

await buildRenderWorker();
const result = spawnSync(process.execPath, [path.join("node_modules", "next", "dist", "bin", "next"), "build"], { stdio: "inherit" });
process.exit(result.status ?? 1);
