import { beforeAll, describe, expect, it } from "vitest";
import { HIGHLIGHT_END, HIGHLIGHT_START, searchPages } from "@/lib/search/search";
import { importContent } from "@/lib/wiki/content-import";
import { resetDatabase, testDb } from "../../support/db";

beforeAll(async () => {
  await resetDatabase();
  await importContent(testDb(), "content");
});

describe("search", () => {
  it("finds a page by a word that appears only in its body, with a highlighted snippet", async () => {
    const outcome = await searchPages(testDb(), "vodcasts");
    expect(outcome.status).toBe("results");
    if (outcome.status !== "results") return;
    expect(outcome.hits[0]?.slug).toBe("Media_and_ways_to_contribute");
    expect(outcome.hits[0]?.snippet).toContain(`${HIGHLIGHT_START}vodcasts${HIGHLIGHT_END}`);
  });

  it("puts title matches first", async () => {
    const outcome = await searchPages(testDb(), "social learning");
    if (outcome.status !== "results") throw new Error("expected results");
    expect(outcome.hits[0]?.titleMatch).toBe(true);
    const firstNonTitle = outcome.hits.findIndex((h) => !h.titleMatch);
    const lastTitle = outcome.hits.map((h) => h.titleMatch).lastIndexOf(true);
    if (firstNonTitle !== -1) expect(lastTitle).toBeLessThan(firstNonTitle);
  });

  it("ranks a bounded set of matches: title matches always, then the most recently edited", async () => {
    const all = await searchPages(testDb(), "learning", 50);
    if (all.status !== "results") throw new Error("expected results");
    const titleMatches = all.hits.filter((h) => h.titleMatch).map((h) => h.slug);
    expect(titleMatches.length).toBeGreaterThan(0);
    expect(all.hits.length).toBeGreaterThan(titleMatches.length + 1);
    const bounded = await searchPages(testDb(), "learning", 50, { candidates: titleMatches.length + 1 });
    if (bounded.status !== "results") throw new Error("expected results");
    // Every title match survives the bound, ahead of the one body-only match left.
    expect(bounded.hits).toHaveLength(titleMatches.length + 1);
    expect(bounded.hits.slice(0, titleMatches.length).map((h) => h.slug).sort()).toEqual([...titleMatches].sort());
    expect(bounded.hits.at(-1)?.titleMatch).toBe(false);
  });

  it("a renamed page matches its new title as a title, not its old one", async () => {
    const db = testDb();
    const { movePage } = await import("@/lib/wiki/page-admin");
    const { buildUser } = await import("../../support/factories");
    const mod = await buildUser(db, { role: "moderator" });
    await movePage(db, mod.id, "PodCascadia_Episode_50", "Zanzibar broadcast");
    const outcome = await searchPages(db, "zanzibar");
    if (outcome.status !== "results") throw new Error("expected results");
    expect(outcome.hits[0]).toMatchObject({ slug: "Zanzibar_broadcast", titleMatch: true });
    const old = await searchPages(db, "PodCascadia");
    if (old.status === "results") expect(old.hits.find((h) => h.slug === "Zanzibar_broadcast")?.titleMatch ?? false).toBe(false);
  });

  it("searches the structured TKM and SL fields", async () => {
    const outcome = await searchPages(testDb(), "mandate");
    if (outcome.status !== "results") throw new Error("expected results");
    expect(outcome.hits.map((h) => h.slug)).toContain("Mandate_or_pull");
  });

  it("suggests close titles when nothing matches", async () => {
    const outcome = await searchPages(testDb(), "Adoptoin");
    expect(outcome.status).toBe("empty");
    if (outcome.status !== "empty") return;
    expect(outcome.suggestions.map((s) => s.slug)).toContain("Adoption");
  });

  it("suggests nothing for a query of fewer than three letters (no trigram of its own to compare)", async () => {
    const outcome = await searchPages(testDb(), "an");
    expect(outcome).toEqual({ status: "empty", query: "an", suggestions: [] });
  });

  it("ranks title matches found through the title's own index, checked against the page's vector", async () => {
    const outcome = await searchPages(testDb(), "adoption");
    if (outcome.status !== "results") throw new Error("expected results");
    expect(outcome.hits[0]).toMatchObject({ slug: "Adoption", titleMatch: true });
    expect(outcome.hits.filter((h) => h.titleMatch).every((h) => /adopt/i.test(h.title))).toBe(true);
  });

  it.each([
    ["", /Type one or more words/],
    ["   \t ", /Type one or more words/],
    ["x".repeat(10_000), /at most 200 characters/],
  ])("answers the query %j with a clear message", async (q, message) => {
    const outcome = await searchPages(testDb(), q);
    expect(outcome.status).toBe("invalid");
    if (outcome.status === "invalid") expect(outcome.message).toMatch(message);
  });

  it.each(["&|!():*", "a & b | !c", "'; drop table pages; --", "(((", "tool:*", "\\", "\"unclosed", "<script>"])(
    "treats tsquery and SQL syntax %j as plain text without failing",
    async (q) => {
      const outcome = await searchPages(testDb(), q);
      expect(["results", "empty"]).toContain(outcome.status);
    },
  );
});
