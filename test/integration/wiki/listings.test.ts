import { beforeEach, describe, expect, it } from "vitest";
import { deletePage, movePage, setProtection } from "@/lib/wiki/page-admin";
import { countPages, listPages } from "@/lib/wiki/page-store";
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
