import postgres from "postgres";
import { afterEach, beforeEach, describe, expect, inject, it, vi } from "vitest";
import { PageCache, prepareEntry } from "@/lib/http/page-cache";
import { listenForPurges } from "@/lib/http/purge-listener";
import { OLD_REVISIONS_TAG, OVERVIEW_TAG, PAGE_CACHE_KEY, pageTag } from "@/lib/http/page-cache-key";
import { contentSecurityPolicy } from "@/lib/security/csp";
import { moderatePostCommand } from "@/lib/commands/talk/moderate-post";
import { replyToThreadCommand } from "@/lib/commands/talk/reply-to-thread";
import { setThreadStatusCommand } from "@/lib/commands/talk/set-thread-status";
import { startThreadCommand } from "@/lib/commands/talk/start-thread";
import { setBlockedCommand } from "@/lib/commands/users/administer-users";
import { changeNameCommand } from "@/lib/commands/users/change-name";
import { deletePageCommand } from "@/lib/commands/wiki/delete-page";
import { protectPageCommand } from "@/lib/commands/wiki/protect-page";
import { ratePageCommand } from "@/lib/commands/wiki/rate-page";
import { renamePageCommand } from "@/lib/commands/wiki/rename-page";
import { revertPageCommand } from "@/lib/commands/wiki/revert-page";
import { savePageCommand } from "@/lib/commands/wiki/save-page";
import { savePage } from "@/lib/wiki/page-updater";
import { resetDatabase, testDb } from "../../support/db";
import { actorOf, run } from "../../support/commands";
import { buildPage, buildUser, conceptSource, differenceSource } from "../../support/factories";

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
  it("an edit purges the page and pages whose backlinks changed; nothing else (a concept page is not on the overview)", async () => {
    const { db, author, a } = await threePages();
    // A stops linking to B and starts linking to C: B and C list A under "what links here".
    await run(db, savePageCommand, actorOf(author), { title: "A", content: conceptSource("A", "Links to [[C]] and [[New]].\n"), baseRevisionId: a.revision.id });
    expect(cached()).toEqual(["/", "/compare", "/wiki/New", "/wiki/New/history"]);
  });

  it("an edit that keeps the links leaves the linked pages cached", async () => {
    const { db, author, a } = await threePages();
    await run(db, savePageCommand, actorOf(author), { title: "A", content: conceptSource("A", "Still links to [[B]] and [[New]], reworded.\n"), baseRevisionId: a.revision.id });
    expect(cached()).toEqual(["/", "/compare", "/wiki/B", "/wiki/B/history", "/wiki/C", "/wiki/C/history", "/wiki/New", "/wiki/New/history"]);
  });

  it("the overview is purged when a difference page's listed fields change, not when only its body does", async () => {
    const { db, author } = await threePages();
    const d = await buildPage(db, "D", differenceSource("D", { sl: "Pulled.", tags: ["tools"] }), author);
    fillAll(["A"]);
    const body = await run(db, savePageCommand, actorOf(author), { title: "D", content: differenceSource("D", { sl: "Pulled.", tags: ["tools"], body: "Only the body changed.\n" }), baseRevisionId: d.revision.id });
    expect(cached()).toContain("/");
    const tags = await run(db, savePageCommand, actorOf(author), { title: "D", content: differenceSource("D", { sl: "Pulled.", tags: ["tools", "people"], body: "Only the body changed.\n" }), baseRevisionId: body.revisionId });
    expect(cached()).not.toContain("/");
    expect(cached()).not.toContain("/compare");
    fillAll(["A"]);
    await run(db, savePageCommand, actorOf(author), { title: "D", content: differenceSource("D", { sl: "Pushed.", tags: ["tools", "people"], body: "Only the body changed.\n" }), baseRevisionId: tags.revisionId });
    expect(cached()).not.toContain("/");
  });

  it("creating a page purges the pages that showed a red link to it, and cached old revisions", async () => {
    const { db, author } = await threePages();
    const oldRevision = prepareEntry(
      { statusCode: 200, headers: { "content-type": "text/html", "content-security-policy": contentSecurityPolicy("n") }, body: Buffer.from("<p>old</p>") },
      { tags: [pageTag("C"), OLD_REVISIONS_TAG], shared: true },
      Date.now(),
    )!;
    cache.store("/wiki/C?rev=1", cache.beginFill(oldRevision.tags), oldRevision);
    await run(db, savePageCommand, actorOf(author), { title: "New", content: conceptSource("New"), baseRevisionId: null });
    expect(cached()).toEqual(["/wiki/B", "/wiki/B/history", "/wiki/C", "/wiki/C/history"]);
    expect(cache.get("/wiki/C?rev=1")).toBeUndefined();
  });

  it("a new display name purges the pages its owner edited, and only those", async () => {
    const { db, author } = await threePages();
    const other = await buildUser(db);
    await run(db, changeNameCommand, actorOf(other), { name: other.name }); // unchanged: nothing to purge
    await run(db, changeNameCommand, actorOf(other), { name: `${other.name} Renamed` }); // edited nothing
    expect(cached()).toHaveLength(10);
    await run(db, changeNameCommand, actorOf(author), { name: "Ada Renamed" });
    expect(cached()).toEqual(["/", "/compare", "/wiki/New", "/wiki/New/history"]);
  });

  it("a no-op save, or a refused one, purges nothing", async () => {
    const { db, author, a } = await threePages();
    await run(db, savePageCommand, actorOf(author), { title: "A", content: conceptSource("A", "Links to [[B]] and [[New]].\n"), baseRevisionId: a.revision.id });
    await expect(savePage(db, { title: "A", content: "no front matter", authorId: author.id, baseRevisionId: a.revision.id })).rejects.toMatchObject({ code: "invalid:content" });
    expect(cached()).toHaveLength(10);
  });

  it("reverts, protection, ratings and new threads purge the page they touch", async () => {
    const { db, author, c } = await threePages();
    await run(db, savePageCommand, actorOf(author), { title: "C", content: conceptSource("C", "Links to [[B]]. More.\n"), baseRevisionId: c.revision.id });
    fillAll(["C"]);
    await run(db, revertPageCommand, actorOf(author), { title: "C", revisionId: c.revision.id });
    expect(cached()).not.toContain("/wiki/C");
    fillAll(["A", "B", "C"]);
    await run(db, protectPageCommand, actorOf(author, "moderator"), { title: "A", protect: true });
    expect(cached()).not.toContain("/wiki/A");
    expect(cached()).toContain("/wiki/B");
    await run(db, ratePageCommand, actorOf(author), { title: "B", value: 4 });
    expect(cached()).not.toContain("/wiki/B");
    const member = actorOf(author, "moderator");
    const started = await run(db, startThreadCommand, member, { title: "A", threadTitle: "Hello", body: "A thought." }, { via: "api" });
    fillAll(["A"]);
    await run(db, moderatePostCommand, member, { postId: started.postId, action: "hide" });
    expect(cached()).not.toContain("/wiki/A");
    fillAll(["A"]);
    await run(db, setThreadStatusCommand, member, { title: "A", threadId: started.threadId, status: "archived" });
    expect(cached()).not.toContain("/wiki/A");
    expect(cached()).toContain("/wiki/C");
  });

  it("deleting or renaming a page empties the cache (links to it turn red or follow the redirect)", async () => {
    const { db, author } = await threePages();
    await run(db, deletePageCommand, actorOf(author, "moderator"), { title: "B" });
    expect(cached()).toEqual([]);
    fillAll(["A", "C"]);
    await run(db, renamePageCommand, actorOf(author, "moderator"), { title: "C", newTitle: "C2" });
    expect(cached()).toEqual([]);
  });

  it("blocking someone empties the cache (their posts are hidden everywhere), and so does lifting the block (their passages' marks come back)", async () => {
    const { db, author } = await threePages();
    const admin = actorOf(await buildUser(db), "admin");
    await run(db, setBlockedCommand, admin, { userId: author.id, blocked: true });
    expect(cached()).toEqual([]);
    fillAll(["A", "B", "C"]);
    await run(db, setBlockedCommand, admin, { userId: author.id, blocked: false });
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
    // The failure is logged; captured here (and checked), so a passing run prints no stack trace that looks like a failure.
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const saved = await run(db, savePageCommand, actorOf(author), { title: "A", content: conceptSource("A", "Edited while the cache is broken.\n"), baseRevisionId: a.revision.id });
      expect(saved.status).toBe("saved");
      expect(emptied).toBeGreaterThan(0);
      expect(logged).toHaveBeenCalledWith("page cache: a purge failed; this server's cache was emptied instead", expect.objectContaining({ message: "broken cache" }));
    } finally {
      logged.mockRestore();
    }
  });

  it("a post held for moderation purges nothing (readers see no change; nobody can empty the cache by posting)", async () => {
    const { db } = await threePages();
    const held = await run(db, startThreadCommand, null, { title: "A", threadTitle: "Held", body: "Cheap S0ma without rx http://pills.example", guestName: "g" }, { ip: "192.0.2.10" });
    expect(held.status).toBe("held");
    const heldReply = await run(db, replyToThreadCommand, null, { title: "A", threadId: held.threadId, body: "More cheap S0ma http://pills.example", guestName: "g" }, { ip: "192.0.2.12" });
    expect(heldReply.status).toBe("held");
    expect(cached()).toEqual(["/", "/compare", "/wiki/A", "/wiki/A/history", "/wiki/B", "/wiki/B/history", "/wiki/C", "/wiki/C/history", "/wiki/New", "/wiki/New/history"]);
  });

  it("a visible reply under a held thread purges its page (the Discussion count changes)", async () => {
    const { db, author } = await threePages();
    const held = await run(db, startThreadCommand, null, { title: "A", threadTitle: "Held", body: "Cheap S0ma without rx http://pills.example", guestName: "g" }, { ip: "192.0.2.10" });
    expect(held.status).toBe("held");
    fillAll(["A"]);
    await run(db, replyToThreadCommand, actorOf(author), { title: "A", threadId: held.threadId, body: "A visible answer." }, { ip: "192.0.2.11", via: "api" });
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
      await run(db, savePageCommand, actorOf(author), { title: "A", content: conceptSource("A", "Links to [[B]] and [[New]], edited elsewhere.\n"), baseRevisionId: a.revision.id });
      await expect.poll(() => elsewhere.get("/wiki/A"), { timeout: 5000 }).toBeUndefined();
      expect(elsewhere.get("/wiki/B")).toBeDefined();
      await run(db, deletePageCommand, actorOf(author, "moderator"), { title: "C" });
      await expect.poll(() => elsewhere.get("/wiki/B"), { timeout: 5000 }).toBeUndefined();
    } finally {
      await listener.end({ timeout: 5 });
    }
  });
});
