import type { Browser } from "playwright-core";
import { hydrated } from "./e2e-accounts";
import { contextFor } from "./site-routes";

export const WALK_PAGE = { title: "Console walk page", slug: "Console_walk_page" };

/**
 * The walk's editor creates a page from the header's Create page and saves a
 * second revision of it, so the walk has a history, a diff and an old
 * revision it knows. Returns the page's slug; a second call finds it there.
 */
export async function createPageThroughEditor(browser: Browser, base: string): Promise<string> {
  if ((await fetch(`${base}/api/pages/${WALK_PAGE.slug}`)).status === 200) return WALK_PAGE.slug;
  const context = await contextFor(browser, base, "editor");
  const page = await context.newPage();
  await page.goto(`${base}/create?title=${encodeURIComponent(WALK_PAGE.title)}`);
  await page.waitForURL(/\/wiki\/Console_walk_page\/edit$/);
  await hydrated(page);
  const source = page.locator("textarea[name=source-editor]");
  await source.fill(`${await source.inputValue()}\nA page the console walk reads.\n`);
  await page.getByRole("button", { name: "Create page" }).click();
  await page.waitForURL(/\/wiki\/Console_walk_page\?created=1$/);
  await page.goto(`${base}/wiki/${WALK_PAGE.slug}/edit`);
  await hydrated(page);
  await source.fill(`${await source.inputValue()}\nA second paragraph, for a diff.\n`);
  await page.getByRole("button", { name: "Save changes" }).click();
  await page.waitForURL(/\/wiki\/Console_walk_page\?saved=1$/);
  await context.close();
  return WALK_PAGE.slug;
}
