import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { backupWikiCommand, restoreWikiCommand } from "@/lib/commands/data/backup-wiki";
import { connect } from "@/lib/db/client";
import { savePage } from "@/lib/wiki/page-updater";
import { buildWiki, snapshotRows } from "../../support/data";
import { closeTestDb, resetDatabase, testDb } from "../../support/db";
import { buildUser, conceptSource } from "../../support/factories";
import { createTestDatabase, type TestDatabase } from "../../support/test-database";
import { actorOf, run } from "../../support/commands";
import { png } from "../../support/media-files";
import { uploadFileCommand } from "@/lib/commands/media/upload-file";
import { closePool } from "@/lib/workers/pool";

const operator = { id: "operator", name: "operator", role: "admin" as const, blocked: false };
let dir: string;
const fresh: TestDatabase[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "propagate-backup-"));
});
afterAll(async () => {
  await closePool();
  for (const d of fresh) await d.drop();
});

async function emptyDatabase() {
  const d = await createTestDatabase("propagate_restore", { migrate: false });
  fresh.push(d);
  return d;
}

describe("backup and restore", () => {
  it("restores into an empty database every row of every table the backup covers", async () => {
    await resetDatabase();
    await buildWiki(testDb());
    // An uploaded file: its bytes (bytea chunks) go through the backup's JSON and back.
    await run(testDb(), uploadFileCommand, actorOf(await buildUser(testDb())), { name: "Backed up.png", file: await png(30, 20) });
    const file = path.join(dir, "wiki.backup.gz");
    const { header, counts } = await run(testDb(), backupWikiCommand, operator, { out: file });
    expect(header).toMatchObject({ format: "propagate-backup", version: 1 });
    expect(header.tables).toEqual(expect.arrayContaining(["users", "pages", "revisions", "talk_posts", "ratings", "watches", "notifications", "api_tokens", "sessions", "page_log", "moderation_log"]));
    expect(header.tables).not.toContain("rendered");
    expect(header.tables).toEqual(expect.arrayContaining(["media_blobs", "media_chunks", "file_uploads"]));
    expect(counts.revisions).toBeGreaterThan(10);
    const before = await snapshotRows(inject("databaseUrl"));
    await closeTestDb();

    const target = await emptyDatabase();
    const conn = connect(target.url, 1);
    try {
      const outcome = await run(conn.db, restoreWikiCommand, operator, { in: file });
      expect(outcome.counts).toEqual(counts);
    } finally {
      await conn.sql.end();
    }
    expect(await snapshotRows(target.url)).toEqual(before);
    // The restored wiki takes new rows after the restored ones.
    const again = connect(target.url, 1);
    try {
      const author = await buildUser(again.db);
      const saved = await savePage(again.db, { title: "After restore", content: conceptSource("After restore"), authorId: author.id, baseRevisionId: null });
      expect(saved.status).toBe("saved");
    } finally {
      await again.sql.end();
    }
  });

  it("refuses a backup of a newer format, and a database that is not empty, saying why", async () => {
    const newer = path.join(dir, "newer.gz");
    await writeFile(newer, gzipSync(`${JSON.stringify({ format: "propagate-backup", version: 99, migrations: 1, createdAt: "", tables: [] })}\n`));
    const target = await emptyDatabase();
    const conn = connect(target.url, 1);
    try {
      await expect(run(conn.db, restoreWikiCommand, operator, { in: newer })).rejects.toThrow(/format version 99, made by a newer Propagate; this one reads versions up to 1/);
    } finally {
      await conn.sql.end();
    }
    const notBackup = path.join(dir, "not.gz");
    await writeFile(notBackup, gzipSync("hello\n"));
    await expect(run(testDb(), restoreWikiCommand, operator, { in: notBackup })).rejects.toThrow(/not a Propagate backup/);
    const file = path.join(dir, "again.gz");
    await run(testDb(), backupWikiCommand, operator, { out: file });
    await expect(run(testDb(), restoreWikiCommand, operator, { in: file })).rejects.toThrow(/not empty/);
    await expect(run(testDb(), backupWikiCommand, { ...operator, role: "moderator" }, { out: file })).rejects.toThrow(/administrators/);
  });

  it("is one consistent snapshot while people save: every page points at its newest revision", async () => {
    await resetDatabase();
    await buildWiki(testDb());
    await closeTestDb();
    const writer = connect(inject("databaseUrl"), 1);
    const reader = connect(inject("databaseUrl"), 1);
    const author = await buildUser(writer.db);
    let stop = false;
    let saves = 0;
    const writing = (async () => {
      let base: number | null = null;
      while (!stop) {
        const r = await savePage(writer.db, { title: "Busy page", content: conceptSource("Busy page", `Edit ${saves}.\n`), authorId: author.id, baseRevisionId: base });
        if (r.status === "saved") base = r.revision.id;
        saves++;
      }
    })();
    const file = path.join(dir, "busy.gz");
    try {
      while (saves < 2) await new Promise((r) => setTimeout(r, 20));
      await run(reader.db, backupWikiCommand, operator, { out: file });
    } finally {
      stop = true;
      await writing;
      await writer.sql.end();
      await reader.sql.end();
    }
    expect(saves).toBeGreaterThan(2);
    const target = await emptyDatabase();
    const conn = connect(target.url, 1);
    try {
      await run(conn.db, restoreWikiCommand, operator, { in: file });
      const stale = await conn.sql`
        select p.slug from pages p
        where p.latest_revision_id is distinct from (select max(r.id) from revisions r where r.page_id = p.id)`;
      expect(stale).toEqual([]);
    } finally {
      await conn.sql.end();
    }
  });
});
