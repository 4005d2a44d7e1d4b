import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchBrowser } from "../support/browser";
import { hydrated } from "../support/e2e-accounts";

// Issue 14, item 7: the article body travels once, in the HTML, not again in
// the React Server Components payload; pages still hydrate, and a client-side
// navigation to a page still shows its body.
let browser: Browser;
const base = () => inject("baseUrl");
const SENTENCE = "carrying familiar habits into a shared space";

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** A fresh reader's tab, recording uncaught errors and console errors (hydration mismatches among them). */
async function reader(): Promise<{ page: Page; errors: string[] }> {
  const page = await (await browser.newContext()).newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  return { page, errors };
}

describe("the article body is sent once", () => {
  it("the HTML holds the body's text once, outside the RSC payload scripts, both rendered and from the cache", async () => {
    for (const view of ["first", "cached"]) {
      const html = await (await fetch(`${base()}/wiki/Adoption?redirectedfrom=Body_once`, { headers: { "Accept-Encoding": "identity" } })).text();
      expect(html.split(SENTENCE).length - 1, `${view} view`).toBe(1);
      const payload = [...html.matchAll(/<script[^>]*>self\.__next_f\.push\([^<]*<\/script>/g)].map((m) => m[0]).join("");
      expect(payload.length, `${view} view has a payload`).toBeGreaterThan(0);
      expect(payload).not.toContain("familiar habits");
    }
  });

  it("a page loaded directly hydrates without errors and keeps its body", async () => {
    const { page, errors } = await reader();
    await page.goto(`${base()}/wiki/Adoption`, { waitUntil: "load" });
    await hydrated(page);
    await page.getByRole("button", { name: "Copy link" }).waitFor();
    expect(await page.locator(".prose").innerText()).toContain(SENTENCE);
    expect(errors).toEqual([]);
  });

  it("a client-side navigation to a page shows its body, read from the page's own HTML", async () => {
    const { page, errors } = await reader();
    await page.goto(`${base()}/pages`, { waitUntil: "load" });
    await hydrated(page);
    // Marks this document: a full page load would lose it, a client-side navigation keeps it.
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 14));
    await page.getByRole("link", { name: "Adoption", exact: true }).click();
    await page.waitForURL(/\/wiki\/Adoption$/);
    await page.locator(".prose").getByRole("heading", { name: "Social learning", level: 2 }).waitFor();
    expect(await page.locator(".prose").innerText()).toContain(SENTENCE);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(14);
    expect(errors).toEqual([]);
  });
});
