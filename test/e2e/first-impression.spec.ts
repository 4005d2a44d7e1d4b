/**
 * What a newcomer does first: find a page by its title as they type, create
 * a page from the header and land on it, search for a missing title and
 * create it, use the menus and the access keys.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchBrowser } from "../support/browser";
import { hydrated, signInOrUp } from "../support/e2e-accounts";

const base = () => inject("baseUrl");
const newcomer = { name: "Ada Newcomer", email: "ada.newcomer@e2e.example", password: "violet thunder quay 38" };
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  // The first account of an empty wiki becomes its administrator (lib/users/accounts.ts): make sure
  // somebody came before the newcomer, whichever spec runs first, so that she is a member.
  const founder = await browser.newContext();
  await signInOrUp(await founder.newPage(), base(), { name: "Wiki Founder", email: "founder@e2e.example", password: "amber orchard lantern 52" });
  await founder.close();
  context = await browser.newContext();
  page = await context.newPage();
  await signInOrUp(page, base(), newcomer);
});
afterAll(async () => {
  await browser?.close();
});

type Revision = { revision: { id: number; content: string } };

describe("a newcomer's first steps", () => {
  it("creates a page from the header's Create page and lands on it, told that it was created", async () => {
    await page.goto(base() + "/");
    await hydrated(page);
    await page.getByRole("link", { name: "Create page" }).click();
    await page.waitForURL(/\/create$/);
    await page.getByRole("combobox", { name: "Title" }).fill("First steps of Ada");
    await page.getByRole("button", { name: "Open the editor" }).click();
    await page.waitForURL(/\/wiki\/First_steps_of_Ada\/edit$/);
    await hydrated(page);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Creating First steps of Ada");
    const source = page.locator("textarea[name=source-editor]");
    // A browser sends a textarea's lines with CRLF; what is stored has LF only.
    await source.fill(`${await source.inputValue()}\nA first line.\nA second line.\n`);
    await page.fill("input[name=summary]", "A first page");
    await page.getByRole("button", { name: "Create page" }).click();
    await page.waitForURL(/\/wiki\/First_steps_of_Ada\?created=1$/, { timeout: 30_000 });
    // The browser shows it once it knows who is reading (from /api/me): its author.
    await page.getByRole("status").filter({ hasText: "The page was created" }).waitFor();
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("First steps of Ada");
    // The saved text is offered back nowhere: the editor forgot its draft.
    await page.goto(`${base()}/wiki/First_steps_of_Ada/edit`);
    await hydrated(page);
    await expect(page.locator(".draft-offer").count()).resolves.toBe(0);
    await expect(page.getByText("Editing revision 1 of this page.").count()).resolves.toBe(1);
    // The history's compare buttons are named by the page's own numbers too (adversary pass: they used the site-wide id).
    await page.goto(`${base()}/wiki/First_steps_of_Ada/history`);
    await expect(page.getByRole("radio", { name: "Compare to revision 1" }).count()).resolves.toBe(1);
    const saved = (await (await fetch(`${base()}/api/pages/First_steps_of_Ada`)).json()) as Revision;
    expect(saved.revision.content).toContain("A first line.\nA second line.\n");
    expect(saved.revision.content).not.toContain("\r");
  });

  it("Create page for an existing title says where that page is", async () => {
    await page.goto(`${base()}/create?title=${encodeURIComponent("adoption")}`);
    await expect(page.getByRole("status").textContent()).resolves.toMatch(/A page with this title exists: Adoption/);
    await expect(page.getByRole("status").getByRole("link", { name: "Adoption" }).getAttribute("href")).resolves.toBe("/wiki/Adoption");
  });

  it("suggests titles as you type, and the keyboard alone opens one", async () => {
    await page.goto(base() + "/");
    await hydrated(page);
    const box = page.getByRole("combobox", { name: "Search Propagate" });
    await box.pressSequentially("nurs");
    const option = page.getByRole("option", { name: "Nursery and garden" });
    await option.waitFor();
    await expect(box.getAttribute("aria-expanded")).resolves.toBe("true");
    await box.press("ArrowDown");
    await expect(option.getAttribute("aria-selected")).resolves.toBe("true");
    await expect(box.getAttribute("aria-activedescendant")).resolves.toBe(await option.getAttribute("id"));
    await box.press("Enter");
    await page.waitForURL(/\/wiki\/Nursery_and_garden$/);
    // Escape closes the list without leaving the box.
    const again = page.getByRole("combobox", { name: "Search Propagate" });
    await again.fill("");
    await again.pressSequentially("gard");
    await page.getByRole("option").first().waitFor();
    await again.press("Escape");
    await expect(page.getByRole("listbox", { includeHidden: true }).isHidden()).resolves.toBe(true);
    await expect(again.inputValue()).resolves.toBe("gard");
  });

  it("a search for an exact title opens the page; for a missing title it offers to create it", async () => {
    await page.goto(`${base()}/search?q=${encodeURIComponent("nursery and garden")}`);
    await page.waitForURL(/\/wiki\/Nursery_and_garden$/);
    await page.goto(`${base()}/search?q=${encodeURIComponent("Communities of practice")}`);
    const create = page.getByRole("link", { name: "Create the page “Communities of practice”" });
    await expect(create.getAttribute("href")).resolves.toBe("/wiki/Communities_of_practice/edit");
  });

  it("the page's More menu holds blame, the permanent link and page information; the user menu holds the member's pages", async () => {
    await page.goto(`${base()}/wiki/Adoption`);
    await hydrated(page);
    await page.getByText("More", { exact: true }).click();
    const more = page.locator(".more-menu");
    await expect(more.getByRole("link", { name: "Blame" }).getAttribute("href")).resolves.toBe("/wiki/Adoption/blame");
    await expect(more.getByRole("link", { name: "Permanent link" }).getAttribute("href")).resolves.toMatch(/^\/wiki\/Adoption\?rev=\d+$/);
    await expect(more.getByRole("link", { name: "Page information" }).getAttribute("href")).resolves.toBe("/wiki/Adoption#page-information");
    // Moderators' tools are not there for a member, nor anywhere in the reading view.
    await expect(page.getByRole("button", { name: "Delete" }).count()).resolves.toBe(0);
    await page.locator(".user-menu summary").click();
    await expect(page.locator(".user-menu").getByRole("link", { name: "Watchlist" }).isVisible()).resolves.toBe(true);
    await page.keyboard.press("Escape");
    await expect(page.locator(".user-menu").getByRole("link", { name: "Watchlist" }).isVisible()).resolves.toBe(false);
  });

  it("MediaWiki's access keys: e edit, h history, t talk, c page, f search, s save", async () => {
    await page.goto(`${base()}/wiki/Adoption`);
    const keys = await page.locator("[accesskey]").evaluateAll((els) => els.map((e) => `${e.getAttribute("accesskey")}:${e.getAttribute("href") ?? e.getAttribute("id")}`));
    expect(keys).toEqual(expect.arrayContaining(["f:site-search-q", "c:/wiki/Adoption", "t:/wiki/Adoption/talk", "e:/wiki/Adoption/edit", "h:/wiki/Adoption/history"]));
    await page.goto(`${base()}/wiki/Adoption/edit`);
    await expect(page.getByRole("button", { name: "Save changes" }).getAttribute("accesskey")).resolves.toBe("s");
  });

  it("a crafted ?created=1 link tells a guest and another member nothing; the author sees it again", async () => {
    const guest = await browser.newPage();
    await guest.goto(`${base()}/wiki/First_steps_of_Ada?created=1`);
    // Hydrated: the header knows who is reading, and so would the notice.
    await hydrated(guest);
    await expect(guest.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("First steps of Ada");
    await expect(guest.getByText("The page was created").count()).resolves.toBe(0);
    await guest.goto(`${base()}/wiki/Adoption?saved=1`);
    await hydrated(guest);
    await expect(guest.getByText("Your edit was saved").count()).resolves.toBe(0);
    await guest.close();
    // Another member, signed in, is told nothing either.
    const other = await browser.newContext();
    const otherPage = await other.newPage();
    await signInOrUp(otherPage, base(), { name: "Wiki Founder", email: "founder@e2e.example", password: "amber orchard lantern 52" });
    await otherPage.goto(`${base()}/wiki/First_steps_of_Ada?created=1`);
    await hydrated(otherPage);
    await expect(otherPage.getByText("The page was created").count()).resolves.toBe(0);
    await other.close();
    // The author of the latest revision, just after saving, is told (from the same cached copy).
    await page.goto(`${base()}/wiki/First_steps_of_Ada?created=1`);
    await page.getByRole("status").filter({ hasText: "The page was created" }).waitFor();
  });

  it("a guest is asked to sign in before rating, instead of seeing buttons that refuse", async () => {
    const guest = await browser.newPage();
    await guest.goto(`${base()}/wiki/Adoption`);
    await hydrated(guest);
    const ask = guest.getByText("to rate this page.");
    await ask.waitFor();
    await expect(guest.getByRole("button", { name: /Rate \d out of 5/ }).count()).resolves.toBe(0);
    await guest.close();
  });

  it("/users/Ada_Newcomer is Ada Newcomer's contributions", async () => {
    const res = await page.goto(`${base()}/users/Ada_Newcomer`);
    expect(res?.status()).toBe(200);
    expect(page.url()).toBe(`${base()}/users/Ada%20Newcomer`);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Contributions of Ada Newcomer");
    // The link to older contributions keeps its place through the same redirect.
    await page.goto(`${base()}/users/Ada_Newcomer?before=999999`);
    expect(page.url()).toBe(`${base()}/users/Ada%20Newcomer?before=999999`);
  });

  it("a difference page's preview shows its two sides, so an edit to a side shows", async () => {
    await page.goto(`${base()}/wiki/Mandate_or_pull/edit`);
    await hydrated(page);
    await page.fill("textarea[name=field-sl]", "People pull it in, and the preview shows it.");
    await expect.poll(() => page.locator(".preview .comparison-sl").innerText()).toContain("the preview shows it");
    page.once("dialog", (d) => void d.accept());
    await page.goto(`${base()}/`);
  });
});
