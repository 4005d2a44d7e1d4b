import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Locator, Page } from "playwright-core";
import { launchBrowser } from "../support/browser";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { seriousAxeViolations } from "../support/axe";
import { vnuErrors } from "../support/vnu";
import { hydrated, signUpViaForm, writeTokenHeaders } from "../support/e2e-accounts";

// Discussing a passage (issue 20): select words on a page, start a thread about them,
// and follow the passage through edits: elsewhere (anchored), rewritten (re-anchored), deleted (orphaned).
let browser: Browser;
const base = () => inject("baseUrl");
const member = { name: "Pia Passage", email: "pia@e2e.example", password: "copper meadow lantern 41" };
const source = (body: string) => `---\ntitle: "Passages"\nkind: concept\nsummary: Anchored discussions.\ntags: []\n---\n\n${body}`;

const PASSAGE = "social learning grows in conversation between peers";
const paragraphs = {
  first: "The nursery keeps young plants until they are strong.",
  second: `Howard Johnson wrote that ${PASSAGE}, not in a repository.`,
  third: "The garden is where the plants meet the weather.",
};
const body = (p = paragraphs) => [p.first, p.second, p.third].join("\n\n") + "\n";
const SL_SIDE = "People pick simple tools and learn from each other as they work.";
const difference = `---\ntitle: "Passage sides"\nkind: difference\nsummary: Sides to discuss.\ndimension: Tools\ntkm: "A mandated system for everyone."\nsl: "${SL_SIDE}"\ntags: []\n---\n\nThe body of the page.\n`;

let auth: Record<string, string> = {};
let latest = 0;

/** Save a revision through the API; a busy machine (a worker starting) can push a check past its deadline: try again. */
async function saveRevision(title: string, content: string, baseRevisionId: number | null): Promise<number> {
  const send = () => fetch(`${base()}/api/pages/${title}/revisions`, { method: "POST", headers: auth, body: JSON.stringify({ content, summary: "edit", baseRevisionId }) });
  let response = await send();
  for (let retry = 0; retry < 3 && response.status === 422 && (await response.clone().text()).includes("check-failed"); retry++) response = await send();
  expect(response.status, await response.clone().text()).toBe(201);
  return ((await response.json()) as { revision: { id: number } }).revision.id;
}

async function save(content: string) {
  latest = await saveRevision("Passages", content, latest || null);
  return latest;
}

async function threads(title = "Passages") {
  const response = await fetch(`${base()}/api/pages/${title}/talk`, { headers: auth });
  return ((await response.json()) as { threads: { id: number; anchorStatus?: string; target?: { selector: { type: string; exact?: string }[] }; orphanedAtRevisionId?: number | null }[] }).threads;
}

/** Select `words` inside `within` (as a drag or Shift+arrows would; the page reacts to the selection changing). */
async function select(page: Page, words: string, within = ".prose") {
  await page.evaluate(([w, selector]: [string, string]) => {
    const body = document.querySelector(selector)!;
    const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = (node as Text).data.indexOf(w);
      if (at === -1) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + w.length);
      const selection = window.getSelection()!;
      selection.removeAllRanges();
      selection.addRange(range);
      return;
    }
    throw new Error(`"${w}" is not on the page`);
  }, [words, within] as [string, string]);
}

/** The Nu HTML Checker's errors in these pages' HTML as the server sends it (signed out: the pages are shared). */
async function htmlErrors(paths: string[]) {
  const dir = mkdtempSync(path.join(tmpdir(), "propagate-passages-"));
  try {
    const files = await Promise.all(
      paths.map(async (p, i) => {
        const file = path.join(dir, `${i}.html`);
        writeFileSync(file, await (await fetch(`${base()}${p}`)).text());
        return file;
      }),
    );
    return await vnuErrors(files);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  browser = await launchBrowser();
  const page = await (await browser.newContext()).newPage();
  await signUpViaForm(page, base(), member);
  auth = await writeTokenHeaders(page, base(), "passages");
  await save(source(body()));
  await saveRevision("Passage_sides", difference, null);
  await page.context().close();
});
afterAll(async () => {
  await browser?.close();
});

/**
 * Press "Start thread" and wait for the thread's page. Every e2e browser posts from 127.0.0.1, so
 * the specs before this one may have used the address's ten posts per ten seconds: told to wait,
 * the reader waits and presses again, as a person would. Any other error fails with its words.
 */
async function startThread(page: Page, dialog: Locator): Promise<void> {
  const threadPage = /\/talk\/\d+#post-\d+$/;
  await dialog.getByRole("button", { name: "Start thread" }).click();
  const alert = dialog.getByRole("alert");
  const outcome = await Promise.race([
    page.waitForURL(threadPage, { timeout: 30_000 }).then(
      () => "thread",
      () => "no thread page within 30 s",
    ),
    // The loser of the race is left to time out; neither may reject unhandled.
    alert.waitFor({ timeout: 31_000 }).then(
      async () => `alert: ${await alert.textContent().catch(() => "")}`,
      () => "no thread page and no alert within 30 s",
    ),
  ]);
  if (outcome === "thread") return;
  if (!outcome.includes("posting too fast")) throw new Error(`starting the thread failed: ${outcome}`);
  // The limit counts ten seconds; the alert stays until the next answer, so only the page tells.
  await page.waitForTimeout(11_000);
  await dialog.getByRole("button", { name: "Start thread" }).click();
  await expect.poll(() => page.url(), { timeout: 30_000 }).toMatch(threadPage);
}

describe("discussing a passage", () => {
  it("select, start a thread, then follow the passage through an edit elsewhere, a rewrite and its deletion", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signUpViaForm(page, base(), { ...member, email: "pia2@e2e.example", name: "Pia Second" });
    await page.goto(`${base()}/wiki/Passages`);
    await hydrated(page);

    await select(page, PASSAGE);
    await page.getByRole("button", { name: "Discuss this" }).click();
    const dialog = page.getByRole("dialog", { name: "Discuss this passage" });
    await expect(dialog.locator("blockquote").textContent()).resolves.toBe(PASSAGE);
    await dialog.getByLabel("Thread title").fill("Only between peers?");
    await dialog.getByLabel("Your post").fill("Mentors count too, surely.");
    await startThread(page, dialog);
    // The talk page shows the quote and a link to the passage.
    await expect(page.locator(".thread-passage blockquote").textContent()).resolves.toBe(PASSAGE);
    await hydrated(page);
    await page.getByRole("link", { name: "Go to the passage" }).click();
    await expect.poll(() => page.url(), { timeout: 30_000 }).toMatch(/\/wiki\/Passages#passage-\d+$/);
    await hydrated(page);

    // The passage is a focusable mark with its count; Enter moves to its thread in the side panel.
    const mark = page.locator("mark.passage-mark[tabindex='0']");
    await expect.poll(() => mark.count(), { timeout: 15_000 }).toBe(1);
    await expect(page.locator("mark.passage-mark").allTextContents().then((t) => t.join(""))).resolves.toBe(PASSAGE);
    await expect(page.locator(".passage-count").first().innerText()).resolves.toMatch(/^1/);
    // The marks, their counts and the side panel pass axe's serious and critical checks.
    expect(await seriousAxeViolations(page)).toEqual([]);
    await mark.focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe("Only between peers?");
    const panel = page.getByRole("complementary", { name: /Discussed passages/ });
    await expect(panel.innerText()).resolves.toContain("Passage on the page");

    let [thread] = await threads();
    expect(thread).toMatchObject({ anchorStatus: "anchored" });
    expect(thread!.target!.selector[0]).toMatchObject({ type: "TextQuoteSelector", exact: PASSAGE });

    // An edit elsewhere: still anchored.
    await save(source(body({ ...paragraphs, first: "The nursery keeps young plants safe until they are strong enough." })));
    [thread] = await threads();
    expect(thread).toMatchObject({ anchorStatus: "anchored" });
    await page.goto(`${base()}/wiki/Passages`);
    await hydrated(page);
    await expect.poll(() => page.locator("mark.passage-mark").allTextContents().then((t) => t.join("")), { timeout: 15_000 }).toBe(PASSAGE);

    // The passage rewritten lightly: re-anchored approximately, over the new words.
    const rewritten = "social learning grows in conversations between peers";
    await save(source(body({ ...paragraphs, second: `Howard Johnson wrote that ${rewritten}, not in a repository.` })));
    [thread] = await threads();
    expect(thread).toMatchObject({ anchorStatus: "fuzzy" });
    await page.goto(`${base()}/wiki/Passages`);
    await hydrated(page);
    await expect.poll(() => page.locator("mark.passage-mark").allTextContents().then((t) => t.join("")), { timeout: 15_000 }).toBe(rewritten);
    await expect(panel.innerText()).resolves.toContain("reworded since");
    // The page with its panel, and the talk page with the thread's quote, are valid HTML.
    expect(await htmlErrors(["/wiki/Passages", "/wiki/Passages/talk", `/wiki/Passages/talk/${thread!.id}`])).toEqual([]);

    // The passage deleted: orphaned, with the edit that removed it; its diff says so.
    const removed = await save(source([paragraphs.first, paragraphs.third].join("\n\n") + "\n"));
    [thread] = await threads();
    expect(thread).toMatchObject({ anchorStatus: "orphaned", orphanedAtRevisionId: removed });
    await page.goto(`${base()}/wiki/Passages`);
    await hydrated(page);
    await expect(page.locator("mark.passage-mark").count()).resolves.toBe(0);
    await expect(panel.innerText()).resolves.toContain("no longer on the page");
    await page.goto(`${base()}/wiki/Passages/diff?to=${removed}`);
    await expect(page.getByRole("note").innerText()).resolves.toContain("Only between peers?");
    expect(await htmlErrors([`/wiki/Passages/diff?to=${removed}`, "/wiki/Passages"])).toEqual([]);
    await context.close();
  });

  it("discusses words of the SL side, and carrying a post from that thread into the page cites them", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signUpViaForm(page, base(), { ...member, email: "pia3@e2e.example", name: "Pia Third" });
    await page.goto(`${base()}/wiki/Passage_sides`);
    await hydrated(page);
    await select(page, "learn from each other", ".comparison-sl p");
    await page.getByRole("button", { name: "Discuss this" }).click();
    const dialog = page.getByRole("dialog", { name: "Discuss this passage" });
    await dialog.getByLabel("Thread title").fill("Each other, or mentors?");
    await dialog.getByLabel("Your post").fill("Peers teach, but so do mentors.");
    await dialog.getByRole("button", { name: "Start thread" }).click();
    await expect.poll(() => page.url(), { timeout: 30_000 }).toMatch(/\/talk\/\d+#post-\d+$/);

    // Back on the page the words of the side are marked, reachable with Tab.
    await page.goto(`${base()}/wiki/Passage_sides`);
    await hydrated(page);
    await expect.poll(() => page.locator(".comparison-sl mark.passage-mark").allTextContents().then((t) => t.join("")), { timeout: 15_000 }).toBe("learn from each other");
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = await page.evaluate(() => document.activeElement?.matches("mark.passage-mark") ?? false);
    }
    expect(reached).toBe(true);

    await page.goto(`${base()}/wiki/Passage_sides/talk`);
    await page.locator("a.carry-link").first().click();
    await expect.poll(() => page.url(), { timeout: 30_000 }).toMatch(/\/edit\?carry=\d+$/);
    await hydrated(page);
    await expect(page.locator("textarea[name=source-editor]").inputValue()).resolves.toContain('source="Discussion: Each other, or mentors? about “learn from each other”"');
    await expect(page.locator("input[name=summary]").inputValue()).resolves.toContain("about “learn from each other”");
    await context.close();
  });

  it("marks exactly the words selected inside and after a fenced code block that opens the page, then shows them on the old revision once the code is gone", async () => {
    const code = (body: string) => `---\ntitle: "Code passages"\nkind: concept\nsummary: Code first.\ntags: []\n---\n\n${body}`;
    const first = await saveRevision("Code_passages", code("```\n\nfirst line of code\nsecond line of code\n```\n\nThe words after the code block are discussed.\n\n```\nmore code\n```\n\nAnd the last words.\n"), null);
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signUpViaForm(page, base(), { ...member, email: "pia4@e2e.example", name: "Pia Fourth" });
    const discuss = async (words: string, title: string) => {
      await page.goto(`${base()}/wiki/Code_passages`);
      await hydrated(page);
      await select(page, words);
      await page.getByRole("button", { name: "Discuss this" }).click();
      const dialog = page.getByRole("dialog", { name: "Discuss this passage" });
      await expect(dialog.locator("blockquote").textContent()).resolves.toBe(words);
      await dialog.getByLabel("Thread title").fill(title);
      await dialog.getByLabel("Your post").fill("About these words.");
      await dialog.getByRole("button", { name: "Start thread" }).click();
      await expect.poll(() => page.url(), { timeout: 30_000 }).toMatch(/\/talk\/\d+#post-\d+$/);
    };
    await discuss("second line", "Inside the code");
    await discuss("after the code block", "After the code");
    await discuss("last words", "After two blocks");

    const marked = async () => {
      await hydrated(page);
      const marks = page.locator("mark.passage-mark");
      await expect.poll(() => marks.count(), { timeout: 15_000 }).toBeGreaterThan(0);
      // Each thread's marks, joined: exactly the words that were selected.
      return page.evaluate(() => {
        const byThread: Record<string, string> = {};
        for (const mark of document.querySelectorAll<HTMLElement>("mark.passage-mark")) {
          for (const id of mark.dataset.threads!.split(" ")) byThread[id] = (byThread[id] ?? "") + mark.textContent;
        }
        return Object.values(byThread).sort();
      });
    };
    await page.goto(`${base()}/wiki/Code_passages`);
    await expect(marked()).resolves.toEqual(["after the code block", "last words", "second line"]);

    // The code goes: that thread is orphaned on the current version; the revision it began on still marks all three.
    await saveRevision("Code_passages", code("The words after the code block are discussed.\n\nAnd the last words.\n"), first);
    await page.goto(`${base()}/wiki/Code_passages`);
    await expect(marked()).resolves.toEqual(["after the code block", "last words"]);
    await page.goto(`${base()}/wiki/Code_passages?rev=${first}`);
    await expect(marked()).resolves.toEqual(["after the code block", "last words", "second line"]);
    await expect(page.getByText("Only discussions started on this revision have their passages marked here").isVisible()).resolves.toBe(true);
    await expect(page.getByRole("link", { name: "the current version", exact: true }).getAttribute("href")).resolves.toBe("/wiki/Code_passages");
    // The orphaned thread's talk page links to its passage where it began.
    const inside = (await threads("Code_passages")).find((t) => t.anchorStatus === "orphaned")!;
    await page.goto(`${base()}/wiki/Code_passages/talk/${inside.id}`);
    await expect(page.getByRole("link", { name: "See it where it began" }).getAttribute("href")).resolves.toBe(`/wiki/Code_passages?rev=${first}#passage-${inside.id}`);
    expect(await htmlErrors([`/wiki/Code_passages?rev=${first}`, `/wiki/Code_passages/talk/${inside.id}`])).toEqual([]);
    await context.close();
  });

  it("the JSON API starts a thread about a passage from W3C selectors, and refuses a quote that is not on the revision", async () => {
    const revisions = (await (await fetch(`${base()}/api/pages/Passage_sides/revisions`, { headers: auth })).json()) as { revisions: { id: number }[] };
    const revisionId = revisions.revisions[0]!.id;
    const exact = "A mandated system";
    const post = (selector: unknown[]) =>
      fetch(`${base()}/api/pages/Passage_sides/talk`, { method: "POST", headers: auth, body: JSON.stringify({ title: "Mandated?", body: "Who mandated it?", target: { selector, revisionId } }) });
    const created = await post([
      { type: "TextQuoteSelector", exact, prefix: "", suffix: " for everyone." },
      { type: "TextPositionSelector", start: 0, end: exact.length },
    ]);
    expect(created.status, await created.clone().text()).toBe(201);
    const { thread } = (await created.json()) as { thread: { id: number } };
    const listed = (await threads("Passage_sides")).find((t) => t.id === thread.id);
    expect(listed).toMatchObject({ anchorStatus: "anchored", target: { selector: [{ type: "TextQuoteSelector", exact }, { type: "TextPositionSelector", start: 0, end: exact.length }], revisionId } });
    const refused = await post([{ type: "TextQuoteSelector", exact: "words that are not there" }]);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain("not on that revision");
  });
});
