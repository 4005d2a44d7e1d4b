import { parseFeed } from "@rowanmanning/feed-parser";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchBrowser } from "../support/browser";
import { hydrated, signUpViaForm } from "../support/e2e-accounts";

let browser: Browser;
let editorContext: BrowserContext;
let page: Page;
const base = () => inject("baseUrl");
const editor = { name: "Edna Editor", email: "edna@e2e.example", password: "tangerine submarine 42" };

/** Wait until the page's address matches (robust to navigations started from scripts). */
async function until(p: Page, pattern: RegExp) {
  await expect.poll(() => p.url(), { timeout: 30_000, interval: 100 }).toMatch(pattern);
  await p.waitForLoadState("domcontentloaded");
}

async function openEditor(p: Page, slug: string) {
  await p.goto(`${base()}/wiki/${slug}/edit`);
  await hydrated(p);
  await p.locator("textarea.source[name=source-editor]").waitFor();
}

beforeAll(async () => {
  browser = await launchBrowser();
  editorContext = await browser.newContext();
  page = await editorContext.newPage();
  await signUpViaForm(page, base(), editor);
});
afterAll(async () => {
  await browser?.close();
});

describe("editing a difference page", () => {
  it("edits the SL side with a summary, then finds it in the history, the diffs, recent changes and the watchlist", async () => {
    await openEditor(page, "Mandate_or_pull");
    await page.fill("textarea[name=field-sl]", "People pull social learning in from the bottom up, and ask colleagues to join.");
    await expect(page.locator("textarea[name=source-editor]").inputValue()).resolves.toContain("ask colleagues to join");
    await page.fill("input[name=summary]", "Sharper SL side");
    await page.locator(".preview .prose").waitFor();
    await page.click("button.primary");
    await until(page, /\/wiki\/Mandate_or_pull\?saved=1$/);
    await page.locator(".comparison-page").waitFor();
    await expect(page.locator(".comparison-page .comparison-sl").innerText()).resolves.toContain("ask colleagues to join");

    await page.goto(`${base()}/wiki/Mandate_or_pull/history`);
    const newest = page.locator(".history li").first();
    await expect(newest.innerText()).resolves.toContain("Sharper SL side");
    await expect(newest.innerText()).resolves.toContain(editor.name);
    await page.click("#compare-revisions button");
    await until(page, /\/diff\?(?=.*from=\d+)(?=.*to=\d+)/);
    await expect(page.locator(".diff-fields").innerText()).resolves.toContain("SL side changed");
    await expect(page.locator(".diff-table.side").count()).resolves.toBeGreaterThan(0);
    await page.locator(".diff-tools a", { hasText: "inline" }).click();
    await until(page, /view=inline/);
    await expect(page.locator(".diff-table.inline ins").count()).resolves.toBeGreaterThan(0);

    await page.goto(`${base()}/recent-changes`);
    await expect(page.locator(".changes li").first().innerText()).resolves.toContain("Mandate or pull");
    await page.goto(`${base()}/watchlist`);
    await expect(page.locator(".changes").innerText()).resolves.toContain("Mandate or pull");
  });

  it("reverts to the older revision from the history", async () => {
    await page.goto(`${base()}/wiki/Mandate_or_pull/history`);
    await hydrated(page);
    const older = page.locator(".history li").nth(1);
    const olderId = await older.getAttribute("data-revision");
    await older.locator("button", { hasText: "restore" }).click();
    await page.locator(".history li").first().locator(".badge", { hasText: `revert to r${olderId}` }).waitFor();
    await page.goto(`${base()}/wiki/Mandate_or_pull`);
    await expect(page.locator(".comparison-page .comparison-sl").innerText()).resolves.not.toContain("ask colleagues to join");
  });

  it("shows invalid MDX inline with line and column, keeps the text, saves nothing", async () => {
    await openEditor(page, "Adoption");
    const before = await (await fetch(`${base()}/api/pages/Adoption`)).json() as { revision: { id: number } };
    const source = await page.locator("textarea[name=source-editor]").inputValue();
    const broken = source + "\n<script>alert(1)</script>\n";
    await page.fill("textarea[name=source-editor]", broken);
    await page.click("button.primary");
    const errors = page.locator("#editor-issues");
    await expect(errors.innerText()).resolves.toMatch(/Line \d+, column \d+/);
    await expect(page.locator("textarea[name=source-editor]").inputValue()).resolves.toBe(broken);
    const after = await (await fetch(`${base()}/api/pages/Adoption`)).json() as { revision: { id: number } };
    expect(after.revision.id).toBe(before.revision.id);
  });

  it("offers the autosaved draft back after a reload", async () => {
    await openEditor(page, "Social_learning");
    await page.fill("input[name=summary]", "draft test");
    const source = await page.locator("textarea[name=source-editor]").inputValue();
    await page.fill("textarea[name=source-editor]", source + "\nA sentence I must not lose.\n");
    await page.waitForTimeout(900);
    page.once("dialog", (d) => void d.accept());
    await page.reload();
    await hydrated(page);
    await page.locator(".draft-offer button", { hasText: "Restore draft" }).click();
    await expect(page.locator("textarea[name=source-editor]").inputValue()).resolves.toContain("A sentence I must not lose.");
  });

  it("the Tags and Sources boxes keep what is typed, commas and new lines included, and write the list into the source", async () => {
    await openEditor(page, "Managing_resources_or_growing_knowledge");
    const tags = page.locator("input[name=field-tags]");
    await tags.click();
    await tags.press("End");
    await tags.pressSequentially(", new-tag");
    await expect(tags.inputValue()).resolves.toMatch(/, new-tag$/);
    await expect(page.locator("textarea[name=source-editor]").inputValue()).resolves.toMatch(/tags:[\s\S]*- new-tag/);
    const sources = page.locator("textarea[name=field-sources]");
    if (!(await sources.getAttribute("readonly"))) {
      await sources.click();
      await sources.press("End");
      await sources.pressSequentially("\nWenger 1998");
      await expect(sources.inputValue()).resolves.toMatch(/\nWenger 1998$/);
      await expect(page.locator("textarea[name=source-editor]").inputValue()).resolves.toContain("Wenger 1998");
    }
  });

  it("asks before an in-app link leaves unsaved changes, and stays when told to", async () => {
    await openEditor(page, "Knowledge_resource_management");
    await page.fill("input[name=summary]", "not saved");
    await page.fill("textarea[name=source-editor]", (await page.locator("textarea[name=source-editor]").inputValue()) + "\nUnsaved words.\n");
    const asked = new Promise<string>((resolve) => page.once("dialog", (d) => void d.dismiss().then(() => resolve(d.type()))));
    await page.click("a:has-text('Back to the page')");
    expect(await asked).toBe("confirm");
    await page.waitForTimeout(300);
    expect(page.url()).toMatch(/\/edit$/);
    await expect(page.locator("textarea[name=source-editor]").inputValue()).resolves.toContain("Unsaved words.");
    // Leave for real (the next test starts elsewhere).
    page.once("dialog", (d) => void d.accept());
    await page.click("a:has-text('Back to the page')");
    await expect.poll(() => page.url()).not.toMatch(/\/edit$/);
  });

  it("a new page's Start as links change its template", async () => {
    await page.goto(`${base()}/wiki/Brand_new_e2e_page/edit`);
    await hydrated(page);
    await expect(page.locator("textarea[name=source-editor]").inputValue()).resolves.toContain("kind: concept");
    await page.click(".edit-page a:has-text('difference')");
    await expect.poll(() => page.locator("textarea[name=source-editor]").inputValue()).toContain("kind: difference");
    await page.locator("textarea[name=field-tkm]").waitFor();
  });

  it("a restored draft is saved against the revision it was written on: edits made since are merged, not lost", async () => {
    await openEditor(page, "Social_learning");
    const source = await page.locator("textarea[name=source-editor]").inputValue();
    await page.fill("textarea[name=source-editor]", source + "\nA drafted sentence to merge.\n");
    await page.waitForTimeout(900);
    // Meanwhile someone else edits the top of the page.
    const otherContext = await browser.newContext();
    const other = await otherContext.newPage();
    await signUpViaForm(other, base(), { name: "Dora Draft", email: "dora@e2e.example", password: "periwinkle anchor 5" });
    await openEditor(other, "Social_learning");
    const theirs = (await other.locator("textarea[name=source-editor]").inputValue()).replace(/^summary: .*$/m, 'summary: "Edited meanwhile by Dora."');
    await other.fill("textarea[name=source-editor]", theirs);
    await other.click("button.primary");
    await until(other, /\/wiki\/Social_learning\?saved=1$/);
    await otherContext.close();

    page.once("dialog", (d) => void d.accept());
    await page.reload();
    await hydrated(page);
    await page.locator(".draft-offer button", { hasText: "Restore draft" }).click();
    await page.click("button.primary");
    await until(page, /\/wiki\/Social_learning\?(merged|saved)=1$/);
    const saved = (await (await fetch(`${base()}/api/pages/Social_learning`)).json()) as { revision: { content: string } };
    expect(saved.revision.content).toContain("A drafted sentence to merge.");
    expect(saved.revision.content).toContain("Edited meanwhile by Dora.");
  });

  it("a second browser editing the same page concurrently gets a merge or a conflict, never a silent overwrite", async () => {
    const otherContext = await browser.newContext();
    const other = await otherContext.newPage();
    await signUpViaForm(other, base(), { name: "Otto Other", email: "otto@e2e.example", password: "marmalade bicycle 9" });
    await openEditor(page, "Nursery_and_garden");
    await openEditor(other, "Nursery_and_garden");
    const src = await page.locator("textarea[name=source-editor]").inputValue();
    const lines = src.split("\n");
    const bodyStart = lines.indexOf("---", 1) + 1;
    const firstBodyLine = lines.findIndex((l, i) => i > bodyStart && l.trim().length > 40 && !l.startsWith("<"));
    const mine = [...lines];
    mine[firstBodyLine] = "Edna rewrote this sentence entirely.";
    const theirs = [...lines];
    theirs[firstBodyLine] = "Otto rewrote the very same sentence.";
    await page.fill("textarea[name=source-editor]", mine.join("\n"));
    await page.click("button.primary");
    await until(page, /\/wiki\/Nursery_and_garden(\?|$)/);
    await other.fill("textarea[name=source-editor]", theirs.join("\n"));
    await other.click("button.primary");
    await other.locator(".conflict").waitFor();
    await expect(other.locator(".conflict").innerText()).resolves.toContain("Edit conflict");
    await expect(other.locator("textarea[name=source-editor]").inputValue()).resolves.toContain("Otto rewrote the very same sentence.");
    const current = await (await fetch(`${base()}/api/pages/Nursery_and_garden`)).json() as { revision: { content: string } };
    expect(current.revision.content).toContain("Edna rewrote this sentence entirely.");
    expect(current.revision.content).not.toContain("Otto rewrote");
    await otherContext.close();
  });

  it("blame credits each block of the current text to the revision and author that wrote it", async () => {
    await page.goto(`${base()}/wiki/Nursery_and_garden/blame`);
    const block = page.locator(".blame tr", { hasText: "Edna rewrote this sentence entirely." });
    await expect(block.locator(".blame-who").innerText()).resolves.toContain(editor.name);
    await expect(page.locator(".blame tr").first().locator(".blame-who").innerText()).resolves.toContain("Content import");
  });
});

describe("the JSON API with a personal token", () => {
  let token = "";
  it("creates a write token on the profile page", async () => {
    await page.goto(`${base()}/profile`);
    await hydrated(page);
    await page.fill("input[placeholder='e.g. link checker']", "e2e bot");
    await page.selectOption("select[name=scope]", "write");
    await page.locator("form", { has: page.locator("select[name=scope]") }).locator("button[type=submit]").click();
    token = (await page.locator("[data-testid=new-token]").textContent()) ?? "";
    expect(token).toMatch(/^prop_/);
  });

  it("reads, refuses invalid MDX with 422, refuses a stale base that conflicts with 409, and saves with 201", async () => {
    const auth = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
    const got = (await (await fetch(`${base()}/api/pages/Adoption`)).json()) as { revision: { id: number; content: string; fields: { sl: string } } };
    expect(got.revision.fields.sl.length).toBeGreaterThan(10);
    const bad = await fetch(`${base()}/api/pages/Adoption/revisions`, { method: "POST", headers: auth, body: JSON.stringify({ content: got.revision.content + "\n{process.env.DATABASE_URL}\n", baseRevisionId: got.revision.id }) });
    expect(bad.status).toBe(422);
    const badBody = (await bad.json()) as { error: { code: string; issues: { line: number; column: number }[] } };
    expect(badBody.error.code).toBe("invalid:content");
    expect(badBody.error.issues[0]).toMatchObject({ line: expect.any(Number), column: expect.any(Number) });

    const ok = await fetch(`${base()}/api/pages/Adoption/revisions`, { method: "POST", headers: auth, body: JSON.stringify({ content: got.revision.content.replace("## Overview", "## Overview (API)"), summary: "via API", baseRevisionId: got.revision.id }) });
    expect(ok.status).toBe(201);
    const saved = (await ok.json()) as { revision: { id: number; parentId: number } };
    expect(saved.revision.parentId).toBe(got.revision.id);

    const stale = await fetch(`${base()}/api/pages/Adoption/revisions`, { method: "POST", headers: auth, body: JSON.stringify({ content: got.revision.content.replace("## Overview", "## Overview (stale)"), baseRevisionId: got.revision.id }) });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { error: { theirs: string } }).error.theirs).toContain("## Overview (API)");

    const diff = await fetch(`${base()}/api/pages/Adoption/diff?from=${got.revision.id}&to=${saved.revision.id}`);
    expect(diff.status).toBe(200);
    expect(((await diff.json()) as { stats: { changed: number } }).stats.changed).toBe(1);
    expect((await fetch(`${base()}/api/pages/Adoption/revisions/999999`)).status).toBe(404);
    expect((await fetch(`${base()}/api/pages/Adoption/diff?from=1&to=abc`)).status).toBe(400);
  });

  it("refuses writes without a token and with a read-only one", async () => {
    const res = await fetch(`${base()}/api/pages/Adoption/revisions`, { method: "POST", headers: { "Content-Type": "application/json", Origin: base() }, body: JSON.stringify({ content: "x", baseRevisionId: null }) });
    expect(res.status).toBe(401);
  });

  it("publishes an OpenAPI document and valid Atom feeds", async () => {
    const doc = (await (await fetch(`${base()}/api/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/api/pages/{slug}/revisions", "/api/pages/{slug}/diff", "/api/pages/{slug}/revert"]));
    for (const path of ["/feeds/recent-changes", "/feeds/history/Adoption"]) {
      const res = await fetch(base() + path);
      expect(res.headers.get("content-type")).toContain("application/atom+xml");
      const feed = parseFeed(await res.text());
      expect(feed.meta.type).toBe("atom");
      expect(feed.items.length).toBeGreaterThan(0);
      expect(feed.items[0]!.content ?? feed.items[0]!.description ?? "").toMatch(/bytes/);
    }
  });
});
