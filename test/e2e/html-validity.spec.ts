/**
 * The Nu HTML Checker (vnu-jar, run with the machine's Java) finds no error
 * in the HTML of any route, as the server sends it to a reader who is signed
 * out and to an administrator (who sees every tool).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser } from "playwright-core";
import { launchBrowser } from "../support/browser";
import { contextFor, siteRoutes, type Role, type SiteRoute } from "../support/site-routes";
import { createPageThroughEditor } from "../support/walk-page";

const base = () => inject("baseUrl");
const vnuJar = createRequire(import.meta.url)("vnu-jar") as string;
let browser: Browser;
let routes: SiteRoute[];
let dir: string;

beforeAll(async () => {
  browser = await launchBrowser();
  routes = await siteRoutes(base(), await createPageThroughEditor(browser, base()));
  dir = mkdtempSync(path.join(tmpdir(), "propagate-vnu-"));
}, 180_000);
afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

type VnuMessage = { type: string; subType?: string; url: string; message: string; extract?: string; lastLine?: number };

/** The checker's errors for these files (warnings and info are not errors). */
async function vnuErrors(files: string[]): Promise<VnuMessage[]> {
  // vnu exits 1 when it reports errors; its JSON report is on stderr either way.
  const run = await promisify(execFile)("java", ["-Xss8m", "-jar", vnuJar, "--format", "json", "--errors-only", ...files], { maxBuffer: 64 * 1024 * 1024 }).catch(
    (error: { stderr?: string; code?: number | string }) => {
      if (error.code === "ENOENT") throw new Error("Java is missing: install it (apt-get install -y default-jre-headless) to run the Nu HTML Checker.");
      return { stderr: error.stderr ?? "" };
    },
  );
  const report = JSON.parse(run.stderr) as { messages: VnuMessage[] };
  return report.messages.filter((m) => m.type === "error" || m.subType === "fatal");
}

describe("the Nu HTML Checker", () => {
  it.each<Role>(["anonymous", "admin"])("reports no error on any route, as %s", { timeout: 240_000 }, async (role) => {
    const context = await contextFor(browser, base(), role);
    const files: string[] = [];
    for (const [i, route] of routes.entries()) {
      const res = await context.request.get(base() + route.path, { maxRedirects: 5 });
      expect(res.status(), route.path).toBe(route.status ?? 200);
      const file = path.join(dir, `${role}-${i}.html`);
      writeFileSync(file, await res.text());
      files.push(file);
    }
    await context.close();
    const errors = (await vnuErrors(files)).map((m) => {
      const route = routes[Number(/-(\d+)\.html$/.exec(m.url)?.[1])]?.path;
      return `${route} line ${m.lastLine}: ${m.message} ${m.extract ? `(${m.extract.trim().slice(0, 120)})` : ""}`;
    });
    expect(errors).toEqual([]);
  });
});
