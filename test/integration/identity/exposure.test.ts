import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { revisions } from "@/lib/db/schema";
import { listContributions } from "@/lib/users/contributions";
import { deletePage, movePage } from "@/lib/wiki/page-admin";
import { savePage } from "@/lib/wiki/page-updater";
import { resetDatabase, testDb } from "../../support/db";
import { buildPage, buildUser, conceptSource } from "../../support/factories";

beforeEach(resetDatabase);

describe("a reused idempotency key", () => {
  it("with different content is a 422 naming the key, and the new text is not dropped silently", async () => {
    const db = testDb();
    const a = await buildUser(db);
    const first = await buildPage(db, "Keyed", conceptSource("Keyed", "One.\n"), a);
    const base = { title: "Keyed", authorId: a.id, baseRevisionId: first.revision.id, idempotencyKey: "key-abcdefgh" };
    await savePage(db, { ...base, content: conceptSource("Keyed", "Two.\n") });
    const again = savePage(db, { ...base, content: conceptSource("Keyed", "Three, quite different.\n") });
    await expect(again).rejects.toMatchObject({ code: "invalid:content", status: 422, message: expect.stringContaining("key-abcdefgh") });
    // The same submission again is still a harmless retry.
    const retry = await savePage(db, { ...base, content: conceptSource("Keyed", "Two.\n") });
    expect(retry.status === "saved" && retry.duplicate).toBe(true);
    expect(await db.select().from(revisions).where(eq(revisions.pageId, first.page.id))).toHaveLength(2);
  });
});

describe("deleted pages", () => {
  it("vanish from contributions for everyone but moderators", async () => {
    const db = testDb();
    const author = await buildUser(db);
    const mod = await buildUser(db, { role: "moderator" });
    await buildPage(db, "Kept", conceptSource("Kept"), author);
    await buildPage(db, "Secret plans", conceptSource("Secret plans"), author);
    await deletePage(db, mod.id, "Secret_plans", "spam");
    expect((await listContributions(db, author.id)).map((r) => r.title)).toEqual(["Kept"]);
    expect((await listContributions(db, author.id, { includeDeleted: true })).map((r) => r.title).sort()).toEqual(["Kept", "Secret plans"]);
  });
});

describe("look-alike titles", () => {
  it("a new page or a rename whose title looks like an existing page's is refused, linking that page", async () => {
    const db = testDb();
    const a = await buildUser(db);
    await buildPage(db, "Adoption", conceptSource("Adoption"), a);
    // Single-script twins that only the skeleton catches: I, l and 1 look alike.
    await buildPage(db, "Ilford", conceptSource("Ilford"), a);
    await expect(savePage(db, { title: "1lford", content: conceptSource("1lford"), authorId: a.id, baseRevisionId: null })).rejects.toMatchObject({
      code: "invalid:title",
      message: expect.stringContaining("/wiki/Ilford"),
    });
    const other = await buildPage(db, "Other", conceptSource("Other"), a);
    await expect(movePage(db, a.id, other.page.slug, "I1ford")).rejects.toMatchObject({ code: "invalid:title" });
  });
});
