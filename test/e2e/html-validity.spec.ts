/**
 * The Nu HTML Checker (vnu-jar, run with the machine's Java) finds no error
 * in the HTML of any route, as the server sends it to a reader who is signed
 * out and to an administrator (who sees every tool).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser } from "playwright-core";
import { launchBrowser } from "../support/browser";
import { contextFor, siteRoutes, type Role, type SiteRoute } from "../support/site-routes";
import { vnuErrors } from "../support/vnu";
import { createPageThroughEditor } from "../support/walk-page";

const base = () => inject("baseUrl");
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
