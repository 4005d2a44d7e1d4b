import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mayFill, PageCache, planRequest, prepareEntry } from "@/lib/http/page-cache";
import { PAGE_CACHE_KEY } from "@/lib/http/page-cache-key";
import { contentSecurityPolicy } from "@/lib/security/csp";
import { savePageCommand } from "@/lib/commands/wiki/save-page";
import { resetDatabase, testDb } from "../../support/db";
import { actorOf, run } from "../../support/commands";
import { buildPage, buildUser, conceptSource } from "../../support/factories";

// Entries are keyed and tagged by the parsed title, so an edit purges the copy
// that readers reach through any spelling of it (here registered as
// scripts/server.ts does, and filled through planRequest as it does).
let cache: PageCache;
const registry = globalThis as Record<symbol, unknown>;

function fill(url: string): void {
  const plan = planRequest("GET", url, {})!;
  expect(mayFill(plan, url)).toBe(true);
  const entry = prepareEntry(
    { statusCode: 200, headers: { "content-type": "text/html", "content-security-policy": contentSecurityPolicy("n") }, body: Buffer.from(`<p>${url}</p>`) },
    plan,
    Date.now(),
  )!;
  expect(cache.store(plan.key, cache.beginFill(plan.tags), entry)).toBe(true);
}

const hit = (url: string) => cache.get(planRequest("GET", url, {})!.key) !== undefined;

beforeEach(async () => {
  await resetDatabase();
  cache = new PageCache();
  registry[PAGE_CACHE_KEY] = cache;
});
afterEach(() => {
  delete registry[PAGE_CACHE_KEY];
});

describe("the page cache under other spellings of a title", () => {
  it("an edit purges the entry reached through an alternative percent-encoding", async () => {
    const db = testDb();
    const author = await buildUser(db);
    const page = await buildPage(db, "Adoption", conceptSource("Adoption", "Before.\n"), author);
    fill("/wiki/Adoption");
    fill("/wiki/Adoption/diff?from=1&to=2");
    expect(hit("/wiki/%41doption")).toBe(true);
    expect(hit("/wiki/Ad%6Fption/diff?to=2&from=1")).toBe(true);

    await run(db, savePageCommand, actorOf(author), { title: "Adoption", content: conceptSource("Adoption", "After.\n"), baseRevisionId: page.revision.id });

    expect(hit("/wiki/%41doption")).toBe(false);
    expect(hit("/wiki/Ad%6Fption/diff?to=2&from=1")).toBe(false);
    expect(cache.stats().entries).toBe(0);
  });
});
