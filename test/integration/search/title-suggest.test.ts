import { beforeAll, describe, expect, it } from "vitest";
import { searchPages } from "@/lib/search/search";
import { TITLE_SUGGESTIONS, titlesLike } from "@/lib/search/title-suggest";
import { importContent } from "@/lib/wiki/content-import";
import { savePage } from "@/lib/wiki/page-updater";
import { getPageView } from "@/lib/wiki/page-view";
import { revisionNumber } from "@/lib/wiki/revision-number";
import { buildPage, buildUser, conceptSource } from "../../support/factories";
import { resetDatabase, testDb } from "../../support/db";

beforeAll(async () => {
  await resetDatabase();
  await importContent(testDb(), "content");
});

describe("title suggestions as you type", () => {
  it("offers titles starting with what was typed, whatever its case, first", async () => {
    const titles = (await titlesLike(testDb(), "nurs")).map((t) => t.title);
    expect(titles[0]).toBe("Nursery and garden");
  });

  it("then titles containing it, from three characters on", async () => {
    expect((await titlesLike(testDb(), "garden")).map((t) => t.title)).toContain("Nursery and garden");
    expect(await titlesLike(testDb(), "ar")).toEqual([]);
  });

  it("offers at most a handful, and nothing for what cannot be a title", async () => {
    const db = testDb();
    const author = await buildUser(db);
    for (let i = 0; i < TITLE_SUGGESTIONS + 3; i++) await buildPage(db, `Suggested page ${i}`, conceptSource(`Suggested page ${i}`), author);
    expect(await titlesLike(db, "Suggested")).toHaveLength(TITLE_SUGGESTIONS);
    expect(await titlesLike(db, "a#b")).toEqual([]);
    expect(await titlesLike(db, "%_%")).toEqual([]);
  });
});

describe("search snippets", () => {
  it("keep a page's fields and tags apart", async () => {
    const outcome = await searchPages(testDb(), "bottom");
    if (outcome.status !== "results") throw new Error("expected results");
    const mandate = outcome.hits.find((h) => h.slug === "Mandate_or_pull");
    expect(mandate?.snippet).toContain(" · ");
  });
});

describe("revision numbers within a page", () => {
  it("count a page's own revisions, whatever the site-wide ids", async () => {
    const db = testDb();
    const author = await buildUser(db);
    const first = await buildPage(db, "Numbered page", conceptSource("Numbered page", "One.\n"), author);
    await buildPage(db, "Another numbered page", conceptSource("Another numbered page"), author);
    const second = await savePage(db, { title: "Numbered page", content: conceptSource("Numbered page", "Two.\n"), authorId: author.id, baseRevisionId: first.revision.id });
    if (second.status !== "saved") throw new Error("expected a save");
    expect(first.revision.id).toBeGreaterThan(1);
    expect(await revisionNumber(db, first.page.id, first.revision.id)).toBe(1);
    expect(await revisionNumber(db, first.page.id, second.revision.id)).toBe(2);
    // The page view shows the same numbers, for the latest and for an old revision.
    expect((await getPageView(db, "Numbered_page"))?.revisionNumber).toBe(2);
    expect((await getPageView(db, "Numbered_page", first.revision.id))?.revisionNumber).toBe(1);
  });
});
