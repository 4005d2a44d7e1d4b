import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { pageLinks, pages, pageTags, revisions } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { savePage } from "@/lib/wiki/page-updater";
import { listBacklinks, listDifferences } from "@/lib/wiki/page-store";
import { resetDatabase, testDb, testSql } from "../../support/db";
import { buildPage, buildUser, conceptSource, differenceSource } from "../../support/factories";

beforeEach(resetDatabase);

describe("savePage", () => {
  it("creates a page with its first revision, links, tags and search vector in one go", async () => {
    const db = testDb();
    const { page, revision, created } = await buildPage(db, "Adoption", differenceSource("Adoption", { tags: ["adoption", "tools"] }));
    expect(created).toBe(true);
    expect(page.latestRevisionId).toBe(revision.id);
    expect(revision.parentId).toBeNull();
    expect(revision.fields).toMatchObject({ kind: "difference", tkm: "A mandated tool." });
    const links = await db.select().from(pageLinks).where(eq(pageLinks.fromPageId, page.id));
    expect(links.map((l) => l.toSlug)).toEqual(["Social_learning"]);
    const tags = await db.select().from(pageTags).where(eq(pageTags.pageId, page.id));
    expect(tags.map((t) => t.tag).sort()).toEqual(["adoption", "tools"]);
    const [row] = await testSql()`select search_vector @@ plainto_tsquery('english', 'mandated') as hit from pages where id = ${page.id}`;
    expect(row?.hit).toBe(true);
  });

  it("chains revisions through parent ids and moves the latest pointer", async () => {
    const db = testDb();
    const first = await buildPage(db, "Chain", conceptSource("Chain", "One.\n"));
    const second = await savePage(db, { title: "Chain", content: conceptSource("Chain", "Two.\n"), authorId: first.revision.authorId, baseRevisionId: first.revision.id, summary: "two" });
    expect(second.status).toBe("saved");
    expect(second.revision.parentId).toBe(first.revision.id);
    const [page] = await db.select().from(pages).where(eq(pages.id, first.page.id));
    expect(page?.latestRevisionId).toBe(second.revision.id);
  });

  it("treats saving identical text as a no-op", async () => {
    const db = testDb();
    const first = await buildPage(db, "Same", conceptSource("Same"));
    const again = await savePage(db, { title: "Same", content: conceptSource("Same"), authorId: first.revision.authorId, baseRevisionId: first.revision.id });
    expect(again.status).toBe("unchanged");
    expect(await db.select().from(revisions).where(eq(revisions.pageId, first.page.id))).toHaveLength(1);
  });

  it("refuses a stale base revision and writes nothing", async () => {
    const db = testDb();
    const first = await buildPage(db, "Stale", conceptSource("Stale", "One.\n"));
    await savePage(db, { title: "Stale", content: conceptSource("Stale", "Two.\n"), authorId: first.revision.authorId, baseRevisionId: first.revision.id });
    const stale = savePage(db, { title: "Stale", content: conceptSource("Stale", "Three.\n"), authorId: first.revision.authorId, baseRevisionId: first.revision.id });
    await expect(stale).rejects.toMatchObject({ code: "conflict:revision" });
    expect(await db.select().from(revisions).where(eq(revisions.pageId, first.page.id))).toHaveLength(2);
  });

  it("lets exactly one of two concurrent creations of the same page win", async () => {
    const db = testDb();
    const user = await buildUser(db);
    const attempts = await Promise.allSettled(
      [1, 2, 3].map((n) => savePage(db, { title: "Race", content: conceptSource("Race", `Version ${n}.\n`), authorId: user.id, baseRevisionId: null })),
    );
    expect(attempts.filter((a) => a.status === "fulfilled")).toHaveLength(1);
    for (const a of attempts.filter((a) => a.status === "rejected")) {
      expect((a as PromiseRejectedResult).reason).toBeInstanceOf(AppError);
    }
    expect(await db.select().from(revisions)).toHaveLength(1);
  });

  it("rejects invalid MDX with line and column and saves nothing", async () => {
    const db = testDb();
    const user = await buildUser(db);
    const attempt = savePage(db, { title: "Bad", content: conceptSource("Bad", "Fine line.\n\n{process.env.DATABASE_URL}\n"), authorId: user.id, baseRevisionId: null });
    await expect(attempt).rejects.toMatchObject({ code: "invalid:content" });
    const error = (await attempt.catch((e: AppError) => e)) as AppError;
    expect(error.details.issues?.[0]).toMatchObject({ line: 10, column: 1 });
    expect(await db.select().from(pages)).toHaveLength(0);
  });

  it("rejects a front matter title that does not match the page", async () => {
    const db = testDb();
    const user = await buildUser(db);
    await expect(
      savePage(db, { title: "One", content: conceptSource("Other"), authorId: user.id, baseRevisionId: null }),
    ).rejects.toMatchObject({ code: "invalid:content" });
  });

  it("keeps what-links-here and the matrix in step with the latest revision", async () => {
    const db = testDb();
    const target = await buildPage(db, "Social learning", conceptSource("Social learning"));
    const diff = await buildPage(db, "Mandate", differenceSource("Mandate", { dimension: "Mandate", sl: "Bottom up." }));
    expect((await listBacklinks(db, "Social_learning")).map((b) => b.slug)).toEqual(["Mandate"]);
    expect((await listDifferences(db)).rows.map((r) => [r.dimension, r.sl])).toEqual([["Mandate", "Bottom up."]]);

    await savePage(db, {
      title: "Mandate",
      content: differenceSource("Mandate", { dimension: "Mandate", sl: "Pulled by people.", body: "No links now.\n" }),
      authorId: diff.revision.authorId,
      baseRevisionId: diff.revision.id,
    });
    expect(await listBacklinks(db, "Social_learning")).toEqual([]);
    expect((await listDifferences(db)).rows[0]?.sl).toBe("Pulled by people.");
    expect(target.page.slug).toBe("Social_learning");
  });
});

describe("savePage and executable front matter", () => {
  it.each(["js", "javascript"])("refuses ---%s front matter without running it and saves nothing", async (lang) => {
    const db = testDb();
    await resetDatabase();
    const user = await buildUser(db);
    const { existsSync, rmSync } = await import("node:fs");
    const marker = `/tmp/propagate-pwned-save-${lang}-${process.pid}`;
    rmSync(marker, { force: true });
    const content = `---${lang}\n{ title: "X", kind: "concept", summary: require("fs").writeFileSync("${marker}", "x") || "s" }\n---\n\nBody\n`;
    await expect(savePage(db, { title: "X", content, authorId: user.id, baseRevisionId: null })).rejects.toMatchObject({
      code: "invalid:content",
      details: { issues: [expect.objectContaining({ line: 1, message: expect.stringMatching(/must be YAML/) })] },
    });
    expect(existsSync(marker)).toBe(false);
    expect(await db.select().from(pages)).toHaveLength(0);
  });
});
