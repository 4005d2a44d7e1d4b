import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchBrowser } from "../support/browser";
import { hydrated, signUpViaForm } from "../support/e2e-accounts";

// The diff view as a reader sees it (issue 16): moved paragraphs labelled with
// a link to where they went, re-wraps noted, and on a phone the default view
// stacks old above new instead of two narrow columns.
let browser: Browser;
const base = () => inject("baseUrl");
const editor = { name: "Vera Viewdiff", email: "vera@e2e.example", password: "marigold harbour 73" };
const source = (body: string, title = "Diff views") => `---\ntitle: "${title}"\nkind: concept\nsummary: Diff view checks.\ntags: []\n---\n\n${body}`;

const moved = "This paragraph about cuttings moves from the top of the page to its end.";
const steady = (n: number) => `Steady paragraph ${n} stays where it is and keeps the page long enough.`;
const rewrapped = "Learning transfer grows like a cutting taken from a plant in one garden\nand set to root in another, where the soil differs.";
const rewrappedWide = "Learning transfer grows like a cutting taken from a plant in one garden and set to root\nin another, where the soil differs.";
const before = [moved, steady(1), "The nursery keeps young plants until they are strong.", rewrapped, steady(2), steady(3)].join("\n\n") + "\n";
const after = [steady(1), "The nursery keeps seedlings until they are strong.", rewrappedWide, steady(2), steady(3), moved].join("\n\n") + "\n";

let diffUrl = "";
let auth: Record<string, string> = {};

beforeAll(async () => {
  browser = await launchBrowser();
  const page = await (await browser.newContext()).newPage();
  await signUpViaForm(page, base(), editor);
  await page.goto(`${base()}/profile`);
  await hydrated(page);
  await page.fill("input[placeholder='e.g. link checker']", "diff views");
  await page.selectOption("select[name=scope]", "write");
  await page.locator("form", { has: page.locator("select[name=scope]") }).locator("button[type=submit]").click();
  const token = (await page.locator("[data-testid=new-token]").textContent()) ?? "";
  auth = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
  const first = await fetch(`${base()}/api/pages/Diff_views/revisions`, { method: "POST", headers: auth, body: JSON.stringify({ content: source(before), summary: "first", baseRevisionId: null }) });
  expect(first.status).toBe(201);
  const from = ((await first.json()) as { revision: { id: number } }).revision.id;
  const second = await fetch(`${base()}/api/pages/Diff_views/revisions`, { method: "POST", headers: auth, body: JSON.stringify({ content: source(after), summary: "moves", baseRevisionId: from }) });
  expect(second.status).toBe(201);
  const to = ((await second.json()) as { revision: { id: number } }).revision.id;
  diffUrl = `${base()}/wiki/Diff_views/diff?from=${from}&to=${to}`;
});
afterAll(async () => {
  await browser?.close();
});

/** Errors the browser reports while `visit` runs (console errors, page errors, hydration warnings). */
async function browserErrors(page: Page, visit: () => Promise<void>): Promise<string[]> {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" || /hydrat/i.test(message.text())) errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  await visit();
  return errors;
}

describe("the diff view", () => {
  it("labels a moved paragraph with links between its two places, readable without hover", async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const errors = await browserErrors(page, async () => {
      await page.goto(diffUrl);
      await hydrated(page);
    });
    const to = page.getByRole("link", { name: /^moved to line \d+$/ });
    await expect(to.isVisible()).resolves.toBe(true);
    const line = (await to.textContent())!.match(/\d+/)![0];
    await to.click();
    await expect.poll(() => page.url()).toMatch(/#moved-1-new$/);
    // The row it leads to says where the paragraph came from, and shows the paragraph at the promised line.
    const back = page.getByRole("link", { name: /^moved here from line \d+$/ });
    await expect(back.isVisible()).resolves.toBe(true);
    const target = page.getByRole("row").filter({ has: back });
    await expect(target.getByRole("cell", { name: line, exact: true }).count()).resolves.toBe(1);
    await expect(target.textContent()).resolves.toContain(moved);

    await expect(page.getByText("re-wrapped: same words, new line breaks").first().isVisible()).resolves.toBe(true);
    expect(errors).toEqual([]);
  });

  it("on a phone, defaults to old above new at full width; side by side stays a choice", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const errors = await browserErrors(page, async () => {
      await page.goto(diffUrl);
      await hydrated(page);
    });
    await expect(page.getByRole("link", { name: "automatic" }).getAttribute("aria-current")).resolves.toBe("true");
    const oldCell = page.getByRole("cell", { name: "The nursery keeps young plants until they are strong." });
    const newCell = page.getByRole("cell", { name: "The nursery keeps seedlings until they are strong." });
    const [oldBox, newBox] = [await oldCell.boundingBox(), await newCell.boundingBox()];
    expect(newBox!.y).toBeGreaterThanOrEqual(oldBox!.y + oldBox!.height - 1);
    expect(newBox!.width).toBeGreaterThan(390 * 0.6);
    expect(errors).toEqual([]);

    await page.getByRole("link", { name: "side by side" }).click();
    await expect.poll(() => page.url()).toMatch(/view=side/);
    await page.getByRole("link", { name: "side by side" }).and(page.locator("[aria-current=true]")).waitFor();
    const [sideOld, sideNew] = [
      await page.getByRole("cell", { name: "The nursery keeps young plants until they are strong." }).boundingBox(),
      await page.getByRole("cell", { name: "The nursery keeps seedlings until they are strong." }).boundingBox(),
    ];
    expect(Math.abs(sideNew!.y - sideOld!.y)).toBeLessThan(2);
    expect(sideNew!.x).toBeGreaterThan(sideOld!.x);
  });
});

describe("blame of a page with a block per line", () => {
  it("is paged, so its view stays bounded, and the pager leads to the later lines", async () => {
    const body = (edited: boolean) => Array.from({ length: 700 }, (_, i) => `Line ${i}${edited && i % 2 === 1 ? " edited" : ""}`).join("\n") + "\n";
    const first = await fetch(`${base()}/api/pages/Blame_pages/revisions`, { method: "POST", headers: auth, body: JSON.stringify({ content: source(body(false), "Blame pages"), summary: "lines", baseRevisionId: null }) });
    expect(first.status).toBe(201);
    const from = ((await first.json()) as { revision: { id: number } }).revision.id;
    const second = await fetch(`${base()}/api/pages/Blame_pages/revisions`, { method: "POST", headers: auth, body: JSON.stringify({ content: source(body(true), "Blame pages"), summary: "every other line", baseRevisionId: from }) });
    expect(second.status).toBe(201);

    const page = await (await browser.newContext()).newPage();
    await page.goto(`${base()}/wiki/Blame_pages/blame`);
    const pager = page.getByRole("navigation", { name: "Pages of blame" }).first();
    await expect(pager.textContent()).resolves.toMatch(/page 1 of [2-9]/);
    await expect(page.getByRole("row").count()).resolves.toBeLessThanOrEqual(300);
    await pager.getByRole("link", { name: "later lines →" }).click();
    await expect.poll(() => page.url()).toMatch(/\/blame\?page=2$/);
    await expect(page.getByRole("navigation", { name: "Pages of blame" }).first().textContent()).resolves.toMatch(/page 2 of/);
    await expect(page.getByRole("link", { name: "← earlier lines" }).first().isVisible()).resolves.toBe(true);
    // An anonymous reader who opens either address (page 1 is in the page cache by now) gets that page, twice.
    for (const [url, pageNumber] of [[`/wiki/Blame_pages/blame?page=2`, 2], [`/wiki/Blame_pages/blame`, 1], [`/wiki/Blame_pages/blame?page=2`, 2]] as const) {
      const html = await (await fetch(base() + url)).text();
      expect(html, url).toMatch(new RegExp(`page (<!-- -->)?${pageNumber}(<!-- -->)? of`));
    }
  });
});
