import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { exportWikiCommand } from "@/lib/commands/data/export-wiki";
import { importWikiCommand } from "@/lib/commands/data/import-wiki";
import { connect, type Database } from "@/lib/db/client";
import { savePage } from "@/lib/wiki/page-updater";
import { buildWiki } from "../../support/data";
import { resetDatabase, testDb } from "../../support/db";
import { buildUser, conceptSource } from "../../support/factories";
import { createTestDatabase, type TestDatabase } from "../../support/test-database";
import { run } from "../../support/commands";

const operator = { id: "operator", name: "operator", role: "admin" as const, blocked: false };
const created: TestDatabase[] = [];
afterAll(async () => {
  for (const d of created) await d.drop();
});

/** What a reader can compare between two wikis: pages, every revision, every visible talk post (ids aside). */
async function contentOf(db: Database) {
  const revisions = await db.execute<{ title: string; content: string; summary: string; minor: boolean; author: string; at: string }>(`
    select p.title, r.content, r.summary, r.is_minor as minor, u.name as author, to_char(r.created_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as at
    from revisions r join pages p on p.id = r.page_id join users u on u.id = r.author_id
    where p.deleted_at is null order by p.title, r.id`);
  const posts = await db.execute<{ page: string; thread: string; body: string; author: string; at: string }>(`
    select p.title as page, t.title as thread, trim(tp.body_source) as body, coalesce(u.name, tp.guest_name) as author,
           to_char(tp.created_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') as at
    from talk_posts tp join talk_threads t on t.id = tp.thread_id join pages p on p.id = t.page_id left join users u on u.id = tp.author_id
    where tp.status = 'visible' order by p.title, tp.id`);
  return { revisions: [...revisions], posts: [...posts] };
}

describe("export, then import into an empty wiki", () => {
  it("gives back every page, revision (text, summary, minor flag, author, time) and talk post", async () => {
    await resetDatabase();
    await buildWiki(testDb());
    const author = await buildUser(testDb(), { name: "Second Editor" });
    const first = await savePage(testDb(), { title: "Two versions", content: conceptSource("Two versions", "One.\n"), authorId: author.id, baseRevisionId: null, summary: "start" });
    if (first.status !== "saved") throw new Error("not saved");
    await savePage(testDb(), { title: "Two versions", content: conceptSource("Two versions", "One. Two.\n"), authorId: author.id, baseRevisionId: first.revision.id, summary: "more", minor: true });

    const dir = await mkdtemp(path.join(tmpdir(), "propagate-round-trip-"));
    const file = path.join(dir, "wiki.xml");
    await run(testDb(), exportWikiCommand, operator, { format: "mediawiki", out: file });
    const before = await contentOf(testDb());

    const target = await createTestDatabase("propagate_round_trip");
    created.push(target);
    const conn = connect(target.url, 1);
    try {
      const report = await run(conn.db, importWikiCommand, operator, { format: "mediawiki", in: file });
      expect(report.failed).toEqual([]);
      expect(report.skipped).toEqual([]);
      expect(report.revisions).toBe(before.revisions.length);
      expect(report.talkPosts).toBe(before.posts.length);
      const after = await contentOf(conn.db);
      expect(after.revisions).toEqual(before.revisions);
      expect(after.posts).toEqual(before.posts);
    } finally {
      await conn.sql.end();
    }
  });
});
