import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchBrowser } from "../support/browser";
import { hydrated, signUpViaForm, writeTokenHeaders } from "../support/e2e-accounts";

// Adversary pass on discussed passages (issue 20, second round), in a browser: the offsets the page's script counts
// must stay the server's after the page changes its own DOM (a click-to-load Embed), or a selection after it names
// other words, and the thread is about a twin paragraph the reader never chose.
let browser: Browser;
const base = () => inject("baseUrl");
const member = { name: "Ada Adversary", email: "ada-adv20@e2e.example", password: "quartz harbour violin 73" };
let auth: Record<string, string> = {};

const TWIN = "Same words, in the same place, making the same claim.";
const source = `---\ntitle: "Twin paragraphs"\nkind: concept\nsummary: Repeated paragraphs after an embed.\ntags: []\n---\n\n<Embed provider="youtube" id="dQw4w9WgXcQ" title="A talk" />\n\n${Array.from({ length: 5 }, () => TWIN).join("\n\n")}\n`;

async function saveRevision(title: string, content: string) {
  const send = () => fetch(`${base()}/api/pages/${title}/revisions`, { method: "POST", headers: auth, body: JSON.stringify({ content, summary: "twins", baseRevisionId: null }) });
  let response = await send();
  for (let retry = 0; retry < 3 && response.status === 422 && (await response.clone().text()).includes("check-failed"); retry++) response = await send();
  expect(response.status, await response.clone().text()).toBe(201);
}

/** Select the words of the `index`-th paragraph of the body (0-based). */
async function selectParagraph(page: Page, index: number) {
  await page.evaluate((i: number) => {
    const paragraph = document.querySelectorAll(".prose > p")[i]!;
    const range = document.createRange();
    range.selectNodeContents(paragraph);
    const selection = window.getSelection()!;
    selection.removeAllRanges();
    selection.addRange(range);
  }, index);
}

beforeAll(async () => {
  browser = await launchBrowser();
  const page = await (await browser.newContext()).newPage();
  await signUpViaForm(page, base(), member);
  auth = await writeTokenHeaders(page, base(), "adversary-passages");
  await saveRevision("Twin_paragraphs", source);
  await page.context().close();
});
afterAll(async () => {
  await browser?.close();
});

describe("passages after a click-to-load embed", () => {
  it("a paragraph selected after the reader loaded the player is the one discussed and marked, not a twin before it", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // The player's address is never fetched here (no network in tests).
    await context.route(/youtube/, (route) => route.abort());
    const page = await context.newPage();
    await signUpViaForm(page, base(), { ...member, email: "ada2-adv20@e2e.example", name: "Ada Second" });
    await page.goto(`${base()}/wiki/Twin_paragraphs`);
    await hydrated(page);
    await page.getByRole("button", { name: "Play “A talk” from YouTube" }).click();
    await page.locator('iframe[title="A talk"]').waitFor({ state: "attached" });

    const paragraphs = page.locator(".prose > p");
    const fourth = await paragraphs.evaluateAll((ps) => ps.findIndex((p, i) => p.textContent === "Same words, in the same place, making the same claim." && ps.slice(0, i).filter((q) => q.textContent === p.textContent).length === 3));
    expect(fourth).toBeGreaterThan(0);
    await selectParagraph(page, fourth);
    await page.getByRole("button", { name: "Discuss this" }).click();
    const dialog = page.getByRole("dialog", { name: "Discuss this passage" });
    await expect(dialog.locator("blockquote").textContent()).resolves.toBe(TWIN);
    await dialog.getByLabel("Thread title").fill("The fourth one");
    await dialog.getByLabel("Your post").fill("About the fourth paragraph only.");
    await dialog.getByRole("button", { name: "Start thread" }).click();
    await expect.poll(() => page.url(), { timeout: 30_000 }).toMatch(/\/talk\/\d+#post-\d+$/);

    await page.goto(`${base()}/wiki/Twin_paragraphs`);
    await hydrated(page);
    const marks = page.locator("mark.passage-mark");
    await expect.poll(() => marks.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    // The mark is in the paragraph the reader selected, and in no other.
    const marked = await paragraphs.evaluateAll((ps) => ps.flatMap((p, i) => (p.querySelector("mark.passage-mark") ? [i] : [])));
    expect(marked).toEqual([fourth]);
    await context.close();
  });
});
