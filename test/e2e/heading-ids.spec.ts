import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchBrowser } from "../support/browser";
import { hydrated, signUpViaForm } from "../support/e2e-accounts";

let browser: Browser;
const base = () => inject("baseUrl");
const author = { name: "Gilda Globals", email: "gilda@e2e.example", password: "marmalade lighthouse 7" };
const slug = "Named_after_globals";

/** Heading texts that, as bare ids, would shadow a global of Next.js or the browser (named access on window). */
const GLOBALS = ["__next_f", "__next_s", "__NEXT_DATA__", "__webpack_require__", "self", "document", "location", "top", "name"];

const source = [
  "---",
  "title: Named after globals",
  "kind: article",
  "summary: Headings named after the globals of Next.js and of the browser.",
  "---",
  "",
  "Jump to [the first one](#__next_f) or to [the last one](<#name>).",
  "",
  // Underscores escaped, so the text is the global's name and not emphasis.
  ...GLOBALS.flatMap((g) => [`## ${g.replace(/_/g, "\\_")}`, "", `A section named ${g.replace(/_/g, "\\_")}[^${g}].`, ""]),
  ...GLOBALS.map((g) => `[^${g}]: A footnote labelled ${g.replace(/_/g, "\\_")}.`),
  "",
].join("\n");

beforeAll(async () => {
  browser = await launchBrowser();
  const context = await browser.newContext();
  const page = await context.newPage();
  await signUpViaForm(page, base(), author);
  await page.goto(`${base()}/wiki/${slug}/edit`);
  await hydrated(page);
  await page.locator("textarea.source[name=source-editor]").waitFor();
  await page.fill("textarea[name=source-editor]", source);
  await page.fill("input[name=summary]", "Headings named after globals");
  await page.locator(".preview .prose").waitFor();
  await page.click("button.primary");
  // Wait for the revision itself (after creating a page the editor may stay on its own address).
  const deadline = Date.now() + 30_000;
  while ((await fetch(`${base()}/api/pages/${slug}`)).status !== 200) {
    if (Date.now() > deadline) throw new Error(`The page was not saved: ${await page.locator("main").innerText()}`);
    await page.waitForTimeout(200);
  }
  await context.close();
});
afterAll(async () => {
  await browser?.close();
});

/** Open the page as a reader, recording uncaught page errors from the start. */
async function read(path: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext();
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base() });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  await page.goto(base() + path, { waitUntil: "load" });
  return { page, errors };
}

describe("a page whose headings are named after Next.js and browser globals", () => {
  // Twice: the second view is answered from the server's page cache.
  it.each(["first view", "cached view"])("hydrates and works in Chromium (%s)", async () => {
    const { page, errors } = await read(`/wiki/${slug}`);
    await hydrated(page);

    // No content id is a global's name, and the globals Next.js needs are its own, not elements.
    const shadowed = await page.evaluate((names) => {
      const w = window as unknown as Record<string, unknown>;
      return names.filter((n) => document.getElementById(n) !== null || w[n] instanceof Element);
    }, GLOBALS);
    expect(shadowed).toEqual([]);

    // A client component needs hydration to respond.
    await page.getByRole("button", { name: "Copy link" }).click();
    await page.getByRole("button", { name: "Link copied" }).waitFor({ timeout: 5_000 });

    // The table of contents lands on its heading.
    const contents = page.getByRole("navigation", { name: "Contents" });
    await contents.getByRole("link", { name: "__webpack_require__" }).click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe("#user-content-__webpack_require__");
    const heading = page.getByRole("heading", { name: "__webpack_require__", level: 2 });
    await expect.poll(() => heading.evaluate((h) => h.getBoundingClientRect().top)).toBeLessThan(200);

    // So do links written in the content as #__next_f and #name.
    await page.locator(".prose").getByRole("link", { name: "the first one" }).click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe("#user-content-__next_f");
    await page.locator(".prose").getByRole("link", { name: "the last one" }).click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe("#user-content-name");

    // Footnote references reach their notes.
    const notes = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLAnchorElement>(".prose a[data-footnote-ref]")].map((a) => document.getElementById(decodeURIComponent(a.hash.slice(1))) !== null),
    );
    expect(notes).toEqual(GLOBALS.map(() => true));

    expect(errors).toEqual([]);
    await page.context().close();
  });
});
