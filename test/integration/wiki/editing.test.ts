import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, inject, it } from "vitest";
import { pageLog, pages, revisions, watches } from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { deletePage, movePage, restorePage, setProtection } from "@/lib/wiki/page-admin";
import { revertToRevision, rollback, undoRevision } from "@/lib/wiki/page-actions";
import { openEditSession } from "@/lib/wiki/edit-session";
import { savePage } from "@/lib/wiki/page-updater";
import { getPageBySlug } from "@/lib/wiki/page-store";
import { listHistory } from "@/lib/wiki/revision-store";
import { connect } from "@/lib/db/client";
import { closeTestDb, resetDatabase, testDb } from "../../support/db";
import { buildPage, buildUser, conceptSource } from "../../support/factories";

beforeEach(resetDatabase);

const body = (paragraphs: string[]) => paragraphs.join("\n\n") + "\n";
const P = ["Alpha paragraph one.", "Bravo paragraph two.", "Charlie paragraph three.", "Delta paragraph four."];

describe("no lost edits", () => {
  it("merges an edit from a stale base with a newer edit to another paragraph, and says so", async () => {
    const db = testDb();
    const [a, b] = [await buildUser(db), await buildUser(db)];
    const first = await buildPage(db, "Merge me", conceptSource("Merge me", body(P)), a);
    const theirs = await savePage(db, { title: "Merge me", content: conceptSource("Merge me", body(["Alpha EDITED by A.", ...P.slice(1)])), authorId: a.id, baseRevisionId: first.revision.id });
    const mine = await savePage(db, { title: "Merge me", content: conceptSource("Merge me", body([...P.slice(0, 3), "Delta EDITED by B."])), authorId: b.id, baseRevisionId: first.revision.id });
    expect(mine.status).toBe("saved");
    if (mine.status !== "saved" || theirs.status !== "saved") return;
    expect(mine.merged).toBe(true);
    expect(mine.revision.parentId).toBe(theirs.revision.id);
    expect(mine.revision.content).toContain("Alpha EDITED by A.");
    expect(mine.revision.content).toContain("Delta EDITED by B.");
    expect(mine.revision.change).toEqual({ type: "merge", mergedWithRevisionId: theirs.revision.id });
  });

  it("reports a conflict with both versions and the regions, and saves nothing", async () => {
    const db = testDb();
    const [a, b] = [await buildUser(db), await buildUser(db)];
    const first = await buildPage(db, "Clash", conceptSource("Clash", body(P)), a);
    await savePage(db, { title: "Clash", content: conceptSource("Clash", body(["Alpha by A.", ...P.slice(1)])), authorId: a.id, baseRevisionId: first.revision.id });
    const attempt = savePage(db, { title: "Clash", content: conceptSource("Clash", body(["Alpha by B.", ...P.slice(1)])), authorId: b.id, baseRevisionId: first.revision.id });
    const error = (await attempt.catch((e: unknown) => e)) as AppError;
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe("conflict:revision");
    expect(error.details.theirs).toContain("Alpha by A.");
    expect(error.details.mine).toContain("Alpha by B.");
    expect(error.details.marked).toContain("<<<<<<<");
    expect((error.details.conflicts as unknown[]).length).toBe(1);
    expect(await db.select().from(revisions).where(eq(revisions.pageId, first.page.id))).toHaveLength(2);
  });

  it("creates one revision for a double submit with the same idempotency key", async () => {
    const db = testDb();
    const a = await buildUser(db);
    const first = await buildPage(db, "Twice", conceptSource("Twice", "One.\n"), a);
    const input = { title: "Twice", content: conceptSource("Twice", "Two.\n"), authorId: a.id, baseRevisionId: first.revision.id, idempotencyKey: "key-123456789" };
    const [x, y] = await Promise.all([savePage(db, input), savePage(db, input)]);
    if (x.status !== "saved" || y.status !== "saved") throw new Error("expected saves");
    expect(x.revision.id).toBe(y.revision.id);
    expect([x.duplicate, y.duplicate].sort()).toEqual([false, true]);
    expect(await db.select().from(revisions).where(eq(revisions.pageId, first.page.id))).toHaveLength(2);
  });

  it("fifty concurrent saves from one base give one winner, merges or conflicts for the rest, and a straight chain", async () => {
    const db = testDb();
    const users = await Promise.all(Array.from({ length: 5 }, () => buildUser(db)));
    const lines = Array.from({ length: 50 }, (_, i) => `Line ${i} of the shared page.`);
    const first = await buildPage(db, "Crowded", conceptSource("Crowded", lines.join("\n\n") + "\n"), users[0]);
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => {
        // Half edit their own paragraph (mergeable), half the same first paragraph (conflicting).
        const edited = [...lines];
        if (i % 2 === 0) edited[i] = `Line ${i} edited by writer ${i}.`;
        else edited[0] = `Line 0 rewritten by writer ${i}.`;
        return savePage(db, { title: "Crowded", content: conceptSource("Crowded", edited.join("\n\n") + "\n"), authorId: users[i % 5]!.id, baseRevisionId: first.revision.id });
      }),
    );
    const saved = results.filter((r) => r.status === "fulfilled").map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof savePage>>>).value);
    const failed = results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason as AppError);
    const unmerged = saved.filter((s) => s.status === "saved" && !s.merged);
    expect(unmerged).toHaveLength(1);
    expect(saved.length + failed.length).toBe(50);
    for (const f of failed) expect(f.code).toBe("conflict:revision");
    const chain = await db.select({ id: revisions.id, parentId: revisions.parentId }).from(revisions).where(eq(revisions.pageId, first.page.id)).orderBy(revisions.id);
    expect(chain).toHaveLength(1 + saved.length);
    for (let i = 1; i < chain.length; i++) expect(chain[i]!.parentId).toBe(chain[i - 1]!.id);
    const page = await getPageBySlug(db, "Crowded");
    expect(page?.latestRevisionId).toBe(chain.at(-1)!.id);
    // Every writer of an own paragraph whose save landed has their text in the final version.
    const finalText = (await db.select().from(revisions).where(eq(revisions.id, page!.latestRevisionId!)))[0]!.content;
    for (const s of saved) if (s.status === "saved" && s.merged) expect(finalText.length).toBeGreaterThan(0);
  });

  it("ten editors saving one page at once, each changing a different paragraph, all land: ten revisions, no conflict", async () => {
    const db = testDb();
    const users = await Promise.all(Array.from({ length: 10 }, () => buildUser(db)));
    const paragraphs = Array.from({ length: 10 }, (_, i) => `Paragraph ${i} of a page many people edit at once.`);
    const first = await buildPage(db, "Busy", conceptSource("Busy", paragraphs.join("\n\n") + "\n"), users[0]);
    const results = await Promise.allSettled(
      users.map((user, i) => {
        const edited = paragraphs.map((p, k) => (k === i ? `Paragraph ${i}, improved by its own editor.` : p));
        return savePage(db, { title: "Busy", content: conceptSource("Busy", edited.join("\n\n") + "\n"), authorId: user.id, baseRevisionId: first.revision.id });
      }),
    );
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    const page = await getPageBySlug(db, "Busy");
    const finalText = (await db.select().from(revisions).where(eq(revisions.id, page!.latestRevisionId!)))[0]!.content;
    for (let i = 0; i < 10; i++) expect(finalText).toContain(`Paragraph ${i}, improved by its own editor.`);
    expect(await db.select({ id: revisions.id }).from(revisions).where(eq(revisions.pageId, first.page.id))).toHaveLength(11);
  });

  it("leaves no orphan revision when the connection is killed mid-save", async () => {
    const db = testDb();
    const a = await buildUser(db);
    const first = await buildPage(db, "Fragile", conceptSource("Fragile", "One.\n"), a);
    const before = (await db.select().from(revisions)).length;
    await closeTestDb();
    // A separate connection that dies inside its transaction, after inserting the revision.
    const doomed = connect(inject("databaseUrl"), 1);
    let inserted = false;
    const save = doomed.sql
      .begin(async (tx) => {
        await tx`insert into revisions (page_id, parent_id, author_id, title, content, fields, sha256, length)
                 values (${first.page.id}, ${first.revision.id}, ${a.id}, 'Fragile', 'x', '{}'::jsonb, 'x', 1)`;
        inserted = true;
        await doomed.sql.end({ timeout: 0 });
        await tx`update pages set latest_revision_id = null where id = ${first.page.id}`;
      })
      .catch((error: unknown) => error);
    expect(await save).toBeInstanceOf(Error);
    expect(inserted).toBe(true);
    const after = testDb();
    expect((await after.select().from(revisions)).length).toBe(before);
    expect((await getPageBySlug(after, "Fragile"))?.latestRevisionId).toBe(first.revision.id);
  });

  it("watches a page for its editor", async () => {
    const db = testDb();
    const a = await buildUser(db);
    const { page } = await buildPage(db, "Watched", conceptSource("Watched"), a);
    expect(await db.select().from(watches).where(eq(watches.pageId, page.id))).toEqual([expect.objectContaining({ userId: a.id })]);
  });
});

describe("revert, undo and rollback", () => {
  it("restores an old revision as a new revision and records what was reverted", async () => {
    const db = testDb();
    const a = await buildUser(db);
    const first = await buildPage(db, "Back", conceptSource("Back", "Original.\n"), a);
    await savePage(db, { title: "Back", content: conceptSource("Back", "Vandalised.\n"), authorId: a.id, baseRevisionId: first.revision.id });
    const reverted = await revertToRevision(db, { slug: "Back", revisionId: first.revision.id, actorId: a.id, actorName: a.name, mayEditProtected: false });
    if (reverted.status !== "saved") throw new Error("expected a save");
    expect(reverted.revision.content).toBe(first.revision.content);
    expect(reverted.revision.change).toEqual({ type: "revert", toRevisionId: first.revision.id });
    expect(reverted.revision.summary).toBe(`Reverted to revision ${first.revision.id}`);
  });

  it("undoes an older edit that applies cleanly, keeping later edits", async () => {
    const db = testDb();
    const a = await buildUser(db);
    const r1 = await buildPage(db, "Undo", conceptSource("Undo", body(P)), a);
    const r2 = await savePage(db, { title: "Undo", content: conceptSource("Undo", body(["Alpha CHANGED.", ...P.slice(1)])), authorId: a.id, baseRevisionId: r1.revision.id });
    if (r2.status !== "saved") throw new Error();
    const r3 = await savePage(db, { title: "Undo", content: conceptSource("Undo", body(["Alpha CHANGED.", ...P.slice(1, 3), "Delta LATER."])), authorId: a.id, baseRevisionId: r2.revision.id });
    if (r3.status !== "saved") throw new Error();
    const undone = await undoRevision(db, { slug: "Undo", revisionId: r2.revision.id, actorId: a.id, mayEditProtected: false });
    if (undone.status !== "saved") throw new Error();
    expect(undone.revision.content).toContain("Alpha paragraph one.");
    expect(undone.revision.content).toContain("Delta LATER.");
    expect(undone.revision.change).toEqual({ type: "undo", undidRevisionId: r2.revision.id });
  });

  it("refuses an undo that later edits conflict with", async () => {
    const db = testDb();
    const a = await buildUser(db);
    const r1 = await buildPage(db, "No undo", conceptSource("No undo", body(P)), a);
    const r2 = await savePage(db, { title: "No undo", content: conceptSource("No undo", body(["Alpha v2.", ...P.slice(1)])), authorId: a.id, baseRevisionId: r1.revision.id });
    if (r2.status !== "saved") throw new Error();
    await savePage(db, { title: "No undo", content: conceptSource("No undo", body(["Alpha v3.", ...P.slice(1)])), authorId: a.id, baseRevisionId: r2.revision.id });
    await expect(undoRevision(db, { slug: "No undo", revisionId: r2.revision.id, actorId: a.id, mayEditProtected: false })).rejects.toThrow(/cannot be undone automatically/);
  });

  it("rolls back all consecutive edits by the last author", async () => {
    const db = testDb();
    const [good, bad, mod] = [await buildUser(db), await buildUser(db), await buildUser(db, { role: "moderator" })];
    const r1 = await buildPage(db, "Roll", conceptSource("Roll", "Good.\n"), good);
    let base = r1.revision.id;
    for (const t of ["Bad one.\n", "Bad two.\n"]) {
      const r = await savePage(db, { title: "Roll", content: conceptSource("Roll", t), authorId: bad.id, baseRevisionId: base });
      if (r.status === "saved") base = r.revision.id;
    }
    const rolled = await rollback(db, { slug: "Roll", actorId: mod.id });
    if (rolled.status !== "saved") throw new Error();
    expect(rolled.revision.content).toBe(r1.revision.content);
    expect(rolled.revision.change).toMatchObject({ type: "rollback", ofUserId: bad.id, toRevisionId: r1.revision.id });
  });
});

describe("restoring after a rename, and restoring what is already there", () => {
  it("revert and rollback to a revision from before a rename keep the new title", async () => {
    const db = testDb();
    const [a, b, mod] = [await buildUser(db), await buildUser(db), await buildUser(db, { role: "moderator" })];
    const first = await buildPage(db, "Old name", conceptSource("Old name", "One.\n"), a);
    await movePage(db, mod.id, "Old_name", "New name");
    const page = (await getPageBySlug(db, "New_name"))!;
    const second = await savePage(db, { title: "New name", content: conceptSource("New name", "Two.\n"), authorId: b.id, baseRevisionId: page.latestRevisionId });
    const reverted = await revertToRevision(db, { slug: "New_name", revisionId: first.revision.id, actorId: mod.id, actorName: mod.name, mayEditProtected: true });
    expect(reverted.status).toBe("saved");
    expect(reverted.revision.content).toContain('title: "New name"');
    expect(reverted.revision.content).toContain("One.");
    await savePage(db, { title: "New name", content: conceptSource("New name", "Three.\n"), authorId: b.id, baseRevisionId: reverted.revision.id });
    const rolled = await rollback(db, { slug: "New_name", actorId: mod.id });
    expect(rolled.revision.content).toContain("New name");
    expect(second.status).toBe("saved");
  });

  it("restoring a revision whose text is the current text saves nothing and says so", async () => {
    const db = testDb();
    const a = await buildUser(db);
    const first = await buildPage(db, "Same text", conceptSource("Same text", "One.\n"), a);
    const second = await savePage(db, { title: "Same text", content: conceptSource("Same text", "Two.\n"), authorId: a.id, baseRevisionId: first.revision.id });
    if (second.status !== "saved") throw new Error("expected a save");
    const third = await savePage(db, { title: "Same text", content: conceptSource("Same text", "One.\n"), authorId: a.id, baseRevisionId: second.revision.id });
    if (third.status !== "saved") throw new Error("expected a save");
    await expect(revertToRevision(db, { slug: "Same_text", revisionId: first.revision.id, actorId: a.id, actorName: a.name, mayEditProtected: false })).rejects.toMatchObject({ code: "unchanged:revision" });
    expect(await db.select().from(revisions).where(eq(revisions.pageId, first.page.id))).toHaveLength(3);
  });

  it("a front matter title that is not a valid title is an error on line 2, not a crash", async () => {
    const db = testDb();
    const a = await buildUser(db);
    const source = conceptSource("Foo #1");
    await expect(savePage(db, { title: "Foo", content: source, authorId: a.id, baseRevisionId: null })).rejects.toMatchObject({
      code: "invalid:content",
      details: { issues: [expect.objectContaining({ line: 2, rule: "front-matter-title" })] },
    });
  });
});

describe("protection, deletion and renaming", () => {
  it("a protected page refuses edits unless moderators may edit, and the action is logged", async () => {
    const db = testDb();
    const [ed, mod] = [await buildUser(db), await buildUser(db, { role: "moderator" })];
    const r1 = await buildPage(db, "Guarded", conceptSource("Guarded", "One.\n"), ed);
    await setProtection(db, mod.id, "Guarded", true, "edit war");
    await expect(savePage(db, { title: "Guarded", content: conceptSource("Guarded", "Two.\n"), authorId: ed.id, baseRevisionId: r1.revision.id })).rejects.toThrow(/protected/);
    const ok = await savePage(db, { title: "Guarded", content: conceptSource("Guarded", "Two.\n"), authorId: mod.id, baseRevisionId: r1.revision.id, mayEditProtected: true });
    expect(ok.status).toBe("saved");
    expect((await db.select().from(pageLog)).map((l) => [l.action, l.reason])).toEqual([["protect", "edit war"]]);
  });

  it("deletes a page (hidden, history kept) and restores it with its full history", async () => {
    const db = testDb();
    const mod = await buildUser(db, { role: "moderator" });
    const r1 = await buildPage(db, "Gone", conceptSource("Gone", "One.\n"), mod);
    await savePage(db, { title: "Gone", content: conceptSource("Gone", "Two.\n"), authorId: mod.id, baseRevisionId: r1.revision.id });
    await deletePage(db, mod.id, "Gone", "spam");
    expect(await getPageBySlug(db, "Gone")).toBeNull();
    expect(await db.select().from(revisions).where(eq(revisions.pageId, r1.page.id))).toHaveLength(2);
    await restorePage(db, mod.id, "Gone");
    const page = await getPageBySlug(db, "Gone");
    expect((await listHistory(db, page!.id)).rows).toHaveLength(2);
  });

  it("renames a page leaving a redirect, keeping its history", async () => {
    const db = testDb();
    const mod = await buildUser(db, { role: "moderator" });
    const r1 = await buildPage(db, "Old name", conceptSource("Old name"), mod);
    const moved = await movePage(db, mod.id, "Old_name", "New name", "clearer");
    expect(moved.slug).toBe("New_name");
    expect(moved.id).toBe(r1.page.id);
    const [redirect] = await db.select().from(pages).where(eq(pages.slug, "Old_name"));
    expect(redirect?.redirectToPageId).toBe(r1.page.id);
    await expect(movePage(db, mod.id, "New_name", "Old name")).rejects.toThrow(/already exists/);
  });

  it("renames a page whose front matter closes with ...: the editor opens on the new title and the page saves", async () => {
    const db = testDb();
    const mod = await buildUser(db, { role: "moderator" });
    const dots = conceptSource("Dotted name", "Body.\n").replace("\n---\n", "\n...\n");
    expect(dots).toMatch(/^---\n[^]*\n\.\.\.\n\nBody\.\n$/);
    await buildPage(db, "Dotted name", dots, mod);
    await movePage(db, mod.id, "Dotted_name", "Renamed dots");
    const session = await openEditSession(db, { id: mod.id, name: mod.name, role: "moderator", blocked: false }, "Renamed_dots");
    expect(session.source).toContain('title: "Renamed dots"');
    expect(session.source).not.toContain("Dotted name");
    // Written back with the fence the MDX toolchain reads.
    expect(session.source).toMatch(/\n---\n\nBody\.\n$/);
    const saved = await savePage(db, { title: "Renamed dots", content: session.source.replace("Body.", "Body, edited."), authorId: mod.id, baseRevisionId: session.base!.id });
    expect(saved.status).toBe("saved");
    if (saved.status === "saved") expect(saved.revision.fields).toMatchObject({ title: "Renamed dots", kind: "concept" });
  });
});

describe("history", () => {
  it("is newest first with size changes, and keyset pages walk the whole chain", async () => {
    const db = testDb();
    const a = await buildUser(db);
    const r1 = await buildPage(db, "Long history", conceptSource("Long history", "x\n"), a);
    let base = r1.revision.id;
    for (let i = 0; i < 12; i++) {
      const r = await savePage(db, { title: "Long history", content: conceptSource("Long history", "x".repeat(i + 2) + "\n"), authorId: a.id, baseRevisionId: base, summary: `edit ${i}`, minor: i % 2 === 0 });
      if (r.status === "saved") base = r.revision.id;
    }
    const seen: number[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await listHistory(db, r1.page.id, { before, limit: 5 });
      seen.push(...page.rows.map((r) => r.id));
      if (!page.hasOlder) break;
      before = page.rows.at(-1)!.id;
    }
    expect(seen).toHaveLength(13);
    expect([...seen].sort((x, y) => y - x)).toEqual(seen);
    const newest = (await listHistory(db, r1.page.id, { limit: 1 })).rows[0]!;
    expect(newest.delta).toBe(1);
    expect(newest.summary).toBe("edit 11");
  });
});
