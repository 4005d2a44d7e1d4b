import { beforeEach, describe, expect, it } from "vitest";
import { deletePage, movePage, restorePage, setProtection } from "@/lib/wiki/page-admin";
import { countPages, listPages, listPagesWithTag, listTags } from "@/lib/wiki/page-store";
import { savePage } from "@/lib/wiki/page-updater";
import { listRecentChanges } from "@/lib/wiki/recent-changes";
import { resetDatabase, testDb } from "../../support/db";
import { buildPage, buildUser, conceptSource } from "../../support/factories";

beforeEach(resetDatabase);

describe("listings after renames and deletions", () => {
  it("All pages lists neither the redirects renames leave nor deleted pages", async () => {
    const db = testDb();
    const [author, mod] = [await buildUser(db), await buildUser(db, { role: "moderator" })];
    await buildPage(db, "Kept", conceptSource("Kept"), author);
    await buildPage(db, "Secret plan", conceptSource("Secret plan"), author);
    await movePage(db, mod.id, "Secret_plan", "Public plan");
    expect((await listPages(db)).rows.map((p) => p.title)).toEqual(["Kept", "Public plan"]);
    await deletePage(db, mod.id, "Public_plan");
    expect((await listPages(db)).rows.map((p) => p.title)).toEqual(["Kept"]);
    expect(await countPages(db)).toBe(1);
  });

  it("recent changes show a deleted page's deletion, not its earlier renames or protection", async () => {
    const db = testDb();
    const [author, mod] = [await buildUser(db), await buildUser(db, { role: "moderator" })];
    await buildPage(db, "Secret plan", conceptSource("Secret plan"), author);
    await setProtection(db, mod.id, "Secret_plan", true, "sensitive reason");
    await movePage(db, mod.id, "Secret_plan", "Public plan");
    const before = (await listRecentChanges(db)).filter((c) => c.type === "log").map((c) => (c as { action: string }).action);
    expect(before).toEqual(expect.arrayContaining(["protect", "move"]));
    await deletePage(db, mod.id, "Public_plan");
    const after = (await listRecentChanges(db)).filter((c) => c.type === "log").map((c) => (c as { action: string }).action);
    expect(after).toEqual(["delete"]);
  });
});

describe("tag counts and a tag's pages", () => {
  const tagsOf = async () => Object.fromEntries((await listTags(testDb())).rows.map((t) => [t.tag, t.pages]));

  it("the tag list's stored counts follow saves that add or drop tags, deletes and restores", async () => {
    const db = testDb();
    const [author, mod] = [await buildUser(db), await buildUser(db, { role: "moderator" })];
    const garden = await buildPage(db, "Garden", conceptSource("Garden", "Text.\n", ["growth", "people"]), author);
    await buildPage(db, "Nursery", conceptSource("Nursery", "Text.\n", ["growth"]), author);
    expect(await tagsOf()).toEqual({ growth: 2, people: 1 });

    // An edit that keeps the tags changes no count; one that swaps a tag moves one count.
    const edited = await savePage(db, { title: "Garden", content: conceptSource("Garden", "More text.\n", ["growth", "people"]), authorId: author.id, baseRevisionId: garden.revision.id });
    if (edited.status !== "saved") throw new Error("expected a save");
    expect(await tagsOf()).toEqual({ growth: 2, people: 1 });
    await savePage(db, { title: "Garden", content: conceptSource("Garden", "More text.\n", ["growth", "tools"]), authorId: author.id, baseRevisionId: edited.revision.id });
    expect(await tagsOf()).toEqual({ growth: 2, tools: 1 });

    await deletePage(db, mod.id, "Garden");
    expect(await tagsOf()).toEqual({ growth: 1 });
    await restorePage(db, mod.id, "Garden");
    expect(await tagsOf()).toEqual({ growth: 2, tools: 1 });
  });

  it("a tag's pages come in title order, a renamed page under its new title, a deleted page not at all", async () => {
    const db = testDb();
    const [author, mod] = [await buildUser(db), await buildUser(db, { role: "moderator" })];
    for (const title of ["Beta", "Alpha", "Gamma"]) await buildPage(db, title, conceptSource(title, "Text.\n", ["greek"]), author);
    const titles = async () => (await listPagesWithTag(db, "greek")).rows.map((p) => p.title);
    expect(await titles()).toEqual(["Alpha", "Beta", "Gamma"]);
    await movePage(db, mod.id, "Alpha", "Omega");
    expect(await titles()).toEqual(["Beta", "Gamma", "Omega"]);
    await deletePage(db, mod.id, "Gamma");
    expect(await titles()).toEqual(["Beta", "Omega"]);
    expect(await tagsOf()).toEqual({ greek: 2 });
  });
});
