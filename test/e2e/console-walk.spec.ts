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

/** One walk: every route in order, as `role` at `width`; what went wrong, by kind. */
async function walk(role: (typeof ROLES)[number], width: (typeof WIDTHS)[number]) {
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
  return { statuses, problems, overflowing };
}

describe("a walk through every route logs nothing wrong", () => {
  // Two walks at once, each as another account (one account's two walks would share its previews'
  // per-person limit): most of a walk is waiting for the network to be idle after each page.
  const pairs = [ROLES.slice(0, 2), ROLES.slice(2)];
  for (const width of WIDTHS) {
    for (const pair of pairs) {
      it(`as ${pair.join(" and ")} at ${width.name} width`, { timeout: 300_000 }, async () => {
        const found = await Promise.all(pair.map((role) => walk(role, width)));
        pair.forEach((role, i) => {
          expect(found[i]!.statuses, `${role}: document statuses`).toEqual([]);
          expect(found[i]!.problems, `${role}: console and network`).toEqual([]);
          expect(found[i]!.overflowing, `${role}: wider than the screen`).toEqual([]);
        });
      });
    }
  }
});
