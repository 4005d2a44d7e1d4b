import postgres from "postgres";
import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import type { Actor } from "@/lib/auth/policy";
import { PageCache, prepareEntry } from "@/lib/http/page-cache";
import { listenForPurges } from "@/lib/http/purge-listener";
import { OLD_REVISIONS_TAG, OVERVIEW_TAG, PAGE_CACHE_KEY, pageTag } from "@/lib/http/page-cache-key";
import { changeName } from "@/lib/users/accounts";
import { contentSecurityPolicy } from "@/lib/security/csp";
import { moderatePost } from "@/lib/talk/moderation";
import { createThread, replyToThread, setThreadStatus } from "@/lib/talk/post-store";
import { deletePage, movePage, setProtection } from "@/lib/wiki/page-admin";
import { revertToRevision } from "@/lib/wiki/page-actions";
import { savePage } from "@/lib/wiki/page-updater";
import { ratePage } from "@/lib/wiki/ratings";
import { resetDatabase, testDb } from "../../support/db";
import { buildPage, buildUser, conceptSource } from "../../support/factories";

// The server's cache, registered the way scripts/server.ts does; each test
// fills it with a view of every page and checks which ones a write removes.
let cache: PageCache;
const registry = globalThis as Record<symbol, unknown>;

function fillAll(slugs: string[]): void {
  for (const key of ["/", "/compare", ...slugs.flatMap((s) => [`/wiki/${s}`, `/wiki/${s}/history`])]) {
    const tags = key === "/" || key === "/compare" ? [OVERVIEW_TAG] : [pageTag(key.split("/")[2]!)];
    const entry = prepareEntry(
      { statusCode: 200, headers: { "content-type": "text/html", "content-security-policy": contentSecurityPolicy("n") }, body: Buffer.from(`<p>${key}</p>`) },
      { tags, shared: true },
      Date.now(),
    )!;
    expect(cache.store(key, cache.beginFill(tags), entry)).toBe(true);
  }
}

function cached(): string[] {
  return ["/", "/compare", ...["A", "B", "C", "New"].flatMap((s) => [`/wiki/${s}`, `/wiki/${s}/history`])].filter((k) => cache.get(k) !== undefined);
}

beforeEach(async () => {
  await resetDatabase();
  cache = new PageCache();
  registry[PAGE_CACHE_KEY] = cache;
});
afterEach(() => {
  delete registry[PAGE_CACHE_KEY];
});

async function threePages() {
  const db = testDb();
  const author = await buildUser(db);
  const a = await buildPage(db, "A", conceptSource("A", "Links to [[B]] and [[New]].\n"), author);
  const b = await buildPage(db, "B", conceptSource("B", "Plain.\n"), author);
  const c = await buildPage(db, "C", conceptSource("C", "Links to [[B]].\n"), author);
  fillAll(["A", "B", "C", "New"]);
  return { db, author, a, b, c };
}

describe("writes purge the anonymous page cache after they commit", () => {
  it("an edit purges the page and the overview, and pages whose backlinks changed; nothing else", async () => {
    const { db, author, a } = await threePages();
    // A stops linking to B and starts linking to C: B and C list A under "what links here".
    await savePage(db, { title: "A", content: conceptSource("A", "Links to [[C]] and [[New]].\n"), authorId: author.id, baseRevisionId: a.revision.id });
    expect(cached()).toEqual(["/wiki/New", "/wiki/New/history"]);
  });

  it("an edit that keeps the links leaves the linked pages cached", async () => {
    const { db, author, a } = await threePages();
    await savePage(db, { title: "A", content: conceptSource("A", "Still links to [[B]] and [[New]], reworded.\n"), authorId: author.id, baseRevisionId: a.revision.id });
    expect(cached()).toEqual(["/wiki/B", "/wiki/B/history", "/wiki/C", "/wiki/C/history", "/wiki/New", "/wiki/New/history"]);
  });

  it("creating a page purges the pages that showed a red link to it, and cached old revisions", async () => {
    const { db, author } = await threePages();
    const oldRevision = prepareEntry(
      { statusCode: 200, headers: { "content-type": "text/html", "content-security-policy": contentSecurityPolicy("n") }, body: Buffer.from("<p>old</p>") },
      { tags: [pageTag("C"), OLD_REVISIONS_TAG], shared: true },
      Date.now(),
    )!;
    cache.store("/wiki/C?rev=1", cache.beginFill(oldRevision.tags), oldRevision);
    await savePage(db, { title: "New", content: conceptSource("New"), authorId: author.id, baseRevisionId: null });
    expect(cached()).toEqual(["/wiki/B", "/wiki/B/history", "/wiki/C", "/wiki/C/history"]);
    expect(cache.get("/wiki/C?rev=1")).toBeUndefined();
  });

  it("a new display name purges the pages its owner edited, and only those", async () => {
    const { db, author } = await threePages();
    const other = await buildUser(db);
    await changeName(db, other.id, other.name); // unchanged: nothing to purge
    await changeName(db, other.id, `${other.name} Renamed`); // edited nothing
    expect(cached()).toHaveLength(10);
    await changeName(db, author.id, "Ada Renamed");
    expect(cached()).toEqual(["/", "/compare", "/wiki/New", "/wiki/New/history"]);
  });

  it("a no-op save, or a refused one, purges nothing", async () => {
    const { db, author, a } = await threePages();
    await savePage(db, { title: "A", content: conceptSource("A", "Links to [[B]] and [[New]].\n"), authorId: author.id, baseRevisionId: a.revision.id });
    await expect(savePage(db, { title: "A", content: "no front matter", authorId: author.id, baseRevisionId: a.revision.id })).rejects.toMatchObject({ code: "invalid:content" });
    expect(cached()).toHaveLength(10);
  });

  it("reverts, protection, ratings and new threads purge the page they touch", async () => {
    const { db, author, a, b, c } = await threePages();
    await savePage(db, { title: "C", content: conceptSource("C", "Links to [[B]]. More.\n"), authorId: author.id, baseRevisionId: c.revision.id });
    fillAll(["C"]);
    await revertToRevision(db, { slug: "C", revisionId: c.revision.id, actorId: author.id, actorName: author.name, mayEditProtected: false });
    expect(cached()).not.toContain("/wiki/C");
    fillAll(["A", "B", "C"]);
    await setProtection(db, author.id, "A", true);
    expect(cached()).not.toContain("/wiki/A");
    expect(cached()).toContain("/wiki/B");
    await ratePage(db, b.page.id, author.id, 4);
    expect(cached()).not.toContain("/wiki/B");
    const member: NonNullable<Actor> = { id: author.id, name: author.name, role: "moderator", blocked: false };
    const started = await createThread(db, { pageId: a.page.id, title: "Hello", source: "A thought.", author: { actor: member }, meta: { ip: "192.0.2.9", secondsToFill: 30 } });
    fillAll(["A"]);
    await moderatePost(db, member, started.post.id, "hide");
    expect(cached()).not.toContain("/wiki/A");
    fillAll(["A"]);
    await setThreadStatus(db, started.thread.id, "archived");
    expect(cached()).not.toContain("/wiki/A");
    expect(cached()).toContain("/wiki/C");
  });

  it("deleting or renaming a page empties the cache (links to it turn red or follow the redirect)", async () => {
    const { db, author } = await threePages();
    await deletePage(db, author.id, "B");
    expect(cached()).toEqual([]);
    fillAll(["A", "C"]);
    await movePage(db, author.id, "C", "C2");
    expect(cached()).toEqual([]);
  });
});

describe("purges never fail the write before them", () => {
  it("a purge that throws empties this server's cache instead, and the save still succeeds", async () => {
    const { db, author, a } = await threePages();
    let emptied = 0;
    registry[PAGE_CACHE_KEY] = {
      purgeTags: () => {
        throw new Error("broken cache");
      },
      purgeAll: () => ++emptied,
    };
    const saved = await savePage(db, { title: "A", content: conceptSource("A", "Edited while the cache is broken.\n"), authorId: author.id, baseRevisionId: a.revision.id });
    expect(saved.status).toBe("saved");
    expect(emptied).toBeGreaterThan(0);
  });

  it("a visible reply under a held thread purges its page (the Discussion count changes)", async () => {
    const { db, author, a } = await threePages();
    const member: NonNullable<Actor> = { id: author.id, name: author.name, role: "editor", blocked: false };
    const held = await createThread(db, { pageId: a.page.id, title: "Held", source: "Cheap S0ma without rx http://pills.example", author: { guest: { name: "g" } }, meta: { ip: "192.0.2.10", secondsToFill: 30 } });
    expect(held.status).toBe("held");
    fillAll(["A"]);
    await replyToThread(db, { pageId: a.page.id, threadId: held.thread.id, source: "A visible answer.", author: { actor: member }, meta: { ip: "192.0.2.11" } });
    expect(cached()).not.toContain("/wiki/A");
  });
});

describe("purges reach other servers through the database", () => {
  // Embedded PGlite serves one connection, so a second process cannot listen there; this needs a server.
  it.skipIf(inject("databaseMode") === "embedded")("a save in one process purges the cache of a server listening in another", async () => {
    const { db, author, a } = await threePages();
    // This test process plays the writer (a script like `npm run seed`): it has no cache of its own.
    delete registry[PAGE_CACHE_KEY];
    const listener = postgres(inject("databaseUrl"), { max: 1, onnotice: () => {} });
    const elsewhere = new PageCache();
    try {
      await listenForPurges(listener, elsewhere);
      for (const key of ["/wiki/A", "/wiki/B"]) {
        const entry = prepareEntry(
          { statusCode: 200, headers: { "content-type": "text/html", "content-security-policy": contentSecurityPolicy("n") }, body: Buffer.from(key) },
          { tags: [pageTag(key.slice(6))], shared: true },
          Date.now(),
        )!;
        elsewhere.store(key, elsewhere.beginFill(entry.tags), entry);
      }
      await savePage(db, { title: "A", content: conceptSource("A", "Links to [[B]] and [[New]], edited elsewhere.\n"), authorId: author.id, baseRevisionId: a.revision.id });
      await expect.poll(() => elsewhere.get("/wiki/A"), { timeout: 5000 }).toBeUndefined();
      expect(elsewhere.get("/wiki/B")).toBeDefined();
      await deletePage(db, author.id, "C");
      await expect.poll(() => elsewhere.get("/wiki/B"), { timeout: 5000 }).toBeUndefined();
    } finally {
      await listener.end({ timeout: 5 });
    }
  });
});
