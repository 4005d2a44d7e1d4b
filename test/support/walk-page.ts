import type { Browser } from "playwright-core";
import { hydrated } from "./e2e-accounts";
import { png } from "./media-files";
import { contextFor } from "./site-routes";

export const WALK_PAGE = { title: "Console walk page", slug: "Console_walk_page" };
/** The file the walks visit: its File: page, history and talk. */
export const WALK_FILE = { name: "Walk picture.png", slug: "File:Walk_picture.png" };

/** The walk's editor uploads a picture (once), so the walks cover a file page. */
async function uploadWalkFile(browser: Browser, base: string): Promise<void> {
  if ((await fetch(`${base}/wiki/${WALK_FILE.slug}`)).status === 200) return;
  const context = await contextFor(browser, base, "editor");
  const answer = await context.request.post(`${base}/api/files`, {
    headers: { Origin: base },
    multipart: { file: { name: WALK_FILE.name, mimeType: "image/png", buffer: await png(90, 60, { r: 120, g: 160, b: 40 }) }, name: WALK_FILE.name, summary: "A picture for the walks" },
  });
  if (answer.status() !== 201) throw new Error(`the walk's upload was answered ${answer.status()}: ${await answer.text()}`);
  await context.close();
}

/**
 * The walk's editor creates a page from the header's Create page and saves a
 * second revision of it, so the walk has a history, a diff and an old
 * revision it knows, and uploads WALK_FILE. Returns the page's slug; a second
 * call finds them there.
 */
export async function createPageThroughEditor(browser: Browser, base: string): Promise<string> {
  await uploadWalkFile(browser, base);
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
