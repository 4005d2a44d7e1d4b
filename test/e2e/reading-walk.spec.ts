import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { seriousAxeViolations } from "../support/axe";
import { launchBrowser } from "../support/browser";

let browser: Browser;
let context: BrowserContext;
let page: Page;
const base = () => inject("baseUrl");

beforeAll(async () => {
  browser = await launchBrowser();
  // axe is injected as a script, which the page's CSP would otherwise refuse.
  context = await browser.newContext({ bypassCSP: true });
  page = await context.newPage();
});
afterAll(async () => {
  await browser?.close();
});

describe("a reader's walk through the wiki", () => {
  it("home → matrix filtered by a tag → difference page → wiki link → what links here → search", async () => {
    await page.goto(base() + "/");
    await page.locator(".tag-filter a", { hasText: /^governance$/ }).click();
    await page.waitForURL(/\?tag=governance/);
    const rows = page.locator(".matrix-table tbody tr");
    const rowCount = await rows.count();
    expect(rowCount).toBeGreaterThanOrEqual(1);
    expect(rowCount).toBeLessThan(5);
    await expect(page.locator(".matrix-table").innerText()).resolves.toMatch(/mandate/i);

    await page.locator(".matrix-table tbody th a").first().click();
    await page.waitForURL(/\/wiki\/Mandate_or_pull$/);
    await expect(page.locator(".comparison-page .comparison-tkm").innerText()).resolves.toMatch(/top down/i);
    await expect(page.locator(".comparison-page .comparison-sl").innerText()).resolves.toMatch(/bottom up/i);

    const link = page.locator(".prose a.wikilink:not(.new)", { hasText: /social learning/i }).first();
    await link.click();
    await page.waitForURL(/\/wiki\/Social_learning$/);
    await expect(page.locator("h1").textContent()).resolves.toBe("Social learning");

    const backlinks = page.locator(".backlinks a");
    await expect(backlinks.allTextContents()).resolves.toContain("Mandate or pull");

    await page.fill("#site-search-q", "vodcasts");
    await page.press("#site-search-q", "Enter");
    await page.waitForURL(/\/search\?q=vodcasts/);
    await expect(page.locator(".search-results li").first().locator(".search-title").textContent()).resolves.toBe(
      "Media and ways to contribute",
    );
    await expect(page.locator(".search-results mark").first().textContent()).resolves.toBe("vodcasts");
  });

  it("a link to a missing page is a red link that leads to creating it", async () => {
    await page.goto(base() + "/wiki/Social_learning");
    const red = page.locator("a.wikilink.new", { hasText: /communities of practice/i }).first();
    await expect(red.getAttribute("href")).resolves.toBe("/wiki/Communities_of_practice/edit");
    const blue = page.locator("a.wikilink:not(.new)").first();
    await expect(blue.getAttribute("href")).resolves.toMatch(/^\/wiki\/[^/]+$/);
  });

  it("an absurd search query gets a clear message, not an error", async () => {
    const response = await page.goto(base() + "/search?q=" + "x".repeat(10_000));
    expect(response?.status()).toBe(200);
    await expect(page.locator(".search-message").textContent()).resolves.toMatch(/at most 200 characters/);
    const syntax = await page.goto(base() + "/search?q=" + encodeURIComponent("&|!():*"));
    expect(syntax?.status()).toBe(200);
  });

  it.each(["/wiki/%E0%A4", "/tags/%E0%A4", "/wiki/%E0%A4/history", "/wiki/Adoption/diff?from=abc", "/users/%E0%A4"])("malformed address %s gets a clear answer, not a server error", async (path) => {
    const response = await page.goto(base() + path);
    expect(response?.status()).toBeLessThan(500);
  });

  it("tag pages list the pages carrying a tag", async () => {
    await page.goto(base() + "/tags");
    await page.locator(".tag-cloud a", { hasText: /^metaphor$/ }).click();
    await page.waitForURL(/\/tags\/metaphor$/);
    await expect(page.locator(".page-list a").allTextContents()).resolves.toContain("Nursery and garden");
  });

  it("the permanent link names the exact revision being read", async () => {
    await page.goto(base() + "/wiki/Adoption");
    const href = await page.locator(".permalink a").getAttribute("href");
    expect(href).toMatch(/^\/wiki\/Adoption\?rev=\d+$/);
    const response = await page.goto(base() + href);
    expect(response?.status()).toBe(200);
    const missing = await page.goto(base() + "/wiki/Adoption?rev=999999");
    expect(missing?.status()).toBe(404);
  });

  it.each(["/", "/wiki/Adoption", "/wiki/Nursery_and_garden", "/search?q=garden", "/tags", "/help/editing"])(
    "%s has no serious accessibility violations (axe-core)",
    async (path) => {
      await page.goto(base() + path);
      const violations = await seriousAxeViolations(page);
      expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
    },
  );

  it("stays readable at phone width: the comparison sides stack", async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await phone.goto(base() + "/wiki/Adoption");
    const tkm = await phone.locator(".comparison-page .comparison-tkm").boundingBox();
    const sl = await phone.locator(".comparison-page .comparison-sl").boundingBox();
    expect(tkm && sl && sl.y > tkm.y + tkm.height - 1).toBe(true);
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await phone.close();
  });
});
