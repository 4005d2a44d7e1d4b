import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import { mentions, talkPosts, talkThreads } from "@/lib/db/schema";
import { seed } from "@/lib/seed";
import { listMentions, listThreads } from "@/lib/talk/talk-store";
import { getPageBySlug } from "@/lib/wiki/page-store";
import { resetDatabase, testDb } from "../../support/db";

beforeEach(resetDatabase);

type Fixture = { key: string; author: string; body: string; kind: string; spam: boolean };
const origin = JSON.parse(readFileSync("test/fixtures/origin-comments.json", "utf8")) as Fixture[];

describe("seeding the origin discussion", () => {
  it("puts Howard Johnson's comment and Kevin's reply on the Nursery and garden talk page, the reply nested", async () => {
    const db = testDb();
    await seed(db);
    const page = await getPageBySlug(db, "Nursery_and_garden");
    const threads = await listThreads(db, page!.id);
    expect(threads).toHaveLength(1);
    const [howard, kevin] = threads[0]!.posts;
    expect(howard?.authorName).toBe("Howard Johnson");
    expect(howard?.bodyHtml).toContain("KM is the nusery where you get your cuttings");
    expect(kevin?.parentId).toBe(howard?.id);
  });

  it("shows the two pingbacks as mentions of the origin post, excerpts kept as text", async () => {
    const db = testDb();
    await seed(db);
    const page = await getPageBySlug(db, "The_Differences_between_Social_Learning_and_Knowledge_Management");
    const found = await listMentions(db, page!.id);
    expect(found.map((m) => m.sourceTitle)).toEqual([
      "Library clips :: Flexible uses of web 2.0 tools :: March :: 2008",
      "The Grocery Store Analogy of Learning, KM, Comm & Content | trainingwreck",
    ]);
    expect(found[1]?.excerpt).toContain("<who I also respect>");
  });

  it("never publishes the two spam comments", async () => {
    const db = testDb();
    await seed(db);
    const spam = origin.filter((c) => c.spam);
    expect(spam.map((c) => c.author)).toEqual(["Soma.", "Ativan."]);
    const posts = await db.select().from(talkPosts);
    for (const s of spam) expect(posts.some((p) => p.bodySource.includes(s.body.slice(0, 20)))).toBe(false);
  });

  it("is idempotent", async () => {
    const db = testDb();
    await seed(db);
    const again = await seed(db);
    expect(again.talk.every((t) => t.result === "unchanged")).toBe(true);
    expect(await db.select().from(talkThreads)).toHaveLength(1);
    expect(await db.select().from(talkPosts)).toHaveLength(2);
    expect(await db.select().from(mentions)).toHaveLength(2);
  });
});
