/**
 * `npm test`: unit, integration (a fresh database: DATABASE_URL's server or
 * embedded PGlite) and end-to-end tests in Debian's Chromium. Without
 * Chromium the e2e tests are reported as skipped, loudly; in CI that fails.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { chromiumPath } from "../test/support/browser";

const browser = chromiumPath();
const projects = ["unit", "integration", ...(browser ? ["e2e"] : [])];
const extra = process.argv.slice(2);
mkdirSync(".build", { recursive: true });
const report = ".build/test-report.json";
const result = spawnSync(
  process.execPath,
  [
    "node_modules/vitest/vitest.mjs",
    "run",
    ...projects.flatMap((p) => ["--project", p]),
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${report}`,
    ...extra,
  ],
  { stdio: "inherit" },
);

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const json = JSON.parse(readFileSync(report, "utf8")) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  };
  passed = json.numPassedTests;
  failed = json.numFailedTests;
  skipped = json.numPendingTests + json.numTodoTests;
} catch {
  failed = Math.max(failed, 1);
}

let code = result.status ?? 1;
if (!browser) {
  console.log("\nE2E SKIPPED: no Chromium found (looked for CHROMIUM_PATH, /usr/bin/chromium). Install it with: apt-get install -y chromium");
  if (process.env.CI) {
    console.log("CI requires the end-to-end tests: failing.");
    code = 1;
  }
}
if (!browser) console.log("(the e2e suite was skipped: no Chromium)");
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(code === 0 && failed === 0 ? 0 : code || 1);
