import { createHash } from "node:crypto";
import { gunzipSync, brotliDecompressSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { contentSecurityPolicy } from "@/lib/security/csp";
import {
  compress,
  inlineScriptHashes,
  NO_STORE_MARKER,
  PageCache,
  PERSONAL_COOKIES,
  pickEncoding,
  planRequest,
  prepareEntry,
  replyFromCache,
  sharedPolicy,
  type CachedPage,
} from "@/lib/http/page-cache";
import { OLD_REVISIONS_TAG, OVERVIEW_TAG, pageTag } from "@/lib/http/page-cache-key";

const sha = (s: string) => createHash("sha256").update(s, "utf8").digest("base64");
const NONCE = "bm9uY2Utbm9uY2Utbm9uY2U=";
const page = (body: string) =>
  `<!DOCTYPE html><html><head><script src="/_next/static/chunks/a.js" nonce="${NONCE}" async></script></head><body>${body}` +
  `<script nonce="${NONCE}">self.__next_f=self.__next_f||[];self.__next_f.push([0])</script>` +
  `<script nonce="${NONCE}">self.__next_f.push([1,"a < b && \\u003c/script>"])</script></body></html>`;
const shared = { tags: ["page:A"], shared: true };
const personal = { tags: ["page:A"], shared: false };
const html = (body = "<p>Hello</p>") => ({
  statusCode: 200,
  headers: {
    "content-type": "text/html; charset=utf-8",
    "content-security-policy": contentSecurityPolicy(NONCE),
    "cache-control": "private, no-cache, no-store, max-age=0, must-revalidate",
    vary: "rsc, next-router-state-tree, next-router-prefetch",
    "x-content-type-options": "nosniff",
    "x-powered-by": "something internal",
  },
  body: Buffer.from(page(body)),
});

describe("planRequest: what may come from the cache", () => {
  it("caches reads of pages, their diffs and history, and the overview", () => {
    expect(planRequest("GET", "/wiki/Social_learning", {})).toEqual({ key: "/wiki/Social_learning", tags: [pageTag("Social_learning")], shared: true });
    expect(planRequest("HEAD", "/wiki/Caf%C3%A9?rev=3", {})).toEqual({ key: "/wiki/Caf%C3%A9?rev=3", tags: [pageTag("Café"), OLD_REVISIONS_TAG], shared: true });
    expect(planRequest("GET", "/wiki/A/diff?from=1&to=2", {})).toMatchObject({ tags: [pageTag("A")], shared: true });
    expect(planRequest("GET", "/wiki/A/history", {})).toMatchObject({ tags: [pageTag("A")], shared: false });
    expect(planRequest("GET", "/", {})).toMatchObject({ tags: [OVERVIEW_TAG], shared: true });
    expect(planRequest("GET", "/compare?tag=tools", {})).toMatchObject({ tags: [OVERVIEW_TAG], shared: true });
  });

  it("keys on the parameters each route reads, so made-up ones share the one copy", () => {
    expect(planRequest("GET", "/wiki/A?utm=x&rev=%33&junk=1", {})?.key).toBe("/wiki/A?rev=3");
    expect(planRequest("GET", "/wiki/A?anything=1", {})?.key).toBe("/wiki/A");
    expect(planRequest("GET", "/wiki/A?redirectedfrom=B&merged=1", {})?.key).toBe("/wiki/A?redirectedfrom=B&merged=1");
    expect(planRequest("GET", "/wiki/A/diff?view=inline&to=2&from=1&x=y", {})?.key).toBe("/wiki/A/diff?from=1&to=2&view=inline");
    expect(planRequest("GET", "/wiki/A/history?after=5&before=9&limit=7", {})?.key).toBe("/wiki/A/history?before=9&after=5");
    expect(planRequest("GET", "/compare?tag=tools&sort=title&page=2", {})?.key).toBe("/compare?sort=title&tag=tools");
    // A repeated parameter is answered, never kept (a copy under a key of its own; see page-cache-plan.test.ts).
    expect(planRequest("GET", "/wiki/A?rev=1&rev=2", {})).toBeNull();
  });

  it("bypasses writes, other routes, router payloads and broken escapes", () => {
    expect(planRequest("POST", "/wiki/A", {})).toBeNull();
    expect(planRequest("GET", "/wiki/A/edit", {})).toBeNull();
    expect(planRequest("GET", "/wiki/A/talk", {})).toBeNull();
    expect(planRequest("GET", "/search?q=x", {})).toBeNull();
    expect(planRequest("GET", "/api/pages/A", {})).toBeNull();
    expect(planRequest("GET", "/wiki/A", { rsc: "1" })).toBeNull();
    expect(planRequest("GET", "/wiki/A?_rsc=abc", {})).toBeNull();
    expect(planRequest("GET", "/wiki/A", { "next-router-prefetch": "1" })).toBeNull();
    expect(planRequest("GET", "/wiki/A", { authorization: "Bearer x" })).toBeNull();
    expect(planRequest("GET", "/wiki/%E0%A4", {})).toBeNull();
  });

  it("serves shared pages to everyone, but personal ones (history) only to readers without a session or guest token", () => {
    for (const cookie of ["next-auth.session-token=x", "__Secure-next-auth.session-token=x", "a=1; next-auth.session-token.0=x", "propagate_guest=t"]) {
      expect(planRequest("GET", "/wiki/A", { cookie }), cookie).toMatchObject({ shared: true });
      expect(planRequest("GET", "/wiki/A/history", { cookie }), cookie).toBeNull();
    }
    expect(planRequest("GET", "/wiki/A/history", { cookie: "next-auth.csrf-token=x; next-auth.callback-url=y" })).not.toBeNull();
  });

  it("knows the guest cookie the talk pages set", async () => {
    const { GUEST_COOKIE } = await import("@/lib/talk/viewer");
    expect(PERSONAL_COOKIES.some((re) => re.test(GUEST_COOKIE))).toBe(true);
  });
});

describe("the shared policy of a cached page", () => {
  it("hashes exactly the inline scripts, as written", () => {
    const hashes = inlineScriptHashes(page("<p>x</p>"), NONCE);
    expect(hashes).toEqual([sha("self.__next_f=self.__next_f||[];self.__next_f.push([0])"), sha('self.__next_f.push([1,"a < b && \\u003c/script>"])')]);
    expect(inlineScriptHashes(`<script nonce="${NONCE}">a\r\nb\rc</script>`, NONCE)).toEqual([sha("a\nb\nc")]);
    expect(inlineScriptHashes(`<p><script type="application/ld+json" nonce="${NONCE}">{"a":"&amp;"}</script>`, NONCE)).toEqual([sha('{"a":"&amp;"}')]);
  });

  it("refuses to vouch for an inline script without the render's nonce (it was not put there by Next.js)", () => {
    expect(inlineScriptHashes(page("<p>x</p><script>alert(1)</script>"), NONCE)).toBeNull();
    expect(inlineScriptHashes(page('<script nonce="guessed">alert(1)</script>'), NONCE)).toBeNull();
    expect(inlineScriptHashes(page("<p>x</p>"), "another-nonce")).toBeNull();
    expect(prepareEntry(html("<p>x</p><script>alert(1)</script>"), shared, 0)).toBeNull();
  });

  it("replaces the nonce with this origin and the hashes, keeping every other directive", () => {
    const policy = contentSecurityPolicy(NONCE);
    const shared = sharedPolicy(policy, ["AAA", "BBB"])!;
    expect(shared).toContain("script-src 'self' 'sha256-AAA' 'sha256-BBB';");
    expect(shared).not.toContain("nonce");
    expect(shared).not.toContain("strict-dynamic");
    expect(shared.replace(/script-src[^;]*;/, "")).toBe(policy.replace(/script-src[^;]*;/, ""));
    expect(sharedPolicy(contentSecurityPolicy(NONCE, { dev: true }), [])).toBeNull();
    expect(sharedPolicy("default-src 'self'", [])).toBeNull();
  });
});

describe("prepareEntry", () => {
  it("keeps a public copy: safe headers only, strong ETag, Vary on cookies only for personal pages", async () => {
    const entry = prepareEntry(html(), personal, Date.UTC(2026, 10, 28, 12, 0, 0, 700))!;
    expect(entry.headers["cache-control"]).toBe("private, no-cache");
    expect(prepareEntry(html(), shared, 0)!.headers["cache-control"]).toBe("public, max-age=0, must-revalidate");
    expect(entry.headers.vary).toBe("rsc, next-router-state-tree, next-router-prefetch, Cookie, Accept-Encoding");
    expect(entry.headers["x-content-type-options"]).toBe("nosniff");
    expect(entry.headers["x-powered-by"]).toBeUndefined();
    expect(entry.headers["content-security-policy"]).toMatch(/script-src 'self' 'sha256-[^']+' 'sha256-[^']+';/);
    expect(entry.etag).toMatch(/^"[\w-]{27}"$/);
    expect(entry.lastModified).toBe("Sat, 28 Nov 2026 12:00:00 GMT");
    expect(prepareEntry(html(), shared, 0)!.headers.vary).toBe("rsc, next-router-state-tree, next-router-prefetch, Accept-Encoding");
    expect(entry.gzip).toBeNull();
    await compress(entry);
    expect(gunzipSync(entry.gzip!).equals(entry.body)).toBe(true);
    expect(brotliDecompressSync(entry.br!).equals(entry.body)).toBe(true);
    expect(prepareEntry(html("<p>other</p>"), shared, 0)!.etag).not.toBe(entry.etag);
  });

  it("refuses what must not be shared", () => {
    const base = html();
    expect(prepareEntry(html(`<div ${NO_STORE_MARKER}>render timed out</div>`), shared, 0)).toBeNull();
    expect(prepareEntry({ ...base, statusCode: 404 }, shared, 0)).toBeNull();
    expect(prepareEntry({ ...base, headers: { ...base.headers, "set-cookie": ["a=b"] } }, shared, 0)).toBeNull();
    expect(prepareEntry({ ...base, headers: { ...base.headers, "content-type": "application/json" } }, shared, 0)).toBeNull();
    expect(prepareEntry({ ...base, headers: { ...base.headers, "content-encoding": "gzip" } }, shared, 0)).toBeNull();
    expect(prepareEntry({ ...base, headers: { ...base.headers, "content-security-policy": undefined } }, shared, 0)).toBeNull();
    expect(prepareEntry({ ...base, body: Buffer.alloc(3 * 2 ** 20, 97) }, shared, 0)).toBeNull();
  });
});

describe("replyFromCache", () => {
  const entry = prepareEntry(html(), shared, Date.UTC(2026, 10, 28, 12, 0, 0))!;
  const now = Date.UTC(2026, 10, 28, 12, 0, 42);

  it("sends the body as is until the compressed variants are ready", () => {
    const fresh = prepareEntry(html(), shared, 0)!;
    const reply = replyFromCache(fresh, "GET", { "accept-encoding": "br, gzip" }, now);
    expect(reply.headers["content-encoding"]).toBeUndefined();
    expect(reply.body).toBe(fresh.body);
  });

  it("serves the best encoding the client accepts, with length and age", async () => {
    await compress(entry);
    const br = replyFromCache(entry, "GET", { "accept-encoding": "gzip, deflate, br" }, now);
    expect(br.status).toBe(200);
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.body).toBe(entry.br);
    expect(br.headers["content-length"]).toBe(String(entry.br!.length));
    expect(br.headers.age).toBe("42");
    expect(br.headers["x-page-cache"]).toBe("hit");
    const plain = replyFromCache(entry, "GET", {}, now);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body).toBe(entry.body);
    // Each content coding is its own representation with its own strong tag.
    const gzip = replyFromCache(entry, "GET", { "accept-encoding": "gzip" }, now);
    expect(new Set([br.headers.etag, gzip.headers.etag, plain.headers.etag]).size).toBe(3);
    expect(plain.headers.etag).toBe(entry.etag);
    expect(replyFromCache(entry, "HEAD", {}, now).body).toBeNull();
  });

  it("answers If-None-Match with 304, for the tag of any of its encodings", async () => {
    await compress(entry);
    expect(replyFromCache(entry, "GET", { "if-none-match": entry.etag }, now).status).toBe(304);
    expect(replyFromCache(entry, "GET", { "if-none-match": `"x", W/${entry.etag}` }, now).status).toBe(304);
    const brTag = replyFromCache(entry, "GET", { "accept-encoding": "br" }, now).headers.etag!;
    expect(replyFromCache(entry, "GET", { "if-none-match": brTag, "accept-encoding": "br" }, now).status).toBe(304);
    expect(replyFromCache(entry, "GET", { "if-none-match": '"other"' }, now).status).toBe(200);
  });

  it("does not trust If-Modified-Since (a page purged and stored again within a second has the same date)", () => {
    expect(replyFromCache(entry, "GET", { "if-modified-since": entry.lastModified }, now).status).toBe(200);
    expect(replyFromCache(entry, "GET", { "if-modified-since": "Sat, 28 Nov 2026 13:00:00 GMT" }, now).status).toBe(200);
    const notModified = replyFromCache(entry, "GET", { "if-none-match": entry.etag }, now);
    expect(notModified.body).toBeNull();
    expect(notModified.headers.etag).toBe(entry.etag);
  });

  it("negotiates encodings by quality", () => {
    expect(pickEncoding(undefined)).toBeNull();
    expect(pickEncoding("gzip")).toBe("gzip");
    expect(pickEncoding("br;q=0, gzip;q=0.5")).toBe("gzip");
    expect(pickEncoding("identity")).toBeNull();
    expect(pickEncoding("*")).toBe("br");
    expect(pickEncoding("*, br;q=0")).toBe("gzip");
  });
});

describe("PageCache", () => {
  const entry = (tags: string[], size = 100): CachedPage => ({ ...prepareEntry(html("x".repeat(size)), { tags, shared: true }, 0)! });

  it("stores and purges by tag, leaving other entries", () => {
    const cache = new PageCache();
    expect(cache.store("/wiki/A", cache.beginFill([pageTag("A")]), entry([pageTag("A")]))).toBe(true);
    expect(cache.store("/wiki/A/history", cache.beginFill([pageTag("A")]), entry([pageTag("A")]))).toBe(true);
    expect(cache.store("/wiki/B", cache.beginFill([pageTag("B")]), entry([pageTag("B")]))).toBe(true);
    expect(cache.store("/", cache.beginFill([OVERVIEW_TAG]), entry([OVERVIEW_TAG]))).toBe(true);
    expect(cache.purgeTags([pageTag("A"), OVERVIEW_TAG])).toBe(3);
    expect(cache.get("/wiki/A")).toBeUndefined();
    expect(cache.get("/wiki/A/history")).toBeUndefined();
    expect(cache.get("/")).toBeUndefined();
    expect(cache.get("/wiki/B")).toBeDefined();
    expect(cache.purgeAll()).toBe(1);
    expect(cache.stats()).toMatchObject({ entries: 0, bytes: 0, stored: 4, purged: 4, hits: 1, misses: 3 });
  });

  it("does not store a fill that began before a purge of its tags (it may show the old page)", () => {
    const cache = new PageCache();
    const ticket = cache.beginFill([pageTag("A")]);
    cache.purgeTags([pageTag("A")]);
    expect(cache.store("/wiki/A", ticket, entry([pageTag("A")]))).toBe(false);
    expect(cache.get("/wiki/A")).toBeUndefined();
    expect(cache.store("/wiki/A", cache.beginFill([pageTag("A")]), entry([pageTag("A")]))).toBe(true);
  });

  it("a purge of other pages does not throw away a fill; purging everything does", () => {
    const cache = new PageCache();
    const ticket = cache.beginFill([pageTag("A")]);
    cache.purgeTags([pageTag("Unrelated"), OVERVIEW_TAG]);
    expect(cache.store("/wiki/A", ticket, entry([pageTag("A")]))).toBe(true);
    const second = cache.beginFill([pageTag("B")]);
    cache.purgeAll();
    expect(cache.store("/wiki/B", second, entry([pageTag("B")]))).toBe(false);
  });

  it("stays within its byte budget, evicting the least recently used, and keeps its tag index in step", () => {
    const one = entry([pageTag("A")], 20_000);
    const size = Math.ceil(one.body.length * 1.5) + 512;
    // Three pages' worth for pages (the rest, a quarter, is the query segment's).
    const cache = new PageCache({ maxBytes: size * 4 });
    for (const name of ["A", "B", "C"]) cache.store(`/wiki/${name}`, cache.beginFill([pageTag(name)]), entry([pageTag(name)], 20_000));
    cache.get("/wiki/A");
    cache.store("/wiki/D", cache.beginFill([pageTag("D")]), entry([pageTag("D")], 20_000));
    expect(cache.get("/wiki/B")).toBeUndefined();
    expect(cache.get("/wiki/A")).toBeDefined();
    expect(cache.stats().bytes).toBeLessThanOrEqual(size * 3);
    expect(cache.purgeTags([pageTag("B")])).toBe(0);
    expect(cache.purgeTags([pageTag("A"), pageTag("C"), pageTag("D")])).toBe(3);
  });

  it("addresses with a query (revision pairs, old revisions, redirectedfrom) never push the pages out", () => {
    const one = entry([pageTag("A")], 20_000);
    const size = Math.ceil(one.body.length * 1.5) + 512;
    const cache = new PageCache({ maxBytes: size * 8 });
    for (const name of ["A", "B", "C", "D", "E"]) cache.store(`/wiki/${name}`, cache.beginFill([pageTag(name)]), entry([pageTag(name)], 20_000));
    // A crawler asks for every pair of revisions of A, and for A under many old names.
    for (let i = 1; i <= 500; i++) {
      cache.store(`/wiki/A/diff?from=${i}&to=${i + 1}`, cache.beginFill([pageTag("A")]), entry([pageTag("A")], 20_000));
      cache.store(`/wiki/A?redirectedfrom=Old_${i}`, cache.beginFill([pageTag("A")]), entry([pageTag("A")], 20_000));
    }
    for (const name of ["A", "B", "C", "D", "E"]) expect(cache.get(`/wiki/${name}`), name).toBeDefined();
    // The long tail keeps its most recent entries, within its quarter of the bytes.
    expect(cache.get("/wiki/A?redirectedfrom=Old_500")).toBeDefined();
    expect(cache.get("/wiki/A/diff?from=1&to=2")).toBeUndefined();
    expect(cache.stats().bytes).toBeLessThanOrEqual(size * 8);
    // A purge of A's tag reaches both segments.
    expect(cache.purgeTags([pageTag("A")])).toBe(3);
    expect(cache.get("/wiki/A")).toBeUndefined();
  });
});

describe("purge announcements", () => {
  it("round-trip through a NOTIFY payload; malformed or oversized ones mean purge everything", async () => {
    const { parsePurgeMessage, purgeMessage } = await import("@/lib/http/page-cache-key");
    expect(parsePurgeMessage(purgeMessage({ tags: ["page:A", "overview"] }))).toEqual({ tags: ["page:A", "overview"] });
    expect(parsePurgeMessage(purgeMessage({ all: true }))).toEqual({ all: true });
    const many = Array.from({ length: 2000 }, (_, i) => `page:Long_title_${i}`);
    expect(JSON.parse(purgeMessage({ tags: many }))).toEqual({ all: true });
    for (const bad of ["", "not json", "{}", '{"tags":"x"}', '{"tags":[1]}', '{"all":false}', '{"tags":[],"extra":1}']) {
      expect(parsePurgeMessage(bad), bad).toEqual({ all: true });
    }
  });
});
