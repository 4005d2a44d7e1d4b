import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { beforeEach, describe, expect, inject, it } from "vitest";
import * as schema from "@/lib/db/schema";
import { renderCount } from "@/lib/workers/mdx-jobs";
import { getPageView } from "@/lib/wiki/page-view";
import { closeTestDb, resetDatabase, testDb, testSql } from "../../support/db";
import { buildPage, buildUser, conceptSource, differenceSource } from "../../support/factories";

beforeEach(resetDatabase);

describe("page views and the parser cache", () => {
  it("renders a revision once; later views of the cached page do not call the bundler", async () => {
    const db = testDb();
    await buildPage(db, "Cached", conceptSource("Cached", "## One\n\nHello **world**.\n"));
    const before = renderCount();
    const first = await getPageView(db, "Cached");
    expect(renderCount()).toBe(before + 1);
    expect(first?.rendered).toMatchObject({ ok: true });
    if (!first?.rendered.ok) return;
    expect(first.rendered.html).toContain("<strong>world</strong>");
    expect(first.rendered.toc).toEqual([{ depth: 2, id: "user-content-one", text: "One" }]);
    for (let i = 0; i < 3; i++) await getPageView(db, "Cached");
    expect(renderCount()).toBe(before + 1);
  });

  it("a page view rendered from the parser cache runs a handful of small queries", async () => {
    await buildPage(testDb(), "Counted", differenceSource("Counted"));
    await getPageView(testDb(), "Counted");
    await closeTestDb(); // embedded PGlite takes one connection at a time
    const statements: string[] = [];
    const sql = postgres(inject("databaseUrl"), { max: 1, onnotice: () => {}, debug: (_connection, query) => statements.push(query) });
    try {
      await sql`select 1`; // connecting reads the array types once; not part of a view
      statements.length = 0;
      const before = renderCount();
      const view = await getPageView(drizzle(sql, { schema, casing: "snake_case" }), "Counted");
      expect(view?.rendered.ok).toBe(true);
      expect(renderCount()).toBe(before);
      // Page, revision, cached rendering, link status, backlinks, contributors, rating, thread count, discussed passages.
      expect(statements.length, statements.join("\n")).toBeLessThanOrEqual(9);
    } finally {
      await sql.end();
    }
  });

  it("marks links to missing pages as red links to their creation, and blue once the page exists", async () => {
    const db = testDb();
    await buildPage(db, "Linker", differenceSource("Linker", { body: "See [[Ghost page]] and [[Linker|me]].\n" }));
    const view = await getPageView(db, "Linker");
    if (!view?.rendered.ok) throw new Error("expected a rendering");
    expect(view.rendered.html).toContain('href="/wiki/Ghost_page/edit"');
    expect(view.rendered.html).toMatch(/class="wikilink new"[^>]*data-wikilink="Ghost_page"/);
    await buildPage(db, "Ghost page", conceptSource("Ghost page"));
    const after = await getPageView(db, "Linker");
    if (!after?.rendered.ok) throw new Error("expected a rendering");
    expect(after.rendered.html).toContain('href="/wiki/Ghost_page"');
    expect(after.rendered.html).not.toContain("wikilink new");
    // Deleting the page turns the link red again.
    const { deletePage } = await import("@/lib/wiki/page-admin");
    await deletePage(db, (await buildUser(db)).id, "Ghost_page");
    const deleted = await getPageView(db, "Linker");
    if (!deleted?.rendered.ok) throw new Error("expected a rendering");
    expect(deleted.rendered.html).toMatch(/class="wikilink new"[^>]*data-wikilink="Ghost_page"/);
  });

  it("shows a revision written around the validator as escaped source, never running it", async () => {
    const db = testDb();
    const { page, revision } = await buildPage(db, "Tampered", conceptSource("Tampered"));
    const evil = conceptSource("Tampered", "<script>globalThis.pwned = 1</script>\n\n{globalThis.pwned = 2}\n");
    const [row] = await testSql()<{ id: number }[]>`
      insert into revisions (page_id, parent_id, author_id, title, content, fields, sha256, length)
      values (${page.id}, ${revision.id}, ${revision.authorId}, 'Tampered', ${evil}, ${JSON.stringify(revision.fields)}::jsonb, 'x', 1)
      returning id`;
    await testSql()`update pages set latest_revision_id = ${row!.id} where id = ${page.id}`;
    const view = await getPageView(db, "Tampered");
    expect(view?.rendered.ok).toBe(false);
    if (view?.rendered.ok !== false) return;
    expect(view.rendered.source).toContain("<script>");
    expect(view.rendered.message).toMatch(/not allowed/i);
    expect((globalThis as { pwned?: number }).pwned).toBeUndefined();
  });

  it("returns null for a revision id that belongs to another page", async () => {
    const db = testDb();
    const a = await buildPage(db, "Page A", conceptSource("Page A"));
    await buildPage(db, "Page B", conceptSource("Page B"));
    expect(await getPageView(db, "Page_B", a.revision.id)).toBeNull();
    expect((await getPageView(db, "Page_A", a.revision.id))?.revision.id).toBe(a.revision.id);
  });
});
