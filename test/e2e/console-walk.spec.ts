/**
 * Every route, as every kind of reader, at desktop and phone widths: no
 * console error, page error, hydration warning or failed request, the
 * document's status as expected, and nothing wider than the screen.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser } from "playwright-core";
import { launchBrowser } from "../support/browser";
import { hydrated } from "../support/e2e-accounts";
import { contextFor, promoteWalkModerator, ROLES, siteRoutes, watchProblems, type SiteRoute } from "../support/site-routes";
import { createPageThroughEditor } from "../support/walk-page";

const base = () => inject("baseUrl");
let browser: Browser;
let routes: SiteRoute[];

beforeAll(async () => {
  browser = await launchBrowser();
  await promoteWalkModerator(browser, base());
  const slug = await createPageThroughEditor(browser, base());
  routes = await siteRoutes(base(), slug);
}, 180_000);
afterAll(async () => {
  await browser?.close();
});

const WIDTHS = [
  { name: "desktop", viewport: { width: 1280, height: 800 }, isMobile: false },
  { name: "phone", viewport: { width: 390, height: 844 }, isMobile: true },
];

describe("a walk through every route logs nothing wrong", () => {
  for (const role of ROLES) {
    for (const width of WIDTHS) {
      it(`as ${role} at ${width.name} width`, { timeout: 240_000 }, async () => {
        const context = await contextFor(browser, base(), role, { viewport: width.viewport, isMobile: width.isMobile });
        const page = await context.newPage();
        const { problems, at } = watchProblems(page);
        const statuses: string[] = [];
        const overflowing: string[] = [];
        for (const route of routes) {
          at(route.path, route.status);
          const response = await page.goto(base() + route.path, { waitUntil: "load" });
          if (response?.status() !== (route.status ?? 200)) statuses.push(`${route.path}: ${response?.status()}`);
          await hydrated(page);
          // Let the browser's own requests after hydration (the user menu, prefetches) finish and report.
          await page.waitForLoadState("networkidle");
          const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          if (wide > 0) overflowing.push(`${route.path}: ${wide}px too wide`);
        }
        await context.close();
        expect(statuses, "document statuses").toEqual([]);
        expect(problems, "console and network").toEqual([]);
        expect(overflowing, "wider than the screen").toEqual([]);
      });
    }
  }
});
