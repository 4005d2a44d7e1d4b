import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { savePageCommand } from "@/lib/commands/wiki/save-page";
import { revisions } from "@/lib/db/schema";
import { changeFeed, settleSummaryFill } from "@/lib/feeds/change-feed";
import { cachedFeed, purgeFeeds } from "@/lib/feeds/feed-cache";
import { searchPages } from "@/lib/search/search";
import { keysetRequest, formatCursor as formatKeyset } from "@/lib/wiki/keyset";
import { pageBlame } from "@/lib/wiki/page-blame";
import { getPageBySlug, listDifferences, listPages, listPagesWithTag, listTags } from "@/lib/wiki/page-store";
import { savePage } from "@/lib/wiki/page-updater";
import { cursorOf, listRecentChanges } from "@/lib/wiki/recent-changes";
import { actorOf, run } from "../../support/commands";
import { resetDatabase, testDb } from "../../support/db";
import { buildPage, buildUser, conceptSource, differenceSource } from "../../support/factories";

beforeEach(resetDatabase);

async function differences(n: number) {
  const db = testDb();
  const author = await buildUser(db);
  for (let i = 0; i < n; i++) {
    const letter = String.fromCharCode(65 + ((i * 7) % 26));
    await buildPage(db, `Diff ${i}`, differenceSource(`Diff ${i}`, { dimension: `${letter} dimension ${i}`, tags: i % 2 ? ["odd"] : ["even"] }), author);
  }
  return { db, author };
}

describe("listings are keyset pages", () => {
  it("the overview walks every difference page once, forwards and back, sorted by dimension in the database", async () => {
    const { db } = await differences(7);
    await buildPage(db, "Concept", conceptSource("Concept"));
    const seen: string[] = [];
    let page = await listDifferences(db, { page: { limit: 3 } });
    expect(page.prev).toBeNull();
    const pages = [page];
    seen.push(...page.rows.map((r) => r.dimension));
    while (page.next) {
      page = await listDifferences(db, { page: { after: page.next, limit: 3 } });
      pages.push(page);
      seen.push(...page.rows.map((r) => r.dimension));
    }
    expect(seen).toHaveLength(7);
    expect(seen).toEqual([...seen].sort());
    expect(pages.map((p) => p.rows.length)).toEqual([3, 3, 1]);
    // Back from the last page: the middle page again, with links both ways.
    const back = await listDifferences(db, { page: { before: pages[2]!.prev!, limit: 3 } });
    expect(back.rows.map((r) => r.slug)).toEqual(pages[1]!.rows.map((r) => r.slug));
    expect(back.prev).not.toBeNull();
    expect(back.next).not.toBeNull();
  });

  it("filters the overview by tag and sorts it by title in the database", async () => {
    const { db } = await differences(6);
    const odd = await listDifferences(db, { tag: "odd", sort: "title", page: { limit: 10 } });
    expect(odd.rows.map((r) => r.title)).toEqual(["Diff 1", "Diff 3", "Diff 5"]);
    expect(odd.next).toBeNull();
  });

  it("All pages, tags and a tag's pages come in pages with cursors from the query string", async () => {
    const { db } = await differences(5);
    const first = await listPages(db, { limit: 2 });
    expect(first.rows.map((p) => p.title)).toEqual(["Diff 0", "Diff 1"]);
    const second = await listPages(db, keysetRequest({ after: formatKeyset(first.next!) }, 2));
    expect(second.rows.map((p) => p.title)).toEqual(["Diff 2", "Diff 3"]);
    // A malformed cursor is the first page, never an error.
    expect((await listPages(db, keysetRequest({ after: "%%not-a-cursor" }, 2))).rows.map((p) => p.title)).toEqual(["Diff 0", "Diff 1"]);
    const tags = await listTags(db, { limit: 1 });
    expect(tags.rows).toEqual([{ tag: "even", pages: 3 }]);
    expect((await listTags(db, { after: tags.next!, limit: 1 })).rows).toEqual([{ tag: "odd", pages: 2 }]);
    const even = await listPagesWithTag(db, "even", { limit: 2 });
    expect(even.rows.map((p) => p.title)).toEqual(["Diff 0", "Diff 2"]);
    expect(even.rows[0]?.summary).toBe("How Diff 0 differs.");
    expect((await listPagesWithTag(db, "even", { after: even.next!, limit: 2 })).rows.map((p) => p.title)).toEqual(["Diff 4"]);
  });

  it("recent changes page by an exact cursor: nothing skipped or repeated, even at equal times", async () => {
    const { db } = await differences(5);
    // Give every revision the same time: only the (stream, id) part of the cursor orders them.
    await db.update(revisions).set({ createdAt: new Date("2026-01-01T00:00:00.123456Z") }).where(eq(revisions.isMinor, false));
    const all = (await listRecentChanges(db, { limit: 50 })).map((e) => (e.type === "edit" ? e.revisionId : -1));
    const first = await listRecentChanges(db, { limit: 2 });
    const rest = await listRecentChanges(db, { limit: 50, cursor: { position: cursorOf(first.at(-1)!), direction: "older" } });
    expect([...first, ...rest].map((e) => (e.type === "edit" ? e.revisionId : -1))).toEqual(all);
    const newer = await listRecentChanges(db, { limit: 1, cursor: { position: cursorOf(rest[0]!), direction: "newer" } });
    expect(newer.map((e) => (e.type === "edit" ? e.revisionId : -1))).toEqual([all[1]]);
  });
});

describe("what a save stores for later readers", () => {
  it("stores the one-line diff summary with each revision, and feeds show it without diffing", async () => {
    const db = testDb();
    const author = await buildUser(db);
    const first = await buildPage(db, "Mandate", differenceSource("Mandate", { sl: "Pulled." }), author);
    const saved = await savePage(db, { title: "Mandate", content: differenceSource("Mandate", { sl: "Pushed.", body: "One line.\nTwo lines.\n" }), authorId: author.id, baseRevisionId: first.revision.id });
    if (saved.status !== "saved") throw new Error("expected a save");
    expect(first.revision.diffSummary).toMatch(/lines: \d+ added/);
    expect(saved.revision.diffSummary).toMatch(/SL side changed/);
    expect(saved.listingChanged).toBe(true);
    const entries = await listRecentChanges(db, { limit: 10 });
    const xml = await changeFeed(db, entries, { id: "x", title: "t", link: "http://x", selfLink: "http://x/f", origin: "http://x" });
    expect(xml).toContain("SL side changed");
  });

  it("a feed built from revisions without a stored summary shows the size change, then fills the summary in after the build", async () => {
    const db = testDb();
    const page = await buildPage(db, "Old", conceptSource("Old", "Some text.\n"));
    await db.update(revisions).set({ diffSummary: null }).where(eq(revisions.id, page.revision.id));
    const meta = { id: "x", title: "t", link: "http://x", selfLink: "http://x/f", origin: "http://x" };
    const first = await changeFeed(db, await listRecentChanges(db, { limit: 10 }), meta);
    expect(first).toContain(`+${page.revision.length} bytes`);
    expect(first).not.toMatch(/lines: \d+ added/);
    await settleSummaryFill();
    const [row] = await db.select({ s: revisions.diffSummary }).from(revisions).where(eq(revisions.id, page.revision.id));
    expect(row?.s).toMatch(/added/);
    expect(await changeFeed(db, await listRecentChanges(db, { limit: 10 }), meta)).toMatch(/lines: \d+ added/);
  });

  it("a save purges this server's cached feeds; an unrelated build started before it is not kept", async () => {
    const db = testDb();
    const author = await buildUser(db);
    let builds = 0;
    const build = async () => `feed ${++builds}`;
    purgeFeeds();
    expect(await cachedFeed("k", build)).toBe("feed 1");
    expect(await cachedFeed("k", build)).toBe("feed 1");
    await run(db, savePageCommand, actorOf(author), { title: "New", content: conceptSource("New"), baseRevisionId: null });
    expect(await cachedFeed("k", build)).toBe("feed 2");
  });
});

describe("blame and search are bounded", () => {
  it("blame is computed once per latest revision and credits every line", async () => {
    const db = testDb();
    const author = await buildUser(db);
    const first = await buildPage(db, "Blamed", conceptSource("Blamed", "line one\nline two\n"), author);
    await savePage(db, { title: "Blamed", content: conceptSource("Blamed", "line one\nline two changed\n"), authorId: author.id, baseRevisionId: first.revision.id });
    const page = (await getPageBySlug(db, "Blamed"))!;
    const once = await pageBlame(db, page);
    expect(await pageBlame(db, page)).toBe(once);
    const changed = once.lines.find((l) => l.text === "line two changed");
    expect(changed?.revisionId).toBe(page.latestRevisionId);
    expect(once.lines.find((l) => l.text === "line one")?.revisionId).toBe(first.revision.id);
    expect(once.olderLeftOut).toBe(false);
  });

  it("suggests titles through the trigram index when nothing matches", async () => {
    const db = testDb();
    await buildPage(db, "Communities of practice", conceptSource("Communities of practice"));
    const outcome = await searchPages(db, "comunities");
    expect(outcome.status).toBe("empty");
    if (outcome.status === "empty") expect(outcome.suggestions.map((s) => s.slug)).toEqual(["Communities_of_practice"]);
  });
});
