/**
 * Adversary round 2 on hidden files: a file hidden by another server (a row
 * update and its NOTIFY, as hide-file-revision on another server sends them)
 * must stop being served by this server at once, whether or not its page
 * cache is on (PAGE_CACHE_MB=0 turns off the front's caches, not the
 * application's own copy of the file's row). Each server runs on a database
 * of its own; the file is written there directly.
 */
import { createHash } from "node:crypto";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { mediaTag, PURGE_CHANNEL, purgeMessage } from "@/lib/http/page-cache-key";
import { startApp } from "../support/app-process";
import { png } from "../support/media-files";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

const started: { stop(): Promise<void> }[] = [];
const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const app of started) await app.stop();
  for (const database of databases) await database.drop();
});

async function hiddenElsewhere(pageCacheMb: string): Promise<number[]> {
  const database = await createTestDatabase(`propagate_adv17_${pageCacheMb}`, { migrate: false });
  databases.push(database);
  const app = await startApp({ AUTH_SECRET: "adversary-media-17-0123456789-0123456789", DATABASE_URL: database.url, PAGE_CACHE_MB: pageCacheMb }, "/api/health", 180_000, ["--no-build"]);
  started.push(app);
  const sql = postgres(database.url, { max: 1, onnotice: () => {} });
  try {
    const bytes = await png(12, 12, { r: Number(pageCacheMb), g: 40, b: 90 });
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    await sql`insert into media_blobs (sha256, size, mime, width, height, chunk_bytes) values (${sha256}, ${bytes.length}, 'image/png', 12, 12, 524288)`;
    await sql`insert into media_chunks (sha256, seq, data) values (${sha256}, 0, ${Buffer.from(bytes)})`;
    const url = `${app.base}/media/${sha256}/Elsewhere.png`;
    // Served, and so kept by this server (its front's cache, if on, and its application's copy of the row).
    expect((await fetch(url)).status).toBe(200);
    expect((await fetch(url)).status).toBe(200);
    // Another server hides it: the row, then its purge over NOTIFY.
    await sql`update media_blobs set hidden_at = now() where sha256 = ${sha256}`;
    await sql`select pg_notify(${PURGE_CHANNEL}, ${purgeMessage({ tags: [mediaTag(sha256)] })})`;
    const statuses: number[] = [];
    // Two seconds later (the purge is heard within milliseconds), every answer is 404.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    for (let i = 0; i < 3; i++) statuses.push((await fetch(url)).status);
    return statuses;
  } finally {
    await sql.end();
  }
}

describe("a file hidden on another server (adversary round 2)", () => {
  it("is gone from this server at once with its caches on", { timeout: 240_000 }, async () => {
    expect(await hiddenElsewhere("64")).toEqual([404, 404, 404]);
  });

  it("is gone from this server at once with its page cache off (PAGE_CACHE_MB=0): its application still keeps the file's row", { timeout: 240_000 }, async () => {
    expect(await hiddenElsewhere("0")).toEqual([404, 404, 404]);
  });
});
