import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchBrowser } from "../support/browser";

let browser: Browser;
let page: Page;
const base = () => inject("baseUrl");

beforeAll(async () => {
  browser = await launchBrowser();
  page = await browser.newPage();
});
afterAll(async () => {
  await browser?.close();
});

describe("reading the seeded wiki", () => {
  it("the home page shows a matrix row for each of the four differences in the origin post", async () => {
    await page.goto(base() + "/");
    await expect(page.locator("h1").textContent()).resolves.toBe("Propagate");
    const rows = page.locator(".matrix-table tbody tr");
    expect(await rows.count()).toBeGreaterThanOrEqual(4);
    const text = (await page.locator(".matrix-table").innerText()).toLowerCase();
    for (const phrase of ["adoption", "tool", "media", "mandate"]) expect(text).toContain(phrase);
  });

  it("a difference page shows its TKM side and its SL side", async () => {
    await page.goto(base() + "/");
    await page.locator(".matrix-table a", { hasText: "Adoption" }).first().click();
    await page.waitForURL(/\/wiki\/Adoption$/);
    const tkm = page.locator(".comparison-page .comparison-tkm");
    const sl = page.locator(".comparison-page .comparison-sl");
    await expect(tkm.locator("h2").textContent()).resolves.toBe("Traditional knowledge management");
    await expect(sl.locator("h2").textContent()).resolves.toBe("Social learning");
    expect((await tkm.innerText()).length).toBeGreaterThan(40);
    expect((await sl.innerText()).length).toBeGreaterThan(40);
    // A client-side navigation: the body comes from the page's own HTML a moment after the rest (article-body.tsx).
    await page.locator(".prose h2").first().waitFor();
  });

  it("an unknown page answers 404 and offers to create it", async () => {
    const response = await page.goto(base() + "/wiki/No_such_page_here");
    expect(response?.status()).toBe(404);
    await expect(page.locator(".create-page a").first().getAttribute("href")).resolves.toBe("/wiki/No_such_page_here/edit");
  });

  it("a non-canonical title redirects to the canonical URL", async () => {
    const response = await page.goto(base() + "/wiki/one_tool__or_many");
    expect(response?.url()).toBe(base() + "/wiki/One_tool_or_many");
    expect(response?.status()).toBe(200);
  });

  it("the health endpoint reports the database mode, migrations and pages", async () => {
    const res = await fetch(base() + "/api/health");
    const body = (await res.json()) as { status: string; database: { mode: string; migrations: { current: boolean } }; pages: number };
    expect(res.status).toBe(200);
    expect(body.status).toBe("ok");
    expect(["embedded", "server"]).toContain(body.database.mode);
    expect(body.database.migrations.current).toBe(true);
    expect(body.pages).toBeGreaterThanOrEqual(10);
  });
});
